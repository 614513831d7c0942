import { StandardRetryStrategy } from "@smithy/core/retry";
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from "@smithy/types";

/**
 * What a failed Invoke tells about whether the function ran:
 * - `not-run`: Lambda refused before running it (throttled) or no connection was ever
 *   made, so sending again cannot run it twice;
 * - `may-have-run`: the request may have reached the function (reset connection,
 *   timeout, 5xx), so sending again may run it a second time;
 * - `final`: retrying cannot help (bad request, permissions, broken function config).
 */
export type InvokeFailureKind = "not-run" | "may-have-run" | "final";

/** Connection errors that happen before any byte of the request left the machine. */
const NEVER_CONNECTED_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/** Network errors after which the request may have been delivered. */
export const MID_FLIGHT_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ECONNABORTED",
]);

/**
 * 502s that report a broken function configuration (VPC, ENI, KMS, runtime, package):
 * the SDK counts some as throttling, but every retry would fail the same way.
 */
const CONFIGURATION_ERROR =
  /^(EC2|ENI|Subnet|SecurityGroup|KMS|EFS|SnapStart|InvalidRuntime|InvalidZipFile|InvalidSecurityGroupID|InvalidSubnetID)/;

/**
 * Whether an AWS error code reports a function whose configuration stops it from
 * starting (VPC, ENI, KMS, runtime, package).
 */
export function isFunctionConfigurationError(awsCode: string): boolean {
  return CONFIGURATION_ERROR.test(awsCode);
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Classifies an Invoke failure by whether the function may have run.
 *
 * @example
 * ```ts
 * classifyInvokeFailure(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }));
 * // "may-have-run"
 * ```
 */
export function classifyInvokeFailure(error: unknown): InvokeFailureKind {
  const e = (error ?? {}) as ErrorLike;
  const name = typeof e.name === "string" ? e.name : "";
  const status = e.$metadata?.httpStatusCode;
  if (isFunctionConfigurationError(name)) {
    return "final";
  }
  if (name === "TooManyRequestsException" || status === 429) {
    return "not-run";
  }
  if (status !== undefined) {
    return status >= 500 ? "may-have-run" : "final";
  }
  const code = networkCode(e);
  if (code !== undefined && NEVER_CONNECTED_CODES.has(code)) {
    return "not-run";
  }
  if (isConnectTimeout(e)) {
    return "not-run";
  }
  if ((code !== undefined && MID_FLIGHT_CODES.has(code)) || name === "TimeoutError") {
    return "may-have-run";
  }
  return "final";
}

function networkCode(e: ErrorLike, depth = 0): string | undefined {
  if (typeof e.code === "string") {
    return e.code;
  }
  if (e.cause !== undefined && e.cause !== null && depth < 5) {
    return networkCode(e.cause as ErrorLike, depth + 1);
  }
  return undefined;
}

/**
 * The Node handler's connection timeout fires before the socket is connected; its
 * message, in @smithy/node-http-handler 4.x, is "… did not establish a connection …".
 */
export function isConnectTimeout(e: ErrorLike): boolean {
  return (
    e.name === "TimeoutError" &&
    typeof e.message === "string" &&
    e.message.includes("did not establish a connection")
  );
}

/**
 * The retry strategy of the Lambda client used for Invoke. It keeps the SDK's standard
 * backoff, retry quota and Retry-After handling, but only lets a failed invoke be sent
 * again when the function provably did not run, unless `allowDuplicateRuns` is set.
 * Lambda itself never retries a direct invocation, so a blind retry after a reset
 * connection or a timeout can run the function twice.
 */
export class InvokeRetryStrategy implements RetryStrategyV2 {
  readonly mode = "standard";
  private readonly standard: StandardRetryStrategy;
  private readonly allowDuplicateRuns: boolean;

  constructor(options: { maxAttempts: number; allowDuplicateRuns: boolean }) {
    this.standard = new StandardRetryStrategy(options.maxAttempts);
    this.allowDuplicateRuns = options.allowDuplicateRuns;
  }

  acquireInitialRetryToken(retryTokenScope: string): Promise<StandardRetryToken> {
    return this.standard.acquireInitialRetryToken(retryTokenScope);
  }

  refreshRetryTokenForRetry(
    token: StandardRetryToken,
    errorInfo: RetryErrorInfo,
  ): Promise<StandardRetryToken> {
    const kind = classifyInvokeFailure(errorInfo.error);
    const allowed = kind === "not-run" || (kind === "may-have-run" && this.allowDuplicateRuns);
    if (!allowed) {
      return Promise.reject(new Error(`Invoke failure is not retried (${kind})`));
    }
    // The SDK classifies a refused connection as transient and throttling as
    // throttling, so the standard strategy accepts every `not-run` case; 5xx and
    // resets are transient too, for the opted-in at-least-once mode.
    return this.standard.refreshRetryTokenForRetry(token, errorInfo);
  }

  recordSuccess(token: StandardRetryToken): void {
    this.standard.recordSuccess(token);
  }
}
