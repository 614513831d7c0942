import { DeleteFunctionEventInvokeConfigCommand } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { changeOutputs, requirePreviousStateInput } from "../change.js";
import { defineOperationAction } from "../defineAction.js";
import {
  eventInvokeConfigOf,
  previousEventInvokeConfigSchema,
  readEventInvokeConfig,
  restoreEventInvokeConfig,
} from "../eventInvokeConfig.js";
import {
  functionNameInput,
  functionNameOutput,
  onFunction,
  qualifierInput,
  qualifierOf,
  qualifierOutput,
} from "../fields.js";

/**
 * delete_function_event_invoke_config: remove a function's asynchronous invocation
 * settings, its destinations with them.
 */
export const deleteFunctionEventInvokeConfigAction = defineOperationAction({
  name: "delete_function_event_invoke_config",
  title: "Delete Function Event Invoke Config",
  description:
    "Delete a function's asynchronous invocation settings, destinations included (Lambda's defaults apply again: 2 retries, 6 hours, no destinations). The settings are returned, with the put_function_event_invoke_config step that restores them; a function without settings is a success that changed nothing.",
  inputs: z.strictObject({
    function_name: functionNameInput,
    qualifier: qualifierInput,
    require_previous_state: requirePreviousStateInput,
  }),
  output: z.object({
    function_name: functionNameOutput,
    qualifier: qualifierOutput,
    ...changeOutputs(previousEventInvokeConfigSchema, "when previous is unknown"),
  }),
  before: readEventInvokeConfig,
  call: {
    operation: "DeleteFunctionEventInvokeConfig",
    ...onFunction,
    // Sent twice, a deletion that took effect the first time fails the second as not found.
    retry: "at-most-once",
    command: (inputs) =>
      new DeleteFunctionEventInvokeConfigCommand({
        FunctionName: inputs.function_name,
        ...qualifierOf(inputs),
      }),
    unchanged: (inputs, before) =>
      before.configured
        ? undefined
        : {
            function_name: inputs.function_name,
            qualifier: inputs.qualifier ?? null,
            changed: false,
            previous: eventInvokeConfigOf(inputs, before),
            undo: [],
          },
    output: (_response: unknown, inputs, before) => ({
      function_name: inputs.function_name,
      qualifier: inputs.qualifier ?? null,
      changed: true,
      previous: before === undefined ? null : eventInvokeConfigOf(inputs, before),
      undo: before === undefined ? [] : [restoreEventInvokeConfig(inputs, before)],
    }),
  },
});
