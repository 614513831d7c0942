import type { LocalAws } from "../../local-aws/LocalAws.js";
import { invokeFunctionAction } from "../../src/actions/invoke_function/invoke_function.js";
import type { Asset } from "../../src/asset/schema.js";
import { Executor } from "../../src/aws/executor.js";
import { ConnectorError } from "../../src/errors.js";

/** One load run: how many invokes, how many at once, and how often the endpoint throttles. */
export interface LoadOptions {
  invokes: number;
  concurrency: number;
  /** Share of invokes before which one throttle (429, `Retry-After: 0`) is queued, 0 to 1. */
  throttleRate: number;
  /** Seeds the choice of throttled invokes, so that a run can be repeated exactly. */
  seed: number;
}

/** What a load run measured. */
export interface LoadFigures {
  invokes: number;
  concurrency: number;
  throttleRate: number;
  /** Invokes that returned their own payload (matched by the id each one sent). */
  returned: number;
  /** Invokes that did not return their own payload: `invokes - returned`. */
  lost: number;
  /** Of the lost, those that failed, by the connector's error code. */
  failed: Record<string, number>;
  /** Of the lost, those that returned another invoke's payload. */
  mixedUp: number;
  /** Times the function's handler started at the endpoint. */
  runs: number;
  /** Runs beyond one per invoke: `runs - invokes` when positive. */
  ranTwice: number;
  /** Throttles queued at the endpoint, and 429 answers it gave. */
  throttlesInjected: number;
  throttled: number;
  /** Invoke requests the endpoint received (first attempts and retries). */
  invokeRequests: number;
  /** AssumeRole calls the endpoint served during the run, and the executor's own count. */
  assumeRoleAtEndpoint: number;
  assumeRoleByExecutor: number;
  wallMs: number;
  invokesPerSecond: number;
}

/**
 * Sends `options.invokes` synchronous invokes of `echo` through one {@link Executor} (one
 * asset, one process, as a busy Turbine worker would), `options.concurrency` at a time,
 * with throttles queued at the endpoint at random, and counts what came back and what
 * ran. The endpoint's fault queue is global: a queued throttle strikes whichever Invoke
 * reaches the endpoint next, first attempt or retry alike.
 *
 * @example
 * ```ts
 * const aws = await startLocalAws();
 * const figures = await runLoad(aws, assetSchema.parse(demoAsset(aws.url)), {
 *   invokes: 500, concurrency: 32, throttleRate: 0.01, seed: 1,
 * });
 * figures.lost; // 0
 * ```
 */
export async function runLoad(
  aws: LocalAws,
  asset: Asset,
  options: LoadOptions,
): Promise<LoadFigures> {
  const random = seededRandom(options.seed);
  const runsBefore = aws.runCount("echo");
  const requestsBefore = aws.requests.length;
  const assumedBefore = aws.assumeRoleCount();
  const executor = new Executor(asset);
  const failed: Record<string, number> = {};
  let returned = 0;
  let mixedUp = 0;
  let throttlesInjected = 0;
  let next = 0;

  const invokeOne = async (id: number) => {
    if (random() < options.throttleRate) {
      aws.faults.throttleNext(1, { retryAfterSeconds: 0 });
      throttlesInjected += 1;
    }
    const inputs = invokeFunctionAction.inputs.parse({
      function_name: "echo",
      payload: { load_id: id },
    });
    try {
      const output = await invokeFunctionAction.run(inputs, executor);
      if (sentId(output.payload) === id) {
        returned += 1;
      } else {
        mixedUp += 1;
      }
    } catch (error) {
      const code = error instanceof ConnectorError ? error.code : "unexpected";
      failed[code] = (failed[code] ?? 0) + 1;
    }
  };
  const worker = async () => {
    while (next < options.invokes) {
      const id = next;
      next += 1;
      await invokeOne(id);
    }
  };

  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    executor.destroy();
  }
  const wallMs = performance.now() - started;

  const served = aws.requests.slice(requestsBefore);
  const invokeRequests = served.filter((request) => request.action === "Invoke");
  const runs = aws.runCount("echo") - runsBefore;
  return {
    invokes: options.invokes,
    concurrency: options.concurrency,
    throttleRate: options.throttleRate,
    returned,
    lost: options.invokes - returned,
    failed,
    mixedUp,
    runs,
    ranTwice: Math.max(0, runs - options.invokes),
    throttlesInjected,
    throttled: invokeRequests.filter((request) => request.status === 429).length,
    invokeRequests: invokeRequests.length,
    assumeRoleAtEndpoint: aws.assumeRoleCount() - assumedBefore,
    assumeRoleByExecutor: executor.assumeRoleCalls,
    wallMs,
    invokesPerSecond: (options.invokes / wallMs) * 1000,
  };
}

/** The id an echo answer carries back: `{ event: { load_id } }`. */
function sentId(payload: unknown): number | undefined {
  const event = (payload as { event?: { load_id?: unknown } } | null)?.event;
  return typeof event?.load_id === "number" ? event.load_id : undefined;
}

/** mulberry32: a small, fast generator that is the same for the same seed everywhere. */
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
