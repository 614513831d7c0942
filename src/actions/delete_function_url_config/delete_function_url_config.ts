import { DeleteFunctionUrlConfigCommand } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { defineOperationAction } from "../defineAction.js";
import { functionNameInput, onFunction, qualifierInput, qualifierOf } from "../fields.js";
import { functionUrlSchema } from "../get_function_url_config/get_function_url_config.js";
import { readUrl } from "../update_function_url_config/update_function_url_config.js";

/** delete_function_url_config: remove a function's URL entirely. */
export const deleteFunctionUrlConfigAction = defineOperationAction({
  name: "delete_function_url_config",
  title: "Delete Function URL Config",
  description:
    "Delete a function's URL, so it can no longer be called over HTTPS (a new URL would get a new address); the previous configuration is returned.",
  inputs: z.strictObject({ function_name: functionNameInput, qualifier: qualifierInput }),
  output: z.object({
    function_name: z.string(),
    deleted: z.boolean(),
    previous: functionUrlSchema.meta({
      description: "The URL's configuration before it was deleted.",
    }),
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
    command: (inputs) =>
      new DeleteFunctionUrlConfigCommand({
        FunctionName: inputs.function_name,
        ...qualifierOf(inputs),
      }),
    output: (_response: unknown, inputs, previous) => ({
      function_name: inputs.function_name,
      deleted: true,
      previous,
    }),
  },
});
