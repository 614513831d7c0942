import type { MetadataBearer } from "@smithy/types";
import type { AwsCall } from "../aws/call.js";
import type { Executor, SdkCommand } from "../aws/executor.js";
import { classifyFailure } from "../aws/retryPolicy.js";
import { ConnectorError } from "../errors.js";

/** What a change action says about a change whose answer was lost. */
export interface ChangeCall {
  /** The AWS operation, e.g. `RemovePermission`. */
  operation: string;
  /** What it changes, e.g. `function public-webhook`. */
  target: string;
  /** The action that shows whether the change took effect, e.g. `get_policy`. */
  checkWith: string;
}

/**
 * The failure of a change, told as it is: when the request may have reached AWS (a
 * connection reset after sending, a timeout, a 5xx), the change may have taken effect,
 * so the error says so (`may_have_changed`), carries the state the read before found
 * (`previous`, which a re-run would no longer see), and asks to check before running it
 * again instead of "check the network" or "run it again later". Other failures are
 * returned unchanged.
 *
 * @example
 * ```ts
 * try {
 *   await executor.send(spec, new DeleteFunctionCommand(input));
 * } catch (error) {
 *   throw lostChange(error, { operation: "DeleteFunction", target: "function f", checkWith: "get_function" }, previous);
 * }
 * ```
 */
export function lostChange(error: unknown, call: ChangeCall, previous: unknown): unknown {
  if (!(error instanceof ConnectorError) || classifyFailure(error.cause) !== "may-have-run") {
    return error;
  }
  const target = call.target.charAt(0).toUpperCase() + call.target.slice(1);
  return mayHaveChanged(
    error,
    `${target}: the ${call.operation} call may have taken effect, but its answer was lost. ${error.message}`,
    `Check with ${call.checkWith} whether the change took effect before running the action again: a second run would read the changed state as the state before. The state before this change is in previous.`,
    previous,
  );
}

/** `error` retold as a change that may have been made, with AWS's details and the state before. */
function mayHaveChanged(
  error: ConnectorError,
  message: string,
  hint: string,
  previous: unknown,
): ConnectorError {
  return new ConnectorError(error.code, message, {
    hint,
    mayHaveChanged: true,
    previous: previous ?? null,
    cause: error.cause,
    ...(error.awsErrorCode === undefined ? {} : { awsErrorCode: error.awsErrorCode }),
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
  });
}

/**
 * Sends one change through the executor; a failure after which it may have taken effect
 * becomes {@link lostChange}'s error, carrying `previous`.
 *
 * @example
 * ```ts
 * const out = await sendChange(executor, call, new PublishVersionCommand(input), inputs, { target: "function f", checkWith: "list_versions_by_function" }, previous);
 * ```
 */
export function sendChange<Output extends MetadataBearer, Inputs>(
  executor: Executor,
  call: AwsCall<Inputs>,
  command: SdkCommand,
  inputs: Inputs,
  about: Omit<ChangeCall, "operation">,
  previous: unknown,
): Promise<Output> {
  return executor.send<Output, Inputs>(call, command, inputs).catch((error: unknown) => {
    throw lostChange(error, { operation: call.operation, ...about }, previous);
  });
}

/**
 * The failure of a read after a change that AWS accepted: the change was made, so the
 * error says so (`may_have_changed`, with the state before in `previous`) instead of
 * reading as if nothing had happened. `what` opens the message, `hint` the hint; the
 * read's own message and hint follow. Other failures are returned unchanged.
 *
 * @example
 * ```ts
 * throw changedButUnread(error, "Function f was updated, but reading its status afterwards failed", "Check with get_function.", previous);
 * ```
 */
export function changedButUnread(
  error: unknown,
  what: string,
  hint: string,
  previous: unknown,
): unknown {
  if (!(error instanceof ConnectorError)) {
    return error;
  }
  return mayHaveChanged(error, `${what}: ${error.message}`, `${hint} ${error.hint}`, previous);
}
