import type { RawAnswer } from "../Faults.js";
import type { Reply } from "./Reply.js";

/**
 * A raw fault's answer, exactly as given: its status, its content type (none when not
 * given), its headers and body, and `x-amzn-RequestId` only when asked for.
 *
 * @example
 * ```ts
 * rawReply({ status: 403, contentType: "text/html", body: "<html>Forbidden</html>" });
 * ```
 */
export function rawReply(answer: RawAnswer): Reply {
  return {
    kind: "respond",
    status: answer.status,
    headers: {
      ...(answer.contentType === undefined ? {} : { "content-type": answer.contentType }),
      ...answer.headers,
    },
    body: answer.body,
    withoutRequestId: answer.requestId !== true,
  };
}
