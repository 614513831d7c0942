import {
  GetFunctionConcurrencyCommand,
  type GetFunctionConcurrencyCommandOutput,
  PutFunctionConcurrencyCommand,
  type PutFunctionConcurrencyCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { type BeforeStep, defineOperationAction } from "../defineAction.js";
import { functionNameInput, onFunction } from "../fields.js";

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
};

/** The output of both concurrency actions. */
export const concurrencyChangeOutput = z.object({
  function_name: z.string(),
  reserved_concurrent_executions: z.number().nullable().meta({
    description: "Reserved concurrency now: 0 stops every invocation; null means none is reserved.",
  }),
  previous_reserved_concurrent_executions: z.number().nullable().meta({
    description:
      "Reserved concurrency before the change (null: none), to restore it with put_function_concurrency or delete_function_concurrency.",
  }),
});

/**
 * put_function_concurrency: reserve concurrency for a function; 0 throttles every
 * invocation, the first step in containing a compromised function.
 */
export const putFunctionConcurrencyAction = defineOperationAction({
  name: "put_function_concurrency",
  title: "Put Function Concurrency",
  description:
    "Set a function's reserved concurrency. 0 stops every invocation at once (containment), without deleting anything; the previous value is returned to undo it.",
  inputs: z.strictObject({
    function_name: functionNameInput,
    reserved_concurrent_executions: z
      .number({ error: "must be a whole number" })
      .int("must be a whole number")
      .min(0, "must be 0 or more")
      .meta({
        title: "Reserved Concurrent Executions",
        description: "0 throttles every invocation; a positive number caps concurrent runs.",
        examples: [0],
      }),
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
    output: (response: PutFunctionConcurrencyCommandOutput, inputs, previous) => ({
      function_name: inputs.function_name,
      reserved_concurrent_executions:
        response.ReservedConcurrentExecutions ?? inputs.reserved_concurrent_executions,
      previous_reserved_concurrent_executions: previous,
    }),
  },
});
