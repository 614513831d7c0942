import { DeleteFunctionConcurrencyCommand } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { requirePreviousStateInput } from "../change.js";
import { defineOperationAction } from "../defineAction.js";
import { onFunction, unqualifiedFunctionNameInput } from "../fields.js";
import {
  concurrencyChange,
  concurrencyChangeOutput,
  readConcurrency,
} from "../put_function_concurrency/put_function_concurrency.js";

/** delete_function_concurrency: remove a function's reserved concurrency (undo a throttle). */
export const deleteFunctionConcurrencyAction = defineOperationAction({
  name: "delete_function_concurrency",
  title: "Delete Function Concurrency",
  description:
    "Remove a function's reserved concurrency, so it runs on the account's unreserved pool again (e.g. to lift a containment throttle); the previous value is returned, with the step that restores it.",
  inputs: z.strictObject({
    function_name: unqualifiedFunctionNameInput(
      "reserved concurrency is set on the whole function",
    ),
    require_previous_state: requirePreviousStateInput,
  }),
  output: concurrencyChangeOutput,
  before: readConcurrency,
  call: {
    operation: "DeleteFunctionConcurrency",
    ...onFunction,
    retry: "idempotent",
    command: (inputs) =>
      new DeleteFunctionConcurrencyCommand({ FunctionName: inputs.function_name }),
    output: (_response: unknown, inputs, previous) =>
      concurrencyChange(inputs.function_name, previous, null),
  },
});
