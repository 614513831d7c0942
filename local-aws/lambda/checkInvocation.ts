import type { ReceivedRequest } from "../auth/verifySignature.js";
import { headerValue } from "../http/headerValue.js";
import type { Step } from "../http/Reply.js";
import { lambdaError } from "./lambdaError.js";

/** What an invocation carries once its headers and payload passed Lambda's checks. */
export interface CheckedInvocation {
  /** The event as JSON text (`{}` for an empty payload). */
  eventJson: string;
  /** The decoded `X-Amz-Client-Context`, when sent. */
  clientContext: unknown;
  /** Whether to return the log tail: `LogType: Tail` on a synchronous invoke. */
  tail: boolean;
}

const SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
const ASYNC_PAYLOAD_LIMIT = 1024 * 1024;
const CLIENT_CONTEXT_LIMIT = 3583;
const INVOCATION_TYPES = ["RequestResponse", "Event", "DryRun"];

/**
 * Lambda's checks of an invocation's headers and payload, before anything runs: the
 * invocation and log types, the payload's size limit and JSON, and the client context.
 */
export function checkInvocation(
  request: ReceivedRequest,
  invocationType: string,
): Step<CheckedInvocation> {
  if (!INVOCATION_TYPES.includes(invocationType)) {
    return {
      ok: false,
      reply: lambdaError(
        400,
        "ValidationException",
        `1 validation error detected: Value '${invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
      ),
    };
  }
  const logType = headerValue(request.headers, "x-amz-log-type") ?? "None";
  if (logType !== "None" && logType !== "Tail") {
    return {
      ok: false,
      reply: lambdaError(
        400,
        "ValidationException",
        `1 validation error detected: Value '${logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]`,
      ),
    };
  }
  const limit = invocationType === "Event" ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
  if (request.body.length > limit) {
    return {
      ok: false,
      reply: lambdaError(
        413,
        "RequestTooLargeException",
        `Request must be smaller than ${limit} bytes for the ${invocationType === "Event" ? "InvokeAsync" : "InvokeFunction"} operation`,
      ),
    };
  }
  const eventJson = request.body.length === 0 ? "{}" : request.body.toString("utf8");
  try {
    JSON.parse(eventJson);
  } catch (error) {
    return {
      ok: false,
      reply: lambdaError(
        400,
        "InvalidRequestContentException",
        `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`,
      ),
    };
  }
  const clientContext = decodeClientContext(headerValue(request.headers, "x-amz-client-context"));
  if (!clientContext.ok) {
    return clientContext;
  }
  return {
    ok: true,
    value: {
      eventJson,
      clientContext: clientContext.value,
      tail: logType === "Tail" && invocationType === "RequestResponse",
    },
  };
}

function decodeClientContext(header: string | undefined): Step<unknown> {
  if (header === undefined) {
    return { ok: true, value: undefined };
  }
  if (header.length > CLIENT_CONTEXT_LIMIT) {
    return {
      ok: false,
      reply: lambdaError(
        400,
        "InvalidParameterValueException",
        `Client context must be at most ${CLIENT_CONTEXT_LIMIT} bytes once Base64-encoded.`,
      ),
    };
  }
  try {
    const value: unknown = JSON.parse(Buffer.from(header, "base64").toString("utf8"));
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return { ok: true, value };
    }
  } catch {
    // Falls through to the same answer as a JSON value that is not an object.
  }
  return {
    ok: false,
    reply: lambdaError(
      400,
      "InvalidRequestContentException",
      "Client context must be a valid Base64-encoded JSON object.",
    ),
  };
}
