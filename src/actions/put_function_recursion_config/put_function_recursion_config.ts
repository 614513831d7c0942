import {
  PutFunctionRecursionConfigCommand,
  type PutFunctionRecursionConfigCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { functionNameOutput } from "../../outputFields.js";
import { changeOutputs, requirePreviousStateInput, undoStep } from "../change.js";
import { defineOperationAction } from "../defineAction.js";
import { functionNameInput, onFunction } from "../fields.js";
import {
  readRecursionConfig,
  recursiveLoopSchema,
} from "../get_function_recursion_config/get_function_recursion_config.js";

type RecursiveLoop = "Terminate" | "Allow";

/** What the put prints: the setting now, before, and the step that restores it. */
function recursionChange(
  functionName: string,
  now: RecursiveLoop,
  before: RecursiveLoop | undefined,
) {
  const changed = before !== now;
  return {
    function_name: functionName,
    recursive_loop: now,
    changed,
    previous: before === undefined ? null : { recursive_loop: before },
    undo:
      before !== undefined && changed
        ? [
            undoStep("put_function_recursion_config", {
              function_name: functionName,
              recursive_loop: before,
            }),
          ]
        : [],
  };
}

/** put_function_recursion_config: turn Lambda's recursive loop protection back on (Terminate), or off. */
export const putFunctionRecursionConfigAction = defineOperationAction({
  name: "put_function_recursion_config",
  title: "Put Function Recursion Config",
  description:
    "Set whether Lambda stops the function's recursive loops: Terminate (the default, stopping a runaway loop) or Allow. The setting before is returned, with the step that restores it.",
  inputs: z.strictObject({
    function_name: functionNameInput,
    recursive_loop: z.enum(["Terminate", "Allow"], { error: "must be Terminate or Allow" }).meta({
      title: "Recursive Loop",
      description: "Terminate stops recursive loops; Allow lets them run.",
      examples: ["Terminate"],
    }),
    require_previous_state: requirePreviousStateInput,
  }),
  output: z.object({
    function_name: functionNameOutput,
    recursive_loop: recursiveLoopSchema,
    ...changeOutputs(
      z.object({ recursive_loop: recursiveLoopSchema }).nullable().meta({
        description:
          "The setting before (as get_function_recursion_config prints it); null when it could not be read.",
      }),
      "when previous is unknown",
    ),
  }),
  before: readRecursionConfig,
  call: {
    operation: "PutFunctionRecursionConfig",
    ...onFunction,
    retry: "idempotent",
    command: (inputs) =>
      new PutFunctionRecursionConfigCommand({
        FunctionName: inputs.function_name,
        RecursiveLoop: inputs.recursive_loop,
      }),
    unchanged: (inputs, before) =>
      before === inputs.recursive_loop
        ? recursionChange(inputs.function_name, before, before)
        : undefined,
    output: (response: PutFunctionRecursionConfigCommandOutput, inputs, before) =>
      recursionChange(
        inputs.function_name,
        response.RecursiveLoop === "Allow" || response.RecursiveLoop === "Terminate"
          ? response.RecursiveLoop
          : inputs.recursive_loop,
        before,
      ),
  },
});
