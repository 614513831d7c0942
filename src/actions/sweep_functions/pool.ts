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
  /** The narrowest any scope (one account and region) got while AWS throttled it. */
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
/** Successes in a row after which a scope widens again by one. */
const WIDEN_AFTER = 20;
/**
 * After a throttle, a scope starts tasks at this share of the rate it was starting them
 * at over the last second: under the quota AWS just enforced.
 */
export const RATE_AFTER_THROTTLE = 0.8;
/** The slowest a scope is paced: one task a second. */
export const MIN_RATE_PER_SECOND = 1;
/**
 * While AWS does not throttle a paced scope, every {@link RATE_STEP_MS} its rate grows by
 * this share (and half a task a second) up to its ceiling, and the ceiling by
 * {@link CEILING_GROWTH}: the pace comes back to just under the rate AWS refused, then
 * probes past it slowly, so that a throttle another caller caused is not kept for good.
 */
const RATE_GROWTH = 0.05;
const CEILING_GROWTH = 0.02;
const RATE_STEP_MS = 2000;
/** Starts per second are measured over the last second (at least 100 ms of it). */
const RATE_WINDOW_MS = 1000;
const MIN_RATE_WINDOW_MS = 100;

/**
 * Where tasks' calls go as AWS counts its quotas (one account and region): each scope has
 * its own queue, width, back-off and pace, and the pool shares its workers among the
 * scopes that have work, so that one throttled region never holds the others back.
 */
interface Scope {
  queue: Entry[];
  running: number;
  /** Tasks at most in flight here; halves on throttling, widens back with successes. */
  width: number;
  successes: number;
  pausedUntil: number;
  backoffMs: number;
  /** Tasks started a second at most; Infinity until AWS throttles here. */
  rate: number;
  /** Most of the rate AWS throttled at last: the pace grows back to it, then slowly past it. */
  ceiling: number;
  /** The earliest the next task may start at the pace. */
  nextStartAt: number;
  /** When the rate last changed. */
  rateAt: number;
  /** When tasks started over the last {@link RATE_WINDOW_MS}, oldest first. */
  starts: number[];
  firstStartAt: number | undefined;
}

/**
 * A bounded pool of tasks with one back-off per scope (an account and region, where AWS
 * counts its quotas): a throttled task pauses every task of its scope (Retry-After when
 * AWS gives one, else a doubling delay), halves the tasks in flight there, paces the
 * scope's starts below the rate AWS refused, and is sent again; successes widen the
 * scope and quicken its pace back. Workers go round the scopes that have work, fewest
 * in flight first, so a sweep of several regions keeps each region's share of the
 * quota busy. A task that fails on the way (5xx, network) is sent again
 * {@link MAX_TRANSIENT_RETRIES} times. The SDK's own retries are off for these calls
 * (the executor's `maxAttempts: 1`), so a throttled region is not hammered by each
 * worker on its own.
 *
 * @example
 * ```ts
 * const pool = new SweepPool({ concurrency: 16, now: Date.now, sleep, deadlineAt: Date.now() + 60_000 });
 * pool.add(async () => { … }, onGiveUp, "us-east-1");
 * const unfinished = await pool.run();
 * ```
 */
export class SweepPool {
  private readonly scopes = new Map<string, Scope>();
  /** Where the round of scopes resumes: the scope after the one that started a task last. */
  private turn = 0;
  private running = 0;
  private queued = 0;
  /** Whether a worker is already waiting out a pause or a pace for the others. */
  private sleeping = false;
  private readonly idle: (() => void)[] = [];
  readonly stats: PoolStats;

  constructor(private readonly options: PoolOptions) {
    this.stats = {
      throttle_retries: 0,
      throttle_give_ups: 0,
      narrowest_concurrency: options.concurrency,
      deadline_reached: false,
    };
  }

  /**
   * Queues `task` in `scope` (where AWS counts its calls' quota: an account and region);
   * `onGiveUp` gets the throttling error when the task is given up after
   * {@link MAX_THROTTLE_RETRIES} back-offs. Tasks may add tasks while the pool runs.
   */
  add(task: Task, onGiveUp: (error: unknown) => void, scope = ""): void {
    this.enqueue(this.scopeOf(scope), { task, tries: 0, transientTries: 0, onGiveUp }, "back");
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
      const unfinished = this.queued + this.running;
      for (const scope of this.scopes.values()) {
        scope.queue.length = 0;
      }
      this.queued = 0;
      this.wakeAll();
      return unfinished;
    } finally {
      deadline.cancel();
    }
  }

  private scopeOf(key: string): Scope {
    let scope = this.scopes.get(key);
    if (scope === undefined) {
      scope = {
        queue: [],
        running: 0,
        width: this.options.concurrency,
        successes: 0,
        pausedUntil: 0,
        backoffMs: BASE_BACKOFF_MS,
        rate: Number.POSITIVE_INFINITY,
        ceiling: Number.POSITIVE_INFINITY,
        nextStartAt: 0,
        rateAt: 0,
        starts: [],
        firstStartAt: undefined,
      };
      this.scopes.set(key, scope);
    }
    return scope;
  }

  private enqueue(scope: Scope, entry: Entry, end: "front" | "back"): void {
    if (end === "front") {
      scope.queue.unshift(entry);
    } else {
      scope.queue.push(entry);
    }
    this.queued += 1;
  }

  /**
   * The scope whose task starts next: of those with work, room and nothing to wait for,
   * the one with the fewest in flight, taken round from {@link turn}. Else how long until
   * a paused or paced scope may start one (undefined when only a finishing task can help).
   */
  private pick(now: number): { scope: Scope } | { waitMs: number | undefined } {
    const scopes = [...this.scopes.values()];
    let best: { scope: Scope; index: number } | undefined;
    let waitMs: number | undefined;
    for (let step = 0; step < scopes.length; step++) {
      const index = (this.turn + step) % scopes.length;
      const scope = scopes[index] as Scope;
      if (scope.queue.length === 0 || scope.running >= scope.width) {
        continue;
      }
      const readyAt = Math.max(scope.pausedUntil, scope.nextStartAt);
      if (readyAt > now) {
        waitMs = Math.min(waitMs ?? Number.POSITIVE_INFINITY, readyAt - now);
        continue;
      }
      if (best === undefined || scope.running < best.scope.running) {
        best = { scope, index };
      }
    }
    if (best === undefined) {
      return { waitMs };
    }
    this.turn = (best.index + 1) % scopes.length;
    return { scope: best.scope };
  }

  private async work(): Promise<void> {
    for (;;) {
      const now = this.options.now();
      if (now >= this.options.deadlineAt) {
        this.stats.deadline_reached ||= this.queued > 0;
        return;
      }
      const picked =
        this.running < this.options.concurrency ? this.pick(now) : { waitMs: undefined };
      if ("waitMs" in picked) {
        if (this.running === 0 && this.queued === 0) {
          this.wakeAll();
          return;
        }
        if (picked.waitMs !== undefined && !this.sleeping) {
          // One worker waits out the pause (or the pace) for every worker.
          this.sleeping = true;
          await this.options.sleep(picked.waitMs);
          this.sleeping = false;
          this.wakeAll();
          continue;
        }
        await new Promise<void>((resolve) => this.idle.push(resolve));
        continue;
      }
      const { scope } = picked;
      const next = scope.queue.shift() as Entry;
      this.queued -= 1;
      this.started(scope, now);
      this.running += 1;
      scope.running += 1;
      await next.task().then(
        () => this.succeeded(scope),
        (error: unknown) => this.failed(scope, next, error),
      );
      this.running -= 1;
      scope.running -= 1;
      this.wake();
    }
  }

  /** Keeps the scope's recent starts, and its pace's next slot. */
  private started(scope: Scope, now: number): void {
    scope.firstStartAt ??= now;
    scope.starts.push(now);
    while ((scope.starts[0] ?? now) <= now - RATE_WINDOW_MS) {
      scope.starts.shift();
    }
    if (Number.isFinite(scope.rate)) {
      scope.nextStartAt = Math.max(now, scope.nextStartAt) + 1000 / scope.rate;
    }
  }

  private succeeded(scope: Scope): void {
    scope.backoffMs = BASE_BACKOFF_MS;
    scope.successes += 1;
    if (scope.successes >= WIDEN_AFTER && scope.width < this.options.concurrency) {
      scope.width += 1;
      scope.successes = 0;
    }
    const now = this.options.now();
    if (Number.isFinite(scope.rate) && now - scope.rateAt >= RATE_STEP_MS) {
      scope.ceiling *= 1 + CEILING_GROWTH;
      scope.rate = Math.min(scope.ceiling, scope.rate * (1 + RATE_GROWTH) + 0.5);
      scope.rateAt = now;
    }
  }

  private failed(scope: Scope, entry: Entry, error: unknown): void {
    if (isTransient(error) && entry.transientTries < MAX_TRANSIENT_RETRIES) {
      this.enqueue(scope, { ...entry, transientTries: entry.transientTries + 1 }, "back");
      return;
    }
    if (!isThrottled(error)) {
      // Tasks record their own failures; one that throws anything else is a bug, kept visible.
      entry.onGiveUp(error);
      return;
    }
    scope.successes = 0;
    if (entry.tries >= MAX_THROTTLE_RETRIES) {
      this.stats.throttle_give_ups += 1;
      entry.onGiveUp(error);
      return;
    }
    this.stats.throttle_retries += 1;
    const now = this.options.now();
    // The tasks in flight when AWS's quota ran out are refused together: one back-off
    // (one pause, one halving, one slower pace) answers all of them.
    if (now >= scope.pausedUntil) {
      const asked = retryAfterMs(error);
      const pause = Math.min(MAX_BACKOFF_MS, Math.max(asked ?? 0, scope.backoffMs));
      scope.backoffMs = Math.min(MAX_BACKOFF_MS, scope.backoffMs * 2);
      scope.pausedUntil = now + pause;
      scope.width = Math.max(1, Math.floor(scope.width / 2));
      this.stats.narrowest_concurrency = Math.min(this.stats.narrowest_concurrency, scope.width);
      const window = Math.min(
        RATE_WINDOW_MS,
        Math.max(MIN_RATE_WINDOW_MS, now - (scope.firstStartAt ?? now)),
      );
      const measured = (scope.starts.length * 1000) / window;
      scope.ceiling = Math.max(MIN_RATE_PER_SECOND, measured * 0.95);
      scope.rate = Math.max(
        MIN_RATE_PER_SECOND,
        Math.min(scope.rate, measured) * RATE_AFTER_THROTTLE,
      );
      scope.rateAt = now;
    }
    this.enqueue(scope, { ...entry, tries: entry.tries + 1 }, "front");
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
