import type { Reply } from "./Reply.js";

/**
 * A successful REST-JSON answer: status 200 and `value` as compact JSON.
 *
 * @example
 * ```ts
 * jsonReply({ Functions: [], NextMarker: marker });
 * ```
 */
export function jsonReply(value: unknown): Reply {
  return {
    kind: "respond",
    status: 200,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(value),
  };
}
