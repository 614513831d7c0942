import { validateHeaderName, validateHeaderValue } from "node:http";
import { IAM_OPERATIONS, type IamOperation } from "./iam/IamOperation.js";
import { LAMBDA_OPERATIONS, type LambdaOperation } from "./lambda/LambdaOperation.js";
import { STS_OPERATIONS, type StsOperation } from "./sts/StsOperation.js";

/** The service a fault applies to: Lambda, STS or IAM calls. */
export type FaultService = "lambda" | "sts" | "iam";

/** The operation a fault applies to; `*` for any operation of its service. */
export type FaultOperation = LambdaOperation | StsOperation | IamOperation | "*";

/**
 * An answer that did not come from AWS: what a gateway, proxy or VPC endpoint in between
 * sends (an HTML or XML error page, a truncated body), sent exactly as given.
 */
export interface RawAnswer {
  /** 200 to 599. */
  status: number;
  /** Sent as it is; an empty string for an empty body. */
  body: string;
  /** The `Content-Type` header; none at all when not given. */
  contentType?: string | undefined;
  /** More headers to send. `Content-Length` and `Transfer-Encoding` are the endpoint's own. */
  headers?: Record<string, string> | undefined;
  /** Whether to send `x-amzn-RequestId` as AWS would; not by default, as a proxy would not. */
  requestId?: boolean | undefined;
}

/** One injected fault, as a request meets it. */
export type Fault =
  /** 429 TooManyRequestsException (STS: 400 Throttling); the function does not run. */
  | { kind: "throttle"; reason: string; retryAfterSeconds: number }
  /** A server error with this status; `code` defaults to the service's generic one. */
  | { kind: "fail"; status: number; code?: string; message?: string }
  /** The connection is destroyed before the function runs, or after it really ran. */
  | { kind: "reset"; when: "before" | "after" }
  /** The response is held back this long (after the function ran). */
  | { kind: "delay"; ms: number }
  /** A non-AWS answer instead of the service's own, without `x-amzn-ErrorType`; nothing runs. */
  | ({ kind: "raw" } & RawAnswer);

/** A queued fault and how many more requests it will hit. */
export interface PendingFault {
  service: FaultService;
  operation: FaultOperation;
  remaining: number;
  fault: Fault;
}

/**
 * Where a fault applies: Lambda Invoke unless said otherwise. For STS, any action unless
 * an `operation` is given.
 */
export interface FaultTarget {
  service?: FaultService | undefined;
  /** `Invoke`, `ListFunctions`, … for Lambda, `AssumeRole` or `GetCallerIdentity` for STS, or `*`. */
  operation?: FaultOperation | undefined;
}

/** A share of calls throttled from now on; see {@link Faults.throttleRate}. */
interface StandingThrottle {
  service: FaultService;
  operation: FaultOperation;
  rate: number;
  /** The next number from 0 (included) to 1 (excluded) of the seeded sequence. */
  next: () => number;
  fault: Fault;
}

/** A small seeded generator (mulberry32): the same seed gives the same throttled calls. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lambda's default throttling reason: the function's reserved concurrency is used up. */
export const DEFAULT_THROTTLE_REASON = "ReservedFunctionConcurrentInvocationLimitExceeded";

const OPERATIONS: Record<FaultService, readonly string[]> = {
  lambda: LAMBDA_OPERATIONS,
  sts: STS_OPERATIONS,
  iam: IAM_OPERATIONS,
};
/** Framing headers Node sets itself; a wrong one would make it throw instead of answering. */
const FRAMING_HEADERS = new Set(["content-length", "transfer-encoding"]);

/**
 * Fault injection for reliability tests. Faults queue up in the order they are added,
 * per service, and each hits the next `count` requests that would otherwise have been
 * served: for Lambda, calls to its operation (Invoke by default) that passed
 * authentication, validation and authorization (so a fault never hides a 4xx); for STS,
 * authenticated calls (to its operation, when one is given).
 *
 * @example
 * ```ts
 * aws.faults.throttleNext(2, { retryAfterSeconds: 0 });
 * aws.faults.resetNext(1, "after"); // the third invoke runs, then its connection drops
 * aws.faults.failNext(1, 503, { operation: "ListFunctions" });
 * ```
 */
export class Faults {
  private readonly queue: PendingFault[] = [];
  private readonly rates: StandingThrottle[] = [];

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

  /**
   * The next `count` calls get exactly this answer instead of the service's: no
   * `x-amzn-ErrorType`, and no `x-amzn-RequestId` unless `requestId` is true. Throws on a
   * status outside 200 to 599 or a header Node would refuse to send.
   *
   * @example
   * ```ts
   * faults.rawNext(1, { status: 403, contentType: "text/html", body: "<html>Forbidden</html>" });
   * faults.rawNext(1, { status: 502, contentType: "application/json", body: '{"Type":"Se', operation: "*" });
   * ```
   */
  rawNext(count: number, options: RawAnswer & FaultTarget): void {
    const { status, body, contentType, headers, requestId } = options;
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      throw new RangeError(
        `a raw answer's status must be an integer from 200 to 599, got ${status}`,
      );
    }
    if (contentType !== undefined) {
      validateHeaderValue("content-type", contentType);
    }
    for (const [name, value] of Object.entries(headers ?? {})) {
      validateHeaderName(name);
      validateHeaderValue(name, value);
      if (FRAMING_HEADERS.has(name.toLowerCase())) {
        throw new RangeError(`a raw answer may not set ${name}: the endpoint frames the body`);
      }
    }
    this.add(count, options, {
      kind: "raw",
      status,
      body,
      ...(contentType === undefined ? {} : { contentType }),
      ...(headers === undefined ? {} : { headers: { ...headers } }),
      ...(requestId === undefined ? {} : { requestId }),
    });
  }

  /**
   * From now on, a share `rate` (0 to 1) of the calls to the operation (Invoke by default)
   * is throttled with 429 TooManyRequestsException and `Retry-After`, as AWS throttles a
   * busy account: which calls is decided by a generator seeded with `seed`, so a run is
   * repeatable. Queued faults strike first; {@link Faults.clear} ends it.
   *
   * @example
   * ```ts
   * aws.faults.throttleRate(0.01, { retryAfterSeconds: 1 }); // 1% of invokes throttled
   * ```
   */
  throttleRate(
    rate: number,
    options: {
      retryAfterSeconds?: number | undefined;
      seed?: number | undefined;
    } & FaultTarget = {},
  ): void {
    if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
      throw new RangeError(`a throttle rate is a share from 0 to 1, got ${rate}`);
    }
    const service = options.service ?? "lambda";
    const operation = options.operation ?? (service === "lambda" ? "Invoke" : "*");
    this.rates.push({
      service,
      operation,
      rate,
      next: seededRandom(options.seed ?? 1),
      fault: {
        kind: "throttle",
        reason: DEFAULT_THROTTLE_REASON,
        retryAfterSeconds: options.retryAfterSeconds ?? 1,
      },
    });
  }

  /** Forgets every queued fault and standing throttle rate. */
  clear(): void {
    this.queue.length = 0;
    this.rates.length = 0;
  }

  /** The faults still queued, oldest first. */
  pending(): PendingFault[] {
    return this.queue.map((entry) => ({ ...entry }));
  }

  /** Takes the next fault for a call to `operation` of `service`, if one is queued. */
  take(service: FaultService, operation: string): Fault | undefined {
    const index = this.queue.findIndex(
      (entry) =>
        entry.service === service && (entry.operation === "*" || entry.operation === operation),
    );
    const entry = this.queue[index];
    if (entry === undefined) {
      const standing = this.rates.find(
        (rate) =>
          rate.service === service && (rate.operation === "*" || rate.operation === operation),
      );
      return standing !== undefined && standing.next() < standing.rate ? standing.fault : undefined;
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
    const service = target.service ?? "lambda";
    const operation = target.operation ?? (service === "lambda" ? "Invoke" : "*");
    if (operation !== "*" && !OPERATIONS[service].includes(operation)) {
      throw new RangeError(
        `${service} has no operation ${operation}; try one of ${OPERATIONS[service].join(", ")} or *`,
      );
    }
    this.queue.push({ service, operation, remaining: count, fault });
  }
}
