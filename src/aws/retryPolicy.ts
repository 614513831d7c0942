import { StandardRetryStrategy } from "@smithy/core/retry";
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from "@smithy/types";
import { isConnectTimeout, networkPhase } from "./networkErrors.js";

/**
 * How an operation may be retried, declared by each action:
 * - `idempotent`: reads and idempotent writes; the SDK's standard strategy retries
 *   throttling, 5xx and network errors;
 * - `at-most-once`: the call must not take effect twice (an invocation, a non-idempotent
 *   write): sent again only when it provably did not reach AWS or AWS refused it unrun;
 * - `at-least-once`: an invocation the user opted into running twice
 *   (`allow_duplicate_runs`): everything transient is retried.
 */
export type RetryPolicy = "idempotent" | "at-most-once" | "at-least-once";

/** Attempts per call, as the SDK's standard mode. */
export const MAX_ATTEMPTS = 3;

/**
 * What a failed call tells about whether it took effect:
 * - `not-run`: AWS refused it before acting (throttled) or no connection was ever
 *   made, so sending it again cannot make it happen twice;
 * - `may-have-run`: the request may have reached AWS (reset connection, timeout, 5xx);
 * - `final`: retrying cannot help (bad request, permissions, broken function config).
 */
export type FailureKind = "not-run" | "may-have-run" | "final";

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
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/**
 * Classifies a failed call by whether it may have taken effect.
 *
 * @example
 * ```ts
 * classifyFailure(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }));
 * // "may-have-run"
 * ```
 */
export function classifyFailure(error: unknown): FailureKind {
  const e = (error ?? {}) as ErrorLike;
  const name = typeof e.name === "string" ? e.name : "";
  const status = e.$metadata?.httpStatusCode;
  if (isFunctionConfigurationError(name)) {
    return "final";
  }
  if (status === 429 || name === "TooManyRequestsException") {
    // Only AWS's own refusal proves nothing ran: a proxy or gateway may answer 429
    // after it forwarded the call. Every AWS answer carries a request ID.
    return e.$metadata?.requestId === undefined ? "may-have-run" : "not-run";
  }
  if (status !== undefined) {
    return status >= 500 ? "may-have-run" : "final";
  }
  const phase = networkPhase(error);
  if (phase === "before-send" || isConnectTimeout(error)) {
    return "not-run";
  }
  if (phase === "mid-flight" || name === "TimeoutError") {
    return "may-have-run";
  }
  return "final";
}

/**
 * The retry strategy for calls that must not take effect twice. It keeps the SDK's
 * standard backoff, retry quota and Retry-After handling, but lets a failed call be
 * sent again only when it provably did not run, unless `allowDuplicateRuns` is set.
 * Lambda never retries a direct invocation itself, so a blind retry after a reset
 * connection or a timeout can run the function twice.
 */
export class AtMostOnceRetryStrategy implements RetryStrategyV2 {
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
    const kind = classifyFailure(errorInfo.error);
    const allowed = kind === "not-run" || (kind === "may-have-run" && this.allowDuplicateRuns);
    if (!allowed) {
      return Promise.reject(new Error(`Failure is not retried (${kind})`));
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

/**
 * The SDK retry strategy for a policy.
 *
 * @example
 * ```ts
 * new LambdaClient({ retryStrategy: retryStrategyFor("at-most-once") });
 * ```
 */
export function retryStrategyFor(
  policy: RetryPolicy,
  maxAttempts: number = MAX_ATTEMPTS,
): RetryStrategyV2 {
  if (policy === "idempotent") {
    return new StandardRetryStrategy(maxAttempts);
  }
  return new AtMostOnceRetryStrategy({
    maxAttempts,
    allowDuplicateRuns: policy === "at-least-once",
  });
}
