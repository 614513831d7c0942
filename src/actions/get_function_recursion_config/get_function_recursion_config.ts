import {
  GetFunctionRecursionConfigCommand,
  type GetFunctionRecursionConfigCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { functionNameOutput } from "../../outputFields.js";
import type { BeforeStep } from "../defineAction.js";
import { defineOperationAction } from "../defineAction.js";
import { functionNameInput, onFunction } from "../fields.js";

/** The function's recursive-loop setting, as both recursion actions print it. */
export const recursiveLoopSchema = z.enum(["Terminate", "Allow"]).meta({
  description:
    "Terminate: Lambda stops a recursive loop (its default, the safe setting); Allow: it lets loops run.",
});

/** The read of a function's recursion config, the get action's call and the put action's before. */
export const readRecursionConfig: BeforeStep<
  { function_name: string },
  GetFunctionRecursionConfigCommandOutput,
  "Terminate" | "Allow"
> = {
  operation: "GetFunctionRecursionConfig",
  ...onFunction,
  retry: "idempotent",
  command: (inputs) =>
    new GetFunctionRecursionConfigCommand({ FunctionName: inputs.function_name }),
  read: (response) => (response.RecursiveLoop === "Allow" ? "Allow" : "Terminate"),
  previous: (recursiveLoop) => ({ recursive_loop: recursiveLoop }),
  checkWith: "get_function_recursion_config",
};

/** get_function_recursion_config: whether Lambda stops the function's recursive loops. */
export const getFunctionRecursionConfigAction = defineOperationAction({
  name: "get_function_recursion_config",
  title: "Get Function Recursion Config",
  description:
    "Return whether Lambda stops (Terminate) or allows the function's recursive loops (a function that triggers itself through SQS, SNS or S3).",
  inputs: z.strictObject({ function_name: functionNameInput }),
  output: z.object({
    function_name: functionNameOutput,
    recursive_loop: recursiveLoopSchema,
  }),
  call: {
    operation: "GetFunctionRecursionConfig",
    ...onFunction,
    retry: "idempotent",
    command: readRecursionConfig.command,
    output: (response: GetFunctionRecursionConfigCommandOutput, inputs) => ({
      function_name: inputs.function_name,
      recursive_loop: readRecursionConfig.read(response, inputs),
    }),
  },
});
