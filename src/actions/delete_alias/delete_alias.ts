import { DeleteAliasCommand } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { field, functionNameOutput } from "../../outputFields.js";
import {
  aliasCall,
  aliasInputs,
  previousAlias,
  previousAliasSchema,
  readAlias,
  restoreAlias,
} from "../aliases.js";
import { changeOutputs, requirePreviousStateInput } from "../change.js";
import { defineOperationAction } from "../defineAction.js";

/** delete_alias: remove an alias, so that callers of it reach nothing. */
export const deleteAliasAction = defineOperationAction({
  name: "delete_alias",
  title: "Delete Alias",
  description:
    "Delete an alias (callers of it then reach nothing; its resource policy, URL and asynchronous settings go with it). The alias is returned, with the create_alias inputs that re-create it; an alias that is already gone is a success that changed nothing.",
  inputs: z.strictObject({ ...aliasInputs, require_previous_state: requirePreviousStateInput }),
  output: z.object({
    function_name: functionNameOutput,
    alias_name: field.text("The alias, as alias_name named it."),
    ...changeOutputs(previousAliasSchema, "when previous is unknown"),
  }),
  before: readAlias,
  call: {
    ...aliasCall("DeleteAlias"),
    retry: "idempotent",
    command: (inputs) =>
      new DeleteAliasCommand({ FunctionName: inputs.function_name, Name: inputs.alias_name }),
    unchanged: (inputs, before) =>
      before === null
        ? {
            function_name: inputs.function_name,
            alias_name: inputs.alias_name,
            changed: false,
            previous: previousAlias(inputs, before),
            undo: [],
          }
        : undefined,
    output: (_response: unknown, inputs, before) => ({
      function_name: inputs.function_name,
      alias_name: inputs.alias_name,
      changed: true,
      previous: previousAlias(inputs, before),
      undo: before ? [restoreAlias(inputs, before, "create_alias")] : [],
    }),
  },
});
