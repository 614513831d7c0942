import type { Reply } from "./Reply.js";

/**
 * A successful REST-JSON answer: `value` as compact JSON, with status 200 unless the
 * operation answers with another (201 for the creating calls, 202 for some updates).
 *
 * @example
 * ```ts
 * jsonReply({ Functions: [], NextMarker: marker });
 * jsonReply(configuration, 201);
 * ```
 */
export function jsonReply(value: unknown, status = 200): Reply {
  return {
    kind: "respond",
    status,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(value),
  };
}
