import {
  GetFunctionConcurrencyCommand,
  type GetFunctionConcurrencyCommandOutput,
  PutFunctionConcurrencyCommand,
  type PutFunctionConcurrencyCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { field, functionNameOutput, reservedConcurrencyOutput } from "../../outputFields.js";
import {
  changeOutputs,
  type MappedOutput,
  requirePreviousStateInput,
  undoStep,
  unknownPrevious,
} from "../change.js";
import { type BeforeStep, defineOperationAction } from "../defineAction.js";
import { onFunction, unqualifiedFunctionNameInput } from "../fields.js";

/** The read of a function's reserved concurrency that both concurrency actions make first. */
export const readConcurrency: BeforeStep<
  { function_name: string },
  GetFunctionConcurrencyCommandOutput,
  number | null
> = {
  operation: "GetFunctionConcurrency",
  ...onFunction,
  retry: "idempotent",
  command: (inputs) => new GetFunctionConcurrencyCommand({ FunctionName: inputs.function_name }),
  read: (response) => response.ReservedConcurrentExecutions ?? null,
  previous: (reserved) => ({ reserved_concurrent_executions: reserved }),
  checkWith: "get_function",
};

/** The output of both concurrency actions. */
export const concurrencyChangeOutput = z.object({
  function_name: functionNameOutput,
  reserved_concurrent_executions: reservedConcurrencyOutput,
  ...changeOutputs(
    z
      .object({
        reserved_concurrent_executions: field.nullableNumber(
          "Reserved concurrency before the change; null: none.",
        ),
      })
      .nullable()
      .meta({ description: "The state before the change; null when it could not be read." }),
    "when previous is unknown",
  ),
});

/**
 * What both concurrency actions print: the reserved concurrency before and after, and
 * the step that restores the one before.
 */
export function concurrencyChange(
  functionName: string,
  previous: number | null | undefined,
  now: number | null,
): MappedOutput<typeof concurrencyChangeOutput> {
  if (previous === undefined) {
    return {
      function_name: functionName,
      reserved_concurrent_executions: now,
      ...unknownPrevious(),
    };
  }
  const changed = previous !== now;
  const restore =
    previous === null
      ? undoStep("delete_function_concurrency", { function_name: functionName })
      : undoStep("put_function_concurrency", {
          function_name: functionName,
          reserved_concurrent_executions: previous,
        });
  return {
    function_name: functionName,
    reserved_concurrent_executions: now,
    changed,
    previous: { reserved_concurrent_executions: previous },
    undo: changed ? [restore] : [],
  };
}

/**
 * put_function_concurrency: reserve concurrency for a function; 0 throttles every
 * invocation, the first step in containing a compromised function.
 */
export const putFunctionConcurrencyAction = defineOperationAction({
  name: "put_function_concurrency",
  title: "Put Function Concurrency",
  description:
    "Set a function's reserved concurrency. 0 stops every invocation at once (containment), without deleting anything; the previous value is returned, with the step that restores it.",
  inputs: z.strictObject({
    function_name: unqualifiedFunctionNameInput(
      "reserved concurrency is set on the whole function",
    ),
    reserved_concurrent_executions: z
      .number({ error: "must be a whole number" })
      .int("must be a whole number")
      .min(0, "must be 0 or more")
      .meta({
        title: "Reserved Concurrent Executions",
        description: "0 throttles every invocation; a positive number caps concurrent runs.",
        examples: [0],
      }),
    require_previous_state: requirePreviousStateInput,
  }),
  output: concurrencyChangeOutput,
  before: readConcurrency,
  call: {
    operation: "PutFunctionConcurrency",
    ...onFunction,
    retry: "idempotent",
    hints: {
      InvalidParameterValueException:
        "Check reserved_concurrent_executions: it must leave the account at least 100 unreserved concurrent executions (see get_account_settings).",
    },
    command: (inputs) =>
      new PutFunctionConcurrencyCommand({
        FunctionName: inputs.function_name,
        ReservedConcurrentExecutions: inputs.reserved_concurrent_executions,
      }),
    output: (response: PutFunctionConcurrencyCommandOutput, inputs, previous) =>
      concurrencyChange(
        inputs.function_name,
        previous,
        response.ReservedConcurrentExecutions ?? inputs.reserved_concurrent_executions,
      ),
  },
});
