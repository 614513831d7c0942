import type {
  FunctionConfiguration,
  GetFunctionConfigurationCommandOutput,
} from "@aws-sdk/client-lambda";
import type { z } from "zod";
import type { AwsCall } from "../aws/call.js";
import type { Executor, SdkCommand } from "../aws/executor.js";
import { field } from "../outputFields.js";
import { type BeforeRead, unlessReadDenied } from "./defineAction.js";
import { waitSecondsInput } from "./fields.js";
import { functionSummarySchema, summarizeFunction } from "./functionConfiguration.js";
import { changedButUnread, sendChange } from "./lostChange.js";
import { getFunctionConfiguration } from "./reads.js";

/**
 * The configuration an update action reads before it changes anything (GetFunctionConfiguration),
 * or why it is unknown when the read is denied; see {@link unlessReadDenied} for `needed`.
 */
export function readSettingsBefore<Inputs extends { function_name: string; qualifier?: string }>(
  inputs: Inputs,
  executor: Executor,
  needed = false,
): Promise<BeforeRead<GetFunctionConfigurationCommandOutput>> {
  return unlessReadDenied(
    () =>
      executor.send<GetFunctionConfigurationCommandOutput, Inputs>(
        getFunctionConfiguration,
        getFunctionConfiguration.command(inputs),
        inputs,
      ),
    inputs,
    needed,
  );
}

/** How often the function's LastUpdateStatus is read while an update is in progress. */
export const UPDATE_POLL_INTERVAL_MS = 1000;

/** The `wait_seconds` input of the update actions. */
export const updateWaitInput = waitSecondsInput(
  "Wait up to this long for the update to finish (LastUpdateStatus Successful or Failed); 0: do not wait.",
);

/**
 * A function's code and configuration as the update actions print them, before and after:
 * environment variable names only, never their values.
 */
export const functionSettingsSchema = functionSummarySchema.extend({
  name: field.text("The function's name."),
  arn: field.text("The function's ARN (with :version for a version)."),
  handler: field.nullableText("The entry point, e.g. app.handler."),
  description: field.nullableText("The function's description."),
  version: field.nullableText("$LATEST, or the version described."),
  code_sha256: field.nullableText(
    "Base64 SHA-256 of the deployment package, as Lambda reports it.",
  ),
  code_size: field.nullableNumber("Deployment package size in bytes."),
  revision_id: field.nullableText("The function's revision: the revision_id guard of a change."),
  layers: field.texts("Layer version ARNs, in order."),
  dead_letter_target_arn: field.nullableText(
    "Where failed asynchronous events go (queue or topic); null: nowhere.",
  ),
  environment_names: field.texts(
    "The environment variables' names; their values are never printed.",
  ),
});

/** A function's code and configuration, as the update actions print them. */
export type FunctionSettings = z.output<typeof functionSettingsSchema>;

/** The configuration AWS returns, as the update actions print it: values of the environment left out. */
export function describeSettings(fn: FunctionConfiguration): FunctionSettings {
  return {
    ...summarizeFunction(fn),
    description: fn.Description ?? null,
    version: fn.Version ?? null,
    code_sha256: fn.CodeSha256 ?? null,
    code_size: fn.CodeSize ?? null,
    revision_id: fn.RevisionId ?? null,
    layers: (fn.Layers ?? []).map((layer) => layer.Arn ?? ""),
    dead_letter_target_arn: fn.DeadLetterConfig?.TargetArn || null,
    environment_names: Object.keys(fn.Environment?.Variables ?? {}).sort(),
  };
}

/** The outputs that say how an update ended. */
export const updateOutcomeFields = {
  last_update_status: field.nullableText(
    "Successful, Failed or InProgress (still running when the wait ended).",
  ),
  last_update_status_reason: field.nullableText(
    "AWS's reason, when the update failed (or is still running).",
  ),
  last_update_status_reason_code: field.nullableText(
    "AWS's reason code, e.g. EniLimitExceeded or InvalidRuntime, when it failed.",
  ),
  update_successful: field.flag("Whether the update finished Successful within wait_seconds."),
  waited_seconds: field.number("How long the run waited for the update."),
};

/** How an update ended: the function as it is then, and its LastUpdateStatus. */
export interface UpdateOutcome {
  current: FunctionConfiguration;
  fields: {
    last_update_status: string | null;
    last_update_status_reason: string | null;
    last_update_status_reason_code: string | null;
    update_successful: boolean;
    waited_seconds: number;
  };
}

/**
 * Reads the function's LastUpdateStatus until the update is no longer InProgress, or
 * until `waitSeconds` have passed by the executor's clock; every read has its own
 * deadline. A read that fails says the update was made, so it is not mistaken for a
 * change that did not happen.
 *
 * @example
 * ```ts
 * const { current, fields } = await waitForUpdate(updated, inputs, executor, 60, "update_function_code", previous);
 * ```
 */
export async function waitForUpdate(
  updated: FunctionConfiguration,
  inputs: { function_name: string },
  executor: Executor,
  waitSeconds: number,
  action: string,
  previous: unknown,
): Promise<UpdateOutcome> {
  const started = executor.now();
  const deadline = started + waitSeconds * 1000;
  let current = updated;
  try {
    while (current.LastUpdateStatus === "InProgress" && executor.now() < deadline) {
      await executor.sleep(UPDATE_POLL_INTERVAL_MS);
      const read = await executor.send<GetFunctionConfigurationCommandOutput, typeof inputs>(
        getFunctionConfiguration,
        getFunctionConfiguration.command(inputs),
        inputs,
      );
      current = { ...read, Version: updated.Version ?? read.Version };
    }
  } catch (error) {
    throw updatedButUnread(error, inputs.function_name, action, previous);
  }
  return {
    current,
    fields: {
      last_update_status: current.LastUpdateStatus ?? null,
      last_update_status_reason: current.LastUpdateStatusReason ?? null,
      last_update_status_reason_code: current.LastUpdateStatusReasonCode ?? null,
      update_successful: current.LastUpdateStatus === "Successful",
      waited_seconds: Math.round((executor.now() - started) / 100) / 10,
    },
  };
}

/** An update that AWS accepted, but whose status could not be read afterwards. */
function updatedButUnread(
  error: unknown,
  name: string,
  action: string,
  previous: unknown,
): unknown {
  return changedButUnread(
    error,
    `Function ${name} was updated, but reading its update status afterwards failed`,
    `The change was made: check its LastUpdateStatus with get_function before running ${action} again; the state before is in previous.`,
    previous,
  );
}

/** The update outputs of a run that changed nothing: the status as it was read. */
export function unchangedOutcome(current: FunctionConfiguration): UpdateOutcome["fields"] {
  return {
    last_update_status: current.LastUpdateStatus ?? null,
    last_update_status_reason: current.LastUpdateStatusReason ?? null,
    last_update_status_reason_code: current.LastUpdateStatusReasonCode ?? null,
    update_successful: current.LastUpdateStatus === "Successful",
    waited_seconds: 0,
  };
}

/**
 * Sends an update of the function and waits for it: a lost answer is told as a change
 * that may have been made, and a failed read afterwards as a change that was made.
 *
 * @example
 * ```ts
 * const { updated, current, fields } = await applyUpdate(executor, call, command, inputs, 60, "update_function_code", previous);
 * ```
 */
export async function applyUpdate<Inputs extends { function_name: string }>(
  executor: Executor,
  call: AwsCall<Inputs>,
  command: SdkCommand,
  inputs: Inputs,
  waitSeconds: number,
  action: string,
  previous: unknown,
): Promise<UpdateOutcome & { updated: FunctionConfiguration }> {
  const updated = await sendChange<FunctionConfiguration & { $metadata: object }, Inputs>(
    executor,
    call,
    command,
    inputs,
    { target: `function ${inputs.function_name}`, checkWith: "get_function" },
    previous,
  );
  return {
    updated,
    ...(await waitForUpdate(updated, inputs, executor, waitSeconds, action, previous)),
  };
}
