import type { Reply } from "../http/Reply.js";
import type { RunOutcome } from "./FunctionRunner.js";
import { logTail } from "./logTail.js";

const RESPONSE_LIMIT = 6 * 1024 * 1024;

/** The 200 of a synchronous invocation; function errors travel in headers and payload. */
export function syncReply(outcome: RunOutcome, version: string, tail: boolean): Reply {
  let { payload, functionError } = outcome;
  if (Buffer.byteLength(payload) > RESPONSE_LIMIT) {
    payload = JSON.stringify({
      errorMessage: `Response payload size exceeded maximum allowed payload size (${RESPONSE_LIMIT} bytes).`,
      errorType: "Function.ResponseSizeTooLarge",
    });
    functionError = true;
  }
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "X-Amz-Executed-Version": version,
  };
  if (functionError) {
    headers["X-Amz-Function-Error"] = "Unhandled";
  }
  if (tail) {
    headers["X-Amz-Log-Result"] = logTail(outcome.log);
  }
  return { kind: "respond", status: 200, headers, body: payload };
}
