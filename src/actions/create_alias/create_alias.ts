import { CreateAliasCommand, type CreateAliasCommandOutput } from "@aws-sdk/client-lambda";
import { z } from "zod";
import {
  aliasCall,
  aliasChangeOutput,
  aliasMatches,
  aliasTargetInputs,
  aliasTargetMembers,
  aliasUnchanged,
  describeAlias,
  functionVersionInput,
  previousAlias,
  readAlias,
} from "../aliases.js";
import { requirePreviousStateInput, undoStep } from "../change.js";
import { defineOperationAction } from "../defineAction.js";

/** create_alias: a name for a version, e.g. a known-good one that playbooks invoke. */
export const createAliasAction = defineOperationAction({
  name: "create_alias",
  title: "Create Alias",
  description:
    "Create an alias that points to a version (optionally shifting a share of its traffic to one other version), e.g. to restore an alias delete_alias removed, from its undo. The same alias already in place is a success that changed nothing.",
  inputs: z.strictObject({
    ...aliasTargetInputs(functionVersionInput),
    require_previous_state: requirePreviousStateInput,
  }),
  output: aliasChangeOutput("The alias as created (or as it already was, when changed is false)."),
  before: readAlias,
  call: {
    ...aliasCall("CreateAlias"),
    // A second send of a creation that took effect fails as a conflict.
    retry: "at-most-once",
    hints: {
      ResourceConflictException:
        "The alias already exists and points elsewhere: change it with update_alias (see get_alias).",
      ResourceNotFoundException:
        "Check function_version and routing_weights against list_versions_by_function (and function_name).",
    },
    command: (inputs) =>
      new CreateAliasCommand({
        FunctionName: inputs.function_name,
        Name: inputs.alias_name,
        ...aliasTargetMembers(inputs),
        FunctionVersion: inputs.function_version,
      }),
    unchanged: (inputs, before) =>
      before !== null &&
      aliasMatches(before, {
        function_version: inputs.function_version,
        routing_weights: inputs.routing_weights ?? {},
        description: inputs.description ?? "",
      })
        ? aliasUnchanged(inputs, before)
        : undefined,
    output: (response: CreateAliasCommandOutput, inputs, before) => ({
      function_name: inputs.function_name,
      alias: describeAlias(response),
      changed: true,
      previous: previousAlias(inputs, before),
      undo: [
        undoStep("delete_alias", {
          function_name: inputs.function_name,
          alias_name: inputs.alias_name,
        }),
      ],
    }),
  },
});
