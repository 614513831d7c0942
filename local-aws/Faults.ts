/** The service a fault applies to: Lambda Invoke calls, or STS calls. */
export type FaultService = "lambda" | "sts";

/** One injected fault, as a request meets it. */
export type Fault =
  /** 429 TooManyRequestsException (STS: 400 Throttling); the function does not run. */
  | { kind: "throttle"; reason: string; retryAfterSeconds: number }
  /** A server error with this status; `code` defaults to the service's generic one. */
  | { kind: "fail"; status: number; code?: string; message?: string }
  /** The connection is destroyed before the function runs, or after it really ran. */
  | { kind: "reset"; when: "before" | "after" }
  /** The response is held back this long (after the function ran). */
  | { kind: "delay"; ms: number };

/** A queued fault and how many more requests it will hit. */
export interface PendingFault {
  service: FaultService;
  remaining: number;
  fault: Fault;
}

/** Where a fault applies; Lambda Invoke unless said otherwise. */
export interface FaultTarget {
  service?: FaultService | undefined;
}

/** Lambda's default throttling reason: the function's reserved concurrency is used up. */
export const DEFAULT_THROTTLE_REASON = "ReservedFunctionConcurrentInvocationLimitExceeded";

/**
 * Fault injection for reliability tests. Faults queue up in the order they are added,
 * per service, and each hits the next `count` requests that would otherwise have been
 * served: for Lambda, Invoke calls that passed authentication, validation and
 * authorization (so a fault never hides a 4xx); for STS, authenticated calls.
 *
 * @example
 * ```ts
 * aws.faults.throttleNext(2, { retryAfterSeconds: 0 });
 * aws.faults.resetNext(1, "after"); // the third invoke runs, then its connection drops
 * ```
 */
export class Faults {
  private readonly queue: PendingFault[] = [];

  /** The next `count` calls get 429 TooManyRequestsException with `Reason` and `Retry-After`. */
  throttleNext(
    count: number,
    options: {
      reason?: string | undefined;
      retryAfterSeconds?: number | undefined;
    } & FaultTarget = {},
  ): void {
    this.add(count, options, {
      kind: "throttle",
      reason: options.reason ?? DEFAULT_THROTTLE_REASON,
      retryAfterSeconds: options.retryAfterSeconds ?? 1,
    });
  }

  /**
   * The next `count` calls fail with `status`: Lambda's ServiceException (STS:
   * InternalFailure) by default, or the code given, e.g. `EC2ThrottledException` or
   * `ENILimitReachedException` with 502. The code may be passed alone or in options.
   *
   * @example
   * ```ts
   * faults.failNext(1, 502, "ENILimitReachedException");
   * faults.failNext(1, 503, { code: "ServiceUnavailable", service: "sts" });
   * ```
   */
  failNext(
    count: number,
    status = 500,
    codeOrOptions:
      | string
      | ({ code?: string | undefined; message?: string | undefined } & FaultTarget) = {},
  ): void {
    const options = typeof codeOrOptions === "string" ? { code: codeOrOptions } : codeOrOptions;
    this.add(count, options, {
      kind: "fail",
      status,
      ...(options.code === undefined ? {} : { code: options.code }),
      ...(options.message === undefined ? {} : { message: options.message }),
    });
  }

  /** The next `count` calls lose their connection, before the function runs or after. */
  resetNext(count: number, when: "before" | "after" = "before", options: FaultTarget = {}): void {
    this.add(count, options, { kind: "reset", when });
  }

  /** The next `count` responses are held back `ms` milliseconds. */
  delayNext(count: number, ms: number, options: FaultTarget = {}): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`delay must be a non-negative number of milliseconds, got ${ms}`);
    }
    this.add(count, options, { kind: "delay", ms });
  }

  /** Forgets every queued fault. */
  clear(): void {
    this.queue.length = 0;
  }

  /** The faults still queued, oldest first. */
  pending(): PendingFault[] {
    return this.queue.map((entry) => ({ ...entry }));
  }

  /** Takes the next fault for a request to `service`, if one is queued. */
  take(service: FaultService): Fault | undefined {
    const index = this.queue.findIndex((entry) => entry.service === service);
    const entry = this.queue[index];
    if (entry === undefined) {
      return undefined;
    }
    entry.remaining--;
    if (entry.remaining === 0) {
      this.queue.splice(index, 1);
    }
    return entry.fault;
  }

  private add(count: number, target: FaultTarget, fault: Fault): void {
    if (!Number.isInteger(count) || count < 1) {
      throw new RangeError(`fault count must be a positive integer, got ${count}`);
    }
    this.queue.push({ service: target.service ?? "lambda", remaining: count, fault });
  }
}
