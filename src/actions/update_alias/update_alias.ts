import { UpdateAliasCommand, type UpdateAliasCommandOutput } from "@aws-sdk/client-lambda";
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
  restoreAlias,
} from "../aliases.js";
import { requirePreviousStateInput } from "../change.js";
import { defineOperationAction } from "../defineAction.js";
import { revisionIdInput } from "../fields.js";

/**
 * update_alias: point an alias back to a known-good version (a rollback every caller of
 * the alias follows at once), or weight its traffic between two versions.
 */
export const updateAliasAction = defineOperationAction({
  name: "update_alias",
  title: "Update Alias",
  description:
    "Point an alias to another version (roll back to a known-good one) and/or shift a share of its traffic to one other version; the alias before is returned, with the update_alias step that restores it.",
  inputs: z
    .strictObject({
      ...aliasTargetInputs(functionVersionInput.optional()),
      revision_id: revisionIdInput("update it", "the alias", "get_alias"),
      require_previous_state: requirePreviousStateInput,
    })
    .refine(
      (inputs) =>
        inputs.function_version !== undefined ||
        inputs.routing_weights !== undefined ||
        inputs.description !== undefined,
      {
        path: ["function_version"],
        message: "is required unless routing_weights or description is given",
      },
    ),
  output: aliasChangeOutput("The alias after the update."),
  before: readAlias,
  call: {
    ...aliasCall("UpdateAlias"),
    retry: "idempotent",
    hints: {
      ResourceNotFoundException:
        "Check alias_name against list_aliases, and function_version and routing_weights against list_versions_by_function.",
      PreconditionFailedException:
        "The alias changed since revision_id was read: run get_alias again and use its revision_id.",
    },
    command: (inputs) =>
      new UpdateAliasCommand({
        FunctionName: inputs.function_name,
        Name: inputs.alias_name,
        ...aliasTargetMembers(inputs),
        ...(inputs.revision_id === undefined ? {} : { RevisionId: inputs.revision_id }),
      }),
    unchanged: (inputs, before) =>
      before !== null && inputs.revision_id === undefined && aliasMatches(before, inputs)
        ? aliasUnchanged(inputs, before)
        : undefined,
    output: (response: UpdateAliasCommandOutput, inputs, before) => {
      const alias = describeAlias(response);
      const changed = before === undefined || before === null || !aliasMatches(before, alias);
      return {
        function_name: inputs.function_name,
        alias,
        changed,
        previous: previousAlias(inputs, before),
        undo: changed && before ? [restoreAlias(inputs, before, "update_alias")] : [],
      };
    },
  },
});
