/** How long to pause after a throttle that gave no Retry-After: doubled for each in a row. */
export const FIRST_PAUSE_MS = 100;

/** The longest pause a throttle without Retry-After makes; Retry-After itself is honoured. */
export const MAX_PAUSE_MS = 5_000;

/** What the back-off runs on: the executor's clock and pause, injected by tests. */
export interface BackoffClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * The back-off a pool of workers shares, so that throttling slows the pool instead of
 * every worker retrying on its own: a throttle halves the number of calls allowed in
 * flight and pauses every start until Retry-After (or, without one, a pause that doubles
 * with each throttle in a row); successes then give one slot back per `limit` successes.
 * Workers wait for a slot without polling.
 *
 * @example
 * ```ts
 * const backoff = new SharedBackoff(16, { now: Date.now, sleep });
 * while (await backoff.acquire(deadline)) {
 *   try { … backoff.succeeded() or backoff.throttled(1000) … } finally { backoff.release(); }
 * }
 * backoff.close(); // the work ran out
 * ```
 */
export class SharedBackoff {
  private allowed: number;
  private active = 0;
  private resumeAt = 0;
  private inARow = 0;
  private successes = 0;
  private waiting: (() => void)[] = [];
  private throttles = 0;
  private closed = false;

  constructor(
    private readonly slots: number,
    private readonly clock: BackoffClock,
  ) {
    this.allowed = slots;
  }

  /** Calls allowed in flight now. */
  get limit(): number {
    return this.allowed;
  }

  /** Calls in flight now. */
  get inFlight(): number {
    return this.active;
  }

  /** Throttles seen so far. */
  get throttleCount(): number {
    return this.throttles;
  }

  /**
   * Resolves true once a call may start (its slot taken: {@link SharedBackoff.release} it
   * after), or false when `deadline` (by the clock) passed or the pool closed first.
   */
  async acquire(deadline: number): Promise<boolean> {
    for (;;) {
      const now = this.clock.now();
      if (this.closed || now >= deadline) {
        return false;
      }
      if (now < this.resumeAt) {
        await this.clock.sleep(Math.min(this.resumeAt, deadline) - now);
        continue;
      }
      if (this.active < this.allowed) {
        this.active += 1;
        return true;
      }
      await new Promise<void>((wake) => this.waiting.push(wake));
    }
  }

  /** A call ended: its slot is free for a waiting worker. */
  release(): void {
    this.active -= 1;
    this.wakeAll();
  }

  /**
   * A call was throttled: halve the calls in flight, and pause every start for
   * `retryAfterMs` (AWS's Retry-After) or, without one, a pause that doubles with each
   * throttle in a row.
   */
  throttled(retryAfterMs: number | undefined): void {
    this.throttles += 1;
    this.allowed = Math.max(1, Math.floor(this.allowed / 2));
    this.successes = 0;
    const pause = retryAfterMs ?? Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** this.inARow);
    this.inARow += 1;
    this.resumeAt = Math.max(this.resumeAt, this.clock.now() + pause);
  }

  /** A call went through: after `limit` of them, one more may be in flight. */
  succeeded(): void {
    this.inARow = 0;
    this.successes += 1;
    if (this.allowed < this.slots && this.successes >= this.allowed) {
      this.allowed += 1;
      this.successes = 0;
      this.wakeAll();
    }
  }

  /** No more calls will start: every waiting worker is let go. */
  close(): void {
    this.closed = true;
    this.wakeAll();
  }

  private wakeAll(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) {
      wake();
    }
  }
}
