import { ConnectorError } from "../../errors.js";

/** How a {@link SweepPool} runs: its width, its clock and pause, and its deadline. */
export interface PoolOptions {
  /** Tasks at most in flight; the pool narrows below it while AWS throttles. */
  concurrency: number;
  now: () => number;
  /** How the pool pauses for a back-off; injected by tests so that nothing really sleeps. */
  sleep: (ms: number) => Promise<void>;
  /** Epoch milliseconds after which no task starts and those in flight are given up. */
  deadlineAt: number;
  /** How the deadline is waited on: a real timer by default (it bounds, it never paces). */
  timer?: (ms: number) => { promise: Promise<void>; cancel: () => void };
}

/** One piece of work; its failure is the caller's to record, the pool only retries throttling. */
export type Task = () => Promise<void>;

/** What the pool did, for the output and the benchmark. */
export interface PoolStats {
  /** Tasks AWS throttled (one call or more of them) that the pool sent again after backing off. */
  throttle_retries: number;
  /** Throttled tasks given up after {@link MAX_THROTTLE_RETRIES} tries. */
  throttle_give_ups: number;
  /** The narrowest the pool got while AWS throttled. */
  narrowest_concurrency: number;
  /** Whether the deadline passed before every task ended. */
  deadline_reached: boolean;
}

/** A task whose calls AWS keeps throttling is given up after this many back-offs. */
export const MAX_THROTTLE_RETRIES = 8;
/** The first back-off when AWS does not say how long to wait; it doubles while throttling goes on. */
export const BASE_BACKOFF_MS = 250;
/** The longest one back-off lasts. */
export const MAX_BACKOFF_MS = 20_000;
/**
 * A task whose reads fail on the way (a 5xx, a dropped connection) is sent again this
 * many times, at the back of the queue: the SDK's own retries are off for these calls.
 */
export const MAX_TRANSIENT_RETRIES = 2;
/** Successes in a row after which the pool widens again by one. */
const WIDEN_AFTER = 20;

/**
 * A bounded pool of tasks with one back-off for all of them: a throttled task pauses
 * every worker (Retry-After when AWS gives one, else a doubling delay), halves the
 * number of tasks in flight, and is sent again; successes widen the pool back. A task
 * that fails on the way (5xx, network) is sent again {@link MAX_TRANSIENT_RETRIES} times. The
 * SDK's own retries are off for these calls (the executor's `maxAttempts: 1`), so a
 * throttled region is not hammered by each worker on its own.
 *
 * @example
 * ```ts
 * const pool = new SweepPool({ concurrency: 16, now: Date.now, sleep, deadlineAt: Date.now() + 60_000 });
 * pool.add(async () => { … });
 * const unfinished = await pool.run();
 * ```
 */
export class SweepPool {
  private readonly queue: Entry[] = [];
  private width: number;
  private running = 0;
  private successes = 0;
  private pausedUntil = 0;
  private backoffMs = BASE_BACKOFF_MS;
  private readonly idle: (() => void)[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  readonly stats: PoolStats;

  constructor(private readonly options: PoolOptions) {
    this.width = options.concurrency;
    this.stats = {
      throttle_retries: 0,
      throttle_give_ups: 0,
      narrowest_concurrency: options.concurrency,
      deadline_reached: false,
    };
  }

  /**
   * Queues `task`; `onGiveUp` gets the throttling error when the task is given up
   * after {@link MAX_THROTTLE_RETRIES} back-offs. Tasks may add tasks while the pool runs.
   */
  add(task: Task, onGiveUp: (error: unknown) => void): void {
    this.queue.push({ task, tries: 0, transientTries: 0, onGiveUp });
    this.wake();
  }

  /**
   * Runs every task (and those they add) until none is left or the deadline passes;
   * resolves with how many were queued or in flight when the deadline passed (0 when all ended).
   */
  async run(): Promise<number> {
    const remaining = this.options.deadlineAt - this.options.now();
    const deadline = (this.options.timer ?? realTimer)(Math.max(0, remaining));
    const workers = Array.from({ length: this.options.concurrency }, () => this.work());
    const done = Promise.all(workers).then(() => "done" as const);
    try {
      const outcome = await Promise.race([done, deadline.promise.then(() => "deadline" as const)]);
      if (outcome === "done") {
        return 0;
      }
      this.stats.deadline_reached = true;
      const unfinished = this.queue.length + this.running;
      this.queue.length = 0;
      this.wakeAll();
      return unfinished;
    } finally {
      deadline.cancel();
    }
  }

  private async work(): Promise<void> {
    for (;;) {
      if (this.options.now() >= this.options.deadlineAt) {
        this.stats.deadline_reached ||= this.queue.length > 0;
        return;
      }
      const wait = this.pausedUntil - this.options.now();
      if (wait > 0) {
        await this.options.sleep(wait);
        continue;
      }
      const next = this.running < this.width ? this.queue.shift() : undefined;
      if (next === undefined) {
        if (this.running === 0 && this.queue.length === 0) {
          this.wakeAll();
          return;
        }
        await new Promise<void>((resolve) => this.idle.push(resolve));
        continue;
      }
      this.running += 1;
      const attempt = next.task().then(
        () => this.succeeded(),
        (error: unknown) => this.failed(next, error),
      );
      this.inFlight.add(attempt);
      await attempt;
      this.inFlight.delete(attempt);
      this.running -= 1;
      this.wake();
    }
  }

  private succeeded(): void {
    this.backoffMs = BASE_BACKOFF_MS;
    this.successes += 1;
    if (this.successes >= WIDEN_AFTER && this.width < this.options.concurrency) {
      this.width += 1;
      this.successes = 0;
    }
  }

  private failed(entry: Entry, error: unknown): void {
    if (isTransient(error) && entry.transientTries < MAX_TRANSIENT_RETRIES) {
      this.queue.push({ ...entry, transientTries: entry.transientTries + 1 });
      return;
    }
    if (!isThrottled(error)) {
      // Tasks record their own failures; one that throws anything else is a bug, kept visible.
      entry.onGiveUp(error);
      return;
    }
    this.successes = 0;
    if (entry.tries >= MAX_THROTTLE_RETRIES) {
      this.stats.throttle_give_ups += 1;
      entry.onGiveUp(error);
      return;
    }
    this.stats.throttle_retries += 1;
    const asked = retryAfterMs(error);
    const pause = Math.min(MAX_BACKOFF_MS, Math.max(asked ?? 0, this.backoffMs));
    this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
    this.pausedUntil = Math.max(this.pausedUntil, this.options.now() + pause);
    this.width = Math.max(1, Math.floor(this.width / 2));
    this.stats.narrowest_concurrency = Math.min(this.stats.narrowest_concurrency, this.width);
    this.queue.unshift({ ...entry, tries: entry.tries + 1 });
  }

  private wake(): void {
    this.idle.shift()?.();
  }

  private wakeAll(): void {
    for (const resolve of this.idle.splice(0)) {
      resolve();
    }
  }
}

/** A queued task and how often it was sent again. */
interface Entry {
  task: Task;
  /** Times it was sent again after throttling. */
  tries: number;
  /** Times it was sent again after a transient failure. */
  transientTries: number;
  onGiveUp: (error: unknown) => void;
}

/**
 * Whether a read failed on the way and may well succeed if sent again: AWS's 5xx or a
 * network failure. Reads change nothing, so sending one again is safe.
 */
export function isTransient(error: unknown): boolean {
  return (
    error instanceof ConnectorError &&
    !isThrottled(error) &&
    (error.code === "network_error" || (error.httpStatus ?? 0) >= 500)
  );
}

/** Whether AWS throttled the call (after the executor wrapped its answer). */
export function isThrottled(error: unknown): boolean {
  return error instanceof ConnectorError && error.code === "throttled";
}

/** The wait AWS asked for in `Retry-After`, in milliseconds, when it asked. */
function retryAfterMs(error: unknown): number | undefined {
  const cause = (error as { cause?: { retryAfterSeconds?: unknown } }).cause;
  const seconds = Number(cause?.retryAfterSeconds);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function realTimer(ms: number): { promise: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}
