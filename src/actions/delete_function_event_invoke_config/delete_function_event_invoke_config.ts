import { DeleteFunctionEventInvokeConfigCommand } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { functionNameOutput, qualifierOutput } from "../../outputFields.js";
import { changeOutputs, requirePreviousStateInput } from "../change.js";
import { defineOperationAction } from "../defineAction.js";
import {
  eventInvokeConfigChange,
  previousEventInvokeConfigSchema,
  readEventInvokeConfig,
} from "../eventInvokeConfig.js";
import { functionMembers, functionTargetInputs, functionTargetOf, onFunction } from "../fields.js";

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
    ...functionTargetInputs,
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
    command: (inputs) => new DeleteFunctionEventInvokeConfigCommand(functionMembers(inputs)),
    unchanged: (inputs, before) =>
      before.configured
        ? undefined
        : { ...functionTargetOf(inputs), ...eventInvokeConfigChange(inputs, before, false) },
    output: (_response: unknown, inputs, before) => ({
      ...functionTargetOf(inputs),
      ...eventInvokeConfigChange(inputs, before, true),
    }),
  },
});
