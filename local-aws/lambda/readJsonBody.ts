import type { Step } from "../http/Reply.js";
import { lambdaError } from "./lambdaError.js";

/**
 * A REST-JSON request's body as a JSON object (`{}` when empty), or Lambda's 400 when it
 * is not one.
 *
 * @example
 * ```ts
 * const body = readJsonBody(call.request.body);
 * if (!body.ok) return body;
 * ```
 */
export function readJsonBody(body: Buffer): Step<Record<string, unknown>> {
  if (body.length === 0) {
    return { ok: true, value: {} };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch (error) {
    return {
      ok: false,
      reply: lambdaError(
        400,
        "InvalidRequestContentException",
        `Could not parse request body into json: ${(error as Error).message}`,
      ),
    };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return {
      ok: false,
      reply: lambdaError(
        400,
        "InvalidRequestContentException",
        "Could not parse request body into json: the body is not a JSON object",
      ),
    };
  }
  return { ok: true, value: parsed as Record<string, unknown> };
}
