import { DeleteFunctionUrlConfigCommand } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { deletedOutput, functionNameOutput } from "../../outputFields.js";
import { changeOutputs, requirePreviousStateInput, undoStep } from "../change.js";
import { defineOperationAction } from "../defineAction.js";
import { functionMembers, functionTargetInputs, onFunction } from "../fields.js";
import { corsInputOf } from "../get_function_url_config/get_function_url_config.js";
import {
  previousUrlSchema,
  readUrl,
} from "../update_function_url_config/update_function_url_config.js";

/** delete_function_url_config: remove a function's URL entirely. */
export const deleteFunctionUrlConfigAction = defineOperationAction({
  name: "delete_function_url_config",
  title: "Delete Function URL Config",
  description:
    "Delete a function's URL, so it can no longer be called over HTTPS; the previous configuration is returned, with the create_function_url_config inputs that re-create it (under a new address). A function without a URL is a success that changed nothing.",
  inputs: z.strictObject({
    ...functionTargetInputs,
    require_previous_state: requirePreviousStateInput,
  }),
  output: z.object({
    function_name: functionNameOutput,
    deleted: deletedOutput,
    ...changeOutputs(previousUrlSchema, "when previous is unknown"),
  }),
  before: readUrl,
  call: {
    operation: "DeleteFunctionUrlConfig",
    ...onFunction,
    // A repeated delete fails as not found once the first took effect.
    retry: "at-most-once",
    hints: {
      ResourceNotFoundException:
        "The function has no URL (see get_function_url_config), or function_name or qualifier is wrong.",
    },
    command: (inputs) => new DeleteFunctionUrlConfigCommand(functionMembers(inputs)),
    unchanged: (inputs, previous) =>
      previous.configured
        ? undefined
        : {
            function_name: inputs.function_name,
            deleted: false,
            changed: false,
            previous,
            undo: [],
          },
    output: (_response: unknown, inputs, previous) => ({
      function_name: inputs.function_name,
      deleted: true,
      changed: true,
      previous: previous ?? null,
      undo:
        previous === undefined
          ? []
          : [
              undoStep("create_function_url_config", {
                function_name: inputs.function_name,
                auth_type: previous.auth_type,
                cors: previous.cors === null ? undefined : corsInputOf(previous.cors),
                invoke_mode: previous.invoke_mode,
                qualifier: inputs.qualifier,
              }),
            ],
    }),
  },
});
