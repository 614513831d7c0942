import type { GetFunctionEventInvokeConfigCommandOutput } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { defineOperationAction } from "../defineAction.js";
import {
  describeEventInvokeConfig,
  eventInvokeConfigOf,
  eventInvokeConfigOutput,
  NO_EVENT_INVOKE_CONFIG,
  readEventInvokeConfig,
} from "../eventInvokeConfig.js";
import { functionNameInput, qualifierInput } from "../fields.js";
import { unlessFunctionMissing } from "../reads.js";

/**
 * get_function_event_invoke_config: where a function's asynchronous results go, and how
 * often failures are retried.
 */
export const getFunctionEventInvokeConfigAction = defineOperationAction({
  name: "get_function_event_invoke_config",
  title: "Get Function Event Invoke Config",
  description:
    "Return a function's asynchronous invocation settings: retries, maximum event age, and the destinations its results go to (another account's queue or bus is a data path out). A function without settings is a success that says so.",
  inputs: z.strictObject({ function_name: functionNameInput, qualifier: qualifierInput }),
  output: eventInvokeConfigOutput,
  call: {
    ...readEventInvokeConfig,
    absent: unlessFunctionMissing((inputs) => eventInvokeConfigOf(inputs, NO_EVENT_INVOKE_CONFIG)),
    output: (response: GetFunctionEventInvokeConfigCommandOutput, inputs) =>
      eventInvokeConfigOf(inputs, describeEventInvokeConfig(response)),
  },
});
