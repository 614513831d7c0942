import {
  PutFunctionEventInvokeConfigCommand,
  type PutFunctionEventInvokeConfigCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { functionNameOutput, qualifierOutput } from "../../outputFields.js";
import { wholeNumberInput } from "../../wholeNumberInput.js";
import { changeOutputs, requirePreviousStateInput } from "../change.js";
import { defineOperationAction } from "../defineAction.js";
import {
  describeEventInvokeConfig,
  type EventInvokeConfig,
  eventInvokeConfigChange,
  eventInvokeConfigChanged,
  eventInvokeConfigOf,
  eventInvokeConfigSchema,
  previousEventInvokeConfigSchema,
  readEventInvokeConfig,
} from "../eventInvokeConfig.js";
import { definedMembers, functionMembers, functionTargetInputs, onFunction } from "../fields.js";

const destinationInput = (when: string) =>
  z
    .string({ error: "must be a string" })
    .regex(
      /^arn:[a-z-]+:(sqs|sns|events|lambda|s3):[a-z0-9-]*:\d{12}:.+$|^arn:[a-z-]+:s3:::.+$/,
      "must be the ARN of an SQS queue, SNS topic, EventBridge bus, Lambda function or S3 bucket",
    )
    .optional()
    .meta({
      title: `On ${when} Destination`,
      description: `Where ${when === "Success" ? "successful" : "failed"} asynchronous invocations go; leave empty for none.`,
    });

type Inputs = {
  maximum_retry_attempts?: number | undefined;
  maximum_event_age_in_seconds?: number | undefined;
  on_success_destination?: string | undefined;
  on_failure_destination?: string | undefined;
};

/** The settings the inputs ask for, as get_function_event_invoke_config would print them. */
function wanted(inputs: Inputs): EventInvokeConfig {
  return {
    configured: true,
    maximum_retry_attempts: inputs.maximum_retry_attempts ?? null,
    maximum_event_age_in_seconds: inputs.maximum_event_age_in_seconds ?? null,
    on_success_destination: inputs.on_success_destination ?? null,
    on_failure_destination: inputs.on_failure_destination ?? null,
    last_modified: null,
  };
}

/**
 * put_function_event_invoke_config: set all of a function's asynchronous invocation
 * settings at once; leaving the destinations out cuts the data paths they were.
 */
export const putFunctionEventInvokeConfigAction = defineOperationAction({
  name: "put_function_event_invoke_config",
  title: "Put Function Event Invoke Config",
  description:
    "Set a function's asynchronous invocation settings, replacing all of them: what is left out is unset, so leaving out the destinations cuts where its results went (an exfiltration path). The settings before are returned, with the step that restores them.",
  inputs: z.strictObject({
    ...functionTargetInputs,
    maximum_retry_attempts: z
      .number({ error: "must be a whole number" })
      .int("must be a whole number")
      .min(0, "must be 0, 1 or 2")
      .max(2, "must be 0, 1 or 2")
      .optional()
      .meta({
        title: "Maximum Retry Attempts",
        description: "0 to 2; empty: Lambda's default (2).",
      }),
    maximum_event_age_in_seconds: z.optional(wholeNumberInput(60, 21600, "seconds")).meta({
      title: "Maximum Event Age (seconds)",
      description: "60 to 21600; empty: Lambda's default (6 hours).",
    }),
    on_success_destination: destinationInput("Success"),
    on_failure_destination: destinationInput("Failure"),
    require_previous_state: requirePreviousStateInput,
  }),
  output: z.object({
    function_name: functionNameOutput,
    qualifier: qualifierOutput,
    event_invoke_config: eventInvokeConfigSchema.meta({
      description: "The settings as they are after the change.",
    }),
    ...changeOutputs(previousEventInvokeConfigSchema, "when previous is unknown"),
  }),
  before: readEventInvokeConfig,
  call: {
    operation: "PutFunctionEventInvokeConfig",
    ...onFunction,
    retry: "idempotent",
    hints: {
      InvalidParameterValueException:
        "Check the destinations: each must exist, and the function's execution role must be allowed to send to it.",
    },
    command: (inputs) =>
      new PutFunctionEventInvokeConfigCommand({
        ...functionMembers(inputs),
        ...definedMembers(inputs, {
          maximum_retry_attempts: "MaximumRetryAttempts",
          maximum_event_age_in_seconds: "MaximumEventAgeInSeconds",
        }),
        DestinationConfig: {
          ...(inputs.on_success_destination === undefined
            ? {}
            : { OnSuccess: { Destination: inputs.on_success_destination } }),
          ...(inputs.on_failure_destination === undefined
            ? {}
            : { OnFailure: { Destination: inputs.on_failure_destination } }),
        },
      }),
    unchanged: (inputs, before) =>
      before.configured && !eventInvokeConfigChanged(before, wanted(inputs))
        ? {
            ...eventInvokeConfigOf(inputs, before),
            ...eventInvokeConfigChange(inputs, before, false),
          }
        : undefined,
    output: (response: PutFunctionEventInvokeConfigCommandOutput, inputs, before) => ({
      ...eventInvokeConfigOf(inputs, describeEventInvokeConfig(response)),
      ...eventInvokeConfigChange(inputs, before, true),
    }),
  },
});
