import { randomBytes } from "node:crypto";
import { dirname } from "node:path";
import { Worker } from "node:worker_threads";
import type { FunctionDefinition } from "../World.js";
import { formatInvocationLog } from "./formatInvocationLog.js";

const HOST = new URL("./functionHost.js", import.meta.url);

/** The runtime's report of a failed invocation, as it appears in the response payload. */
export interface FunctionErrorReport {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/** One invocation to run. */
export interface RunRequest {
  fn: FunctionDefinition;
  region: string;
  /** The version that runs: `$LATEST`, or a published version an alias may have led to. */
  version: string;
  invokedFunctionArn: string;
  requestId: string;
  /** The event, as JSON text already checked to parse. */
  eventJson: string;
  clientContext: unknown;
  /** Called when the handler is about to start (its module loaded). */
  onStart: () => void;
  /**
   * Takes each chunk a streaming handler (`awslambda.streamifyResponse`) writes; the
   * handler's write resolves once the returned promise does, which is how a slow reader
   * slows the handler down. Without it, the chunks become the payload.
   */
  onChunk?: ((chunk: Uint8Array) => Promise<void>) | undefined;
  /** The tenant the invocation runs for (tenant isolation), as `context.tenantId`. */
  tenantId?: string | undefined;
  /** Stops the invocation (its worker terminated) when the caller gives up on it. */
  signal?: AbortSignal | undefined;
}

/** What an invocation produced. */
export interface RunOutcome {
  /** The response payload: the handler's result as JSON, or the runtime's error report. */
  payload: string;
  /** True when the handler threw, could not load, or timed out. */
  functionError: boolean;
  log: string;
}

type HostMessage =
  | { type: "started"; heapMb: number }
  | { type: "log"; line: string }
  | { type: "result"; payload: string; heapMb: number; reusable?: boolean }
  | { type: "failed"; error: FunctionErrorReport; heapMb: number }
  | { type: "chunk"; data: Uint8Array }
  | { type: "stray" };

type Ending =
  | { kind: "result"; payload: string; reusable: boolean }
  | { kind: "failed"; error: FunctionErrorReport }
  | { kind: "timeout" };

/**
 * Starts the timer of one invocation's timeout: `expire` runs after `ms` unless the
 * returned function cancels it first.
 */
export type TimeoutTimer = (ms: number, expire: () => void) => () => void;

/** The real clock's timer. */
export const realTimeoutTimer: TimeoutTimer = (ms, expire) => {
  const timer = setTimeout(expire, ms);
  return () => clearTimeout(timer);
};

/** Idle warm environments kept per function, version and code; the oldest goes first. */
const IDLE_PER_KEY = 4;

/** One worker thread: a function's execution environment. */
interface Environment {
  worker: Worker;
  /** The function, region and version it runs. */
  scope: string;
  /** That and the code and configuration it loaded (see {@link environmentKey}). */
  key: string;
  /** Where its stdout and stderr go: the log lines of the invocation it runs. */
  lines: string[];
  /** Set when it reported an error outside an invocation: never reused then. */
  tainted: boolean;
  /** While idle: ends it on any message, error or exit. */
  discard?: (() => void) | undefined;
}

/**
 * Runs handlers, each invocation in a worker thread, enforcing the function's timeout by
 * terminating the worker. By default every invocation gets a fresh worker (a cold start
 * every time, which keeps invocations independent). With warm environments, a worker
 * whose invocation ended cleanly (a result, no write left unacknowledged) is kept idle
 * and runs the next invocation of the same function, version, code and configuration,
 * as Lambda reuses an execution environment; a timeout, a failure, a crash or an abort
 * always ends the worker. Keeps track of every worker so that
 * {@link FunctionRunner.close} can stop them.
 */
export class FunctionRunner {
  private readonly running = new Set<Worker>();
  private readonly idle = new Map<string, Environment[]>();

  /**
   * @param startTimeout times each invocation's timeout; a test may expire it at once.
   * @param warmEnvironments keep and reuse workers after clean invocations (off by default).
   */
  constructor(
    private readonly startTimeout: TimeoutTimer = realTimeoutTimer,
    private readonly warmEnvironments = false,
  ) {}

  /** Runs one invocation to its end: result, error, or timeout. Never rejects. */
  run(request: RunRequest): Promise<RunOutcome> {
    const { fn, version, requestId } = request;
    const timeoutMs = fn.timeoutSeconds * 1000;
    const startedAt = performance.now();
    let heapMb = 0;
    const invocation = {
      event: request.eventJson,
      deadline: Date.now() + timeoutMs,
      context: {
        awsRequestId: requestId,
        functionName: fn.name,
        functionVersion: version,
        invokedFunctionArn: request.invokedFunctionArn,
        memoryLimitInMB: String(fn.memorySizeMb),
        logGroupName: `/aws/lambda/${fn.name}`,
        logStreamName: logStreamName(version),
        clientContext: request.clientContext,
        ...(request.tenantId === undefined ? {} : { tenantId: request.tenantId }),
      },
    };
    const environment = this.environmentFor(request, invocation);
    const { worker } = environment;
    const lines: string[] = [];
    environment.lines = lines;
    this.running.add(worker);

    return new Promise<RunOutcome>((resolve) => {
      let ended = false;
      let cancelTimeout = (): void => undefined;
      const end = (ending: Ending) => {
        if (ended) {
          return;
        }
        ended = true;
        cancelTimeout();
        request.signal?.removeEventListener("abort", abandon);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        this.running.delete(worker);
        if (ending.kind === "result" && ending.reusable && !environment.tainted) {
          this.keepIdle(environment);
        } else {
          void worker.terminate();
        }
        resolve(toOutcome(request, ending, lines, performance.now() - startedAt, heapMb));
      };
      cancelTimeout = this.startTimeout(timeoutMs, () => end({ kind: "timeout" }));
      const streamed: Uint8Array[] = [];
      const abandon = () =>
        end({
          kind: "failed",
          error: {
            errorType: "Runtime.ClientDisconnected",
            errorMessage: `RequestId: ${requestId} Error: the caller stopped reading the response`,
            trace: [],
          },
        });
      if (request.signal?.aborted === true) {
        abandon();
      }
      request.signal?.addEventListener("abort", abandon, { once: true });

      const onMessage = (message: HostMessage) => {
        switch (message.type) {
          case "started":
            heapMb = message.heapMb;
            request.onStart();
            break;
          case "log":
            lines.push(message.line);
            break;
          case "chunk": {
            const { onChunk } = request;
            const taken =
              onChunk === undefined ? streamed.push(message.data) : onChunk(message.data);
            void Promise.resolve(taken).then(() => {
              if (!ended) {
                worker.postMessage({ type: "ack" });
              }
            });
            break;
          }
          case "result":
            heapMb = message.heapMb;
            end({
              kind: "result",
              payload:
                streamed.length === 0 ? message.payload : Buffer.concat(streamed).toString("utf8"),
              reusable: message.reusable === true,
            });
            break;
          case "failed":
            heapMb = message.heapMb;
            end({ kind: "failed", error: message.error });
            break;
          case "stray":
            environment.tainted = true;
            break;
        }
      };
      const onError = (error: Error) =>
        end({
          kind: "failed",
          error: {
            errorType: error.name,
            errorMessage: error.message,
            trace: error.stack?.split("\n") ?? [],
          },
        });
      const onExit = (code: number) =>
        end({
          kind: "failed",
          error: {
            errorType: "Runtime.ExitError",
            errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status ${code}`,
            trace: [],
          },
        });
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
    });
  }

  /** Terminates every running invocation (their callers get an exit error) and idle worker. */
  async close(): Promise<void> {
    const idle = [...this.idle.values()].flat().map((environment) => environment.worker);
    this.idle.clear();
    await Promise.all([...this.running, ...idle].map((worker) => worker.terminate()));
  }

  /**
   * An idle warm environment of this function's code and configuration, sent the
   * invocation; else a fresh worker that starts with it.
   */
  private environmentFor(request: RunRequest, invocation: unknown): Environment {
    const { scope, key } = environmentKey(request);
    const reused = this.warmEnvironments ? this.idle.get(key)?.pop() : undefined;
    if (reused !== undefined) {
      const { discard } = reused;
      if (discard !== undefined) {
        reused.worker.off("message", discard);
        reused.worker.off("error", discard);
        reused.worker.off("exit", discard);
        reused.discard = undefined;
      }
      reused.worker.ref();
      reused.worker.postMessage({ type: "invoke", invocation });
      return reused;
    }
    const { fn, region, version } = request;
    const worker = new Worker(HOST, {
      workerData: { code: fn.code, warm: this.warmEnvironments, invocation },
      env: functionEnvironment(fn, region, version),
      // A bare runtime: the host's loaders (tsx, vitest) have no business in a handler.
      execArgv: [],
      stdout: true,
      stderr: true,
    });
    const environment: Environment = { worker, scope, key, lines: [], tainted: false };
    // Writes that bypass console (process.stdout.write) still belong to the function's log.
    worker.stdout.on("data", (chunk: Buffer) => environment.lines.push(chunk.toString("utf8")));
    worker.stderr.on("data", (chunk: Buffer) => environment.lines.push(chunk.toString("utf8")));
    return environment;
  }

  /**
   * Keeps a worker for the next invocation of its key. Idle workers of the same function
   * and version with another key hold code or configuration no longer in force: they
   * end. Anything an idle worker says, or its exit, ends it too.
   */
  private keepIdle(environment: Environment): void {
    const { worker, scope, key } = environment;
    for (const [other, environments] of this.idle) {
      if (other !== key && environments[0]?.scope === scope) {
        this.idle.delete(other);
        for (const stale of environments) {
          void stale.worker.terminate();
        }
      }
    }
    const kept = this.idle.get(key) ?? [];
    this.idle.set(key, kept);
    kept.push(environment);
    if (kept.length > IDLE_PER_KEY) {
      void kept.shift()?.worker.terminate();
    }
    const discard = () => {
      const at = kept.indexOf(environment);
      if (at >= 0) {
        kept.splice(at, 1);
      }
      void worker.terminate();
    };
    environment.discard = discard;
    worker.on("message", discard);
    worker.on("error", discard);
    worker.on("exit", discard);
    // An idle environment does not keep the endpoint's process alive.
    worker.unref();
  }
}

/**
 * What a warm environment must share with an invocation to run it: the function, its
 * region and version (the scope), then the code file, the deployment package and
 * revision (an update changes them), memory, timeout and the environment variables it
 * started with.
 */
function environmentKey(request: RunRequest): { scope: string; key: string } {
  const { fn, region, version } = request;
  const scope = [region, fn.name, version].join("\u0000");
  const key = [
    scope,
    fn.code,
    fn.codePackage?.sha256 ?? "",
    fn.revisionId ?? "",
    String(fn.memorySizeMb),
    String(fn.timeoutSeconds),
    JSON.stringify(functionEnvironment(fn, region, version)),
  ].join("\u0000");
  return { scope, key };
}

function toOutcome(
  request: RunRequest,
  ending: Ending,
  lines: string[],
  elapsedMs: number,
  heapMb: number,
): RunOutcome {
  const { fn, requestId, version } = request;
  const logInput = {
    requestId,
    version,
    lines,
    memorySizeMb: fn.memorySizeMb,
    maxMemoryUsedMb: Math.max(heapMb, 1),
  };
  switch (ending.kind) {
    case "result":
      return {
        payload: ending.payload,
        functionError: false,
        log: formatInvocationLog({ ...logInput, durationMs: elapsedMs }),
      };
    case "failed":
      return {
        payload: JSON.stringify(ending.error),
        functionError: true,
        log: formatInvocationLog({ ...logInput, durationMs: elapsedMs, error: ending.error }),
      };
    case "timeout":
      return {
        payload: JSON.stringify({
          errorType: "Sandbox.Timedout",
          errorMessage: `RequestId: ${requestId} Error: Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`,
        }),
        functionError: true,
        log: formatInvocationLog({
          ...logInput,
          durationMs: fn.timeoutSeconds * 1000,
          timedOutAfterSeconds: fn.timeoutSeconds,
        }),
      };
  }
}

function logStreamName(version: string): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll("-", "/");
  return `${day}/[${version}]${randomBytes(16).toString("hex")}`;
}

/** The variables Lambda sets, then the function's own; nothing from the host leaks in. */
function functionEnvironment(
  fn: FunctionDefinition,
  region: string,
  version: string,
): Record<string, string> {
  return {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: "AWS_Lambda_nodejs20.x",
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: version,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySizeMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
    LAMBDA_TASK_ROOT: dirname(fn.code),
    TZ: ":UTC",
    ...fn.environment,
  };
}
