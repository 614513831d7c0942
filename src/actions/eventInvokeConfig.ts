import {
  type FunctionEventInvokeConfig,
  GetFunctionEventInvokeConfigCommand,
  type GetFunctionEventInvokeConfigCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { field, functionNameOutput, qualifierOutput } from "../outputFields.js";
import type { BeforeStep } from "./defineAction.js";
import {
  functionMembers,
  functionTargetOf,
  isoTimestamp,
  onFunction,
  timestampOutput,
} from "./fields.js";
import { unlessFunctionMissing } from "./reads.js";
import { type UndoStep, undoStep } from "./undo.js";

/** A function's asynchronous invocation settings, as the event invoke config actions print them. */
export const eventInvokeConfigSchema = z.object({
  configured: field.flag(
    "false: none is set, and Lambda's defaults apply (2 retries, 6 hours, no destinations).",
  ),
  maximum_retry_attempts: field.nullableNumber(
    "Retries of a failed asynchronous invocation, 0 to 2; null: the default (2).",
  ),
  maximum_event_age_in_seconds: field.nullableNumber(
    "How long an event may wait to be run, 60 to 21600 s; null: the default (6 hours).",
  ),
  on_success_destination: field.nullableText(
    "Where the results of successful asynchronous invocations go (a queue, topic, bus or function ARN): a data path out; null: none.",
  ),
  on_failure_destination: field.nullableText(
    "Where failed asynchronous invocations go: a data path out; null: none.",
  ),
  last_modified: timestampOutput("When the settings last changed (null too when none is set)."),
});

/** One function's asynchronous invocation settings. */
export type EventInvokeConfig = z.output<typeof eventInvokeConfigSchema>;

/** The settings of a function that has none. */
export const NO_EVENT_INVOKE_CONFIG: EventInvokeConfig = {
  configured: false,
  maximum_retry_attempts: null,
  maximum_event_age_in_seconds: null,
  on_success_destination: null,
  on_failure_destination: null,
  last_modified: null,
};

/** The settings as AWS returns them, as the actions print them. */
export function describeEventInvokeConfig(config: FunctionEventInvokeConfig): EventInvokeConfig {
  return {
    configured: true,
    maximum_retry_attempts: config.MaximumRetryAttempts ?? null,
    maximum_event_age_in_seconds: config.MaximumEventAgeInSeconds ?? null,
    on_success_destination: config.DestinationConfig?.OnSuccess?.Destination || null,
    on_failure_destination: config.DestinationConfig?.OnFailure?.Destination || null,
    last_modified: isoTimestamp(config.LastModified),
  };
}

/** The output of get_function_event_invoke_config, and the `previous` of the changes. */
export const eventInvokeConfigOutput = z.object({
  function_name: functionNameOutput,
  qualifier: qualifierOutput,
  event_invoke_config: eventInvokeConfigSchema.meta({
    description: "The function's asynchronous invocation settings (configured false: none set).",
  }),
});

/** The `previous` output of the event invoke config changes. */
export const previousEventInvokeConfigSchema = eventInvokeConfigOutput.nullable().meta({
  description:
    "The settings before the change, as get_function_event_invoke_config prints them; null when they could not be read.",
});

type ConfigInputs = { function_name: string; qualifier?: string | undefined };

/** The read of the settings: GetFunctionEventInvokeConfig, "none set" when the function has none. */
export const readEventInvokeConfig: BeforeStep<
  ConfigInputs,
  GetFunctionEventInvokeConfigCommandOutput,
  EventInvokeConfig
> = {
  operation: "GetFunctionEventInvokeConfig",
  ...onFunction,
  retry: "idempotent",
  command: (inputs) => new GetFunctionEventInvokeConfigCommand(functionMembers(inputs)),
  read: (response) => describeEventInvokeConfig(response),
  absent: unlessFunctionMissing(() => NO_EVENT_INVOKE_CONFIG),
  previous: (config) => config,
  checkWith: "get_function_event_invoke_config",
};

/** The output naming the function, its qualifier and `config`. */
export function eventInvokeConfigOf(
  inputs: ConfigInputs,
  config: EventInvokeConfig,
): z.output<typeof eventInvokeConfigOutput> {
  return { ...functionTargetOf(inputs), event_invoke_config: config };
}

/**
 * The change outputs of a change of the settings read before: the state before and, when
 * the change was made, the step that restores it.
 */
export function eventInvokeConfigChange(
  inputs: ConfigInputs,
  before: EventInvokeConfig | undefined,
  changed: boolean,
): {
  changed: boolean;
  previous: z.output<typeof eventInvokeConfigOutput> | null;
  undo: UndoStep[];
} {
  return {
    changed,
    previous: before === undefined ? null : eventInvokeConfigOf(inputs, before),
    undo: changed && before !== undefined ? [restoreEventInvokeConfig(inputs, before)] : [],
  };
}

/** Whether two settings differ in anything but when they were made. */
export function eventInvokeConfigChanged(a: EventInvokeConfig, b: EventInvokeConfig): boolean {
  const { last_modified: _a, ...left } = a;
  const { last_modified: _b, ...right } = b;
  return JSON.stringify(left) !== JSON.stringify(right);
}

/** The step that puts `previous` back on the function (and qualifier). */
export function restoreEventInvokeConfig(
  inputs: ConfigInputs,
  previous: EventInvokeConfig,
): UndoStep {
  if (!previous.configured) {
    return undoStep("delete_function_event_invoke_config", {
      function_name: inputs.function_name,
      qualifier: inputs.qualifier,
    });
  }
  return undoStep("put_function_event_invoke_config", {
    function_name: inputs.function_name,
    qualifier: inputs.qualifier,
    maximum_retry_attempts: previous.maximum_retry_attempts ?? undefined,
    maximum_event_age_in_seconds: previous.maximum_event_age_in_seconds ?? undefined,
    on_success_destination: previous.on_success_destination ?? undefined,
    on_failure_destination: previous.on_failure_destination ?? undefined,
  });
}
