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
  return new ConnectorError(
    error.code,
    `${target}: the ${call.operation} call may have taken effect, but its answer was lost. ${error.message}`,
    {
      hint: `Check with ${call.checkWith} whether the change took effect before running the action again: a second run would read the changed state as the state before. The state before this change is in previous.`,
      mayHaveChanged: true,
      previous: previous ?? null,
      cause: error.cause,
      ...(error.awsErrorCode === undefined ? {} : { awsErrorCode: error.awsErrorCode }),
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
      ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
    },
  );
}
