/**
 * What Node's network errors mean for a call to AWS, in one table that both the retry
 * policy (may the call be sent again?) and the error hints (what to tell the user) read.
 */

/**
 * When a network error happened, relative to the request reaching AWS:
 * - `before-send`: no connection was ever made, so nothing of the request left;
 * - `mid-flight`: the request may have been delivered (and a function may have run).
 */
export type NetworkPhase = "before-send" | "mid-flight";

interface NetworkErrorInfo {
  phase: NetworkPhase;
  /** What happened, in words for an error message. */
  description: string;
}

/** Node's error codes for connections to AWS, by what they tell. */
export const NETWORK_ERRORS: Readonly<Record<string, NetworkErrorInfo>> = {
  ECONNREFUSED: { phase: "before-send", description: "nothing accepted the connection" },
  ENOTFOUND: { phase: "before-send", description: "the host name does not resolve" },
  EAI_AGAIN: { phase: "before-send", description: "DNS lookup failed for now" },
  EHOSTUNREACH: { phase: "before-send", description: "the host is unreachable" },
  ENETUNREACH: { phase: "before-send", description: "the network is unreachable" },
  ECONNRESET: { phase: "mid-flight", description: "the connection was reset" },
  EPIPE: { phase: "mid-flight", description: "the connection was closed while sending" },
  ETIMEDOUT: { phase: "mid-flight", description: "the connection timed out" },
  ECONNABORTED: { phase: "mid-flight", description: "the connection was aborted" },
};

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

/**
 * The Node error code of `error` or of an error in its cause chain (the SDK and the
 * proxy agent wrap socket errors), e.g. `ECONNRESET`.
 *
 * @example
 * ```ts
 * networkErrorCode(new Error("wrapped", { cause: Object.assign(new Error(), { code: "EPIPE" }) })); // "EPIPE"
 * ```
 */
export function networkErrorCode(error: unknown): string | undefined {
  let current = error as ErrorLike | undefined;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth += 1) {
    if (typeof current.code === "string") {
      return current.code;
    }
    current = current.cause as ErrorLike | undefined;
  }
  return undefined;
}

/** The phase of a network error, or `undefined` when its code is not in the table. */
export function networkPhase(error: unknown): NetworkPhase | undefined {
  const code = networkErrorCode(error);
  return code === undefined ? undefined : NETWORK_ERRORS[code]?.phase;
}

/**
 * The Node handler's connection timeout fires before the socket is connected; its
 * message, in @smithy/node-http-handler 4.x, is "… did not establish a connection …".
 */
export function isConnectTimeout(error: unknown): boolean {
  return isTimeoutSaying(error, "did not establish a connection");
}

/**
 * The handler's own request timeout. The handler also renames resets and OS-level
 * timeouts to `TimeoutError` (keeping their `code`), so the name alone is not enough.
 */
export function isRequestTimeout(error: unknown): boolean {
  return isTimeoutSaying(error, "requestTimeout");
}

/** TLS failures: certificate checks and handshakes. */
export function isTlsFailure(code: string | undefined): boolean {
  return code !== undefined && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL/.test(code);
}

/** A `TimeoutError` of the Node handler whose message holds `text`. */
function isTimeoutSaying(error: unknown, text: string): boolean {
  const e = (error ?? {}) as ErrorLike;
  return e.name === "TimeoutError" && typeof e.message === "string" && e.message.includes(text);
}
