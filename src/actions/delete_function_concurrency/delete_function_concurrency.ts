import { DeleteFunctionConcurrencyCommand } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { defineOperationAction } from "../defineAction.js";
import { functionNameInput, onFunction } from "../fields.js";
import {
  concurrencyChangeOutput,
  readConcurrency,
} from "../put_function_concurrency/put_function_concurrency.js";

/** delete_function_concurrency: remove a function's reserved concurrency (undo a throttle). */
export const deleteFunctionConcurrencyAction = defineOperationAction({
  name: "delete_function_concurrency",
  title: "Delete Function Concurrency",
  description:
    "Remove a function's reserved concurrency, so it runs on the account's unreserved pool again (e.g. to lift a containment throttle); the previous value is returned.",
  inputs: z.strictObject({ function_name: functionNameInput }),
  output: concurrencyChangeOutput,
  before: readConcurrency,
  call: {
    operation: "DeleteFunctionConcurrency",
    ...onFunction,
    retry: "idempotent",
    command: (inputs) =>
      new DeleteFunctionConcurrencyCommand({ FunctionName: inputs.function_name }),
    output: (_response: unknown, inputs, previous) => ({
      function_name: inputs.function_name,
      reserved_concurrent_executions: null,
      previous_reserved_concurrent_executions: previous,
    }),
  },
});
