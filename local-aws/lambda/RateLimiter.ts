/**
 * How the endpoint throttles like AWS: Lambda's control-plane quotas are per account,
 * region and API (GetFunction's is 100 requests a second, most others' 15), and a call
 * over one is 429 TooManyRequestsException with `Reason` `CallerRateLimitExceeded`.
 */
export interface RateLimit {
  /** Requests a second each account, region and operation may make; the bucket refills at this rate. */
  requestsPerSecond: number;
  /** How many may come at once after a quiet spell; `requestsPerSecond` by default. */
  burst?: number;
  /** Only these operations are limited; every one but Invoke by default. */
  operations?: readonly string[];
  /** Only calls signed for these regions are limited; every region by default. */
  regions?: readonly string[];
}

/**
 * One token bucket per account, region and operation, on the endpoint's clock.
 *
 * @example
 * ```ts
 * const limiter = new RateLimiter({ requestsPerSecond: 100 }, Date.now);
 * limiter.admit("123456789012/us-east-1/GetFunction"); // 0: served; else seconds to wait
 * ```
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly burst: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number,
  ) {
    if (!(limit.requestsPerSecond > 0)) {
      throw new RangeError(`requestsPerSecond must be positive, got ${limit.requestsPerSecond}`);
    }
    this.burst = limit.burst ?? limit.requestsPerSecond;
  }

  /** Whether calls to `operation` signed for `region` are limited at all. */
  applies(operation: string, region: string): boolean {
    const { operations, regions } = this.limit;
    return (
      (operations === undefined ? operation !== "Invoke" : operations.includes(operation)) &&
      (regions === undefined || regions.includes(region))
    );
  }

  /** Takes a token from `key`'s bucket: 0 when there was one, else the whole seconds until there is. */
  admit(key: string): number {
    const now = this.now();
    const rate = this.limit.requestsPerSecond;
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rate));
  }
}
