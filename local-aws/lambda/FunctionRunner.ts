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
  | { type: "result"; payload: string; heapMb: number }
  | { type: "failed"; error: FunctionErrorReport; heapMb: number }
  | { type: "chunk"; data: Uint8Array };

type Ending =
  | { kind: "result"; payload: string }
  | { kind: "failed"; error: FunctionErrorReport }
  | { kind: "timeout" };

/**
 * Runs handlers, each invocation in a fresh worker thread (a cold start every time, which
 * keeps invocations independent), enforcing the function's timeout by terminating the
 * worker. Keeps track of running workers so that {@link FunctionRunner.close} can stop them.
 */
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

export class FunctionRunner {
  private readonly running = new Set<Worker>();

  /** @param startTimeout times each invocation's timeout; a test may expire it at once. */
  constructor(private readonly startTimeout: TimeoutTimer = realTimeoutTimer) {}

  /** Runs one invocation to its end: result, error, or timeout. Never rejects. */
  run(request: RunRequest): Promise<RunOutcome> {
    const { fn, version, requestId } = request;
    const timeoutMs = fn.timeoutSeconds * 1000;
    const startedAt = performance.now();
    const lines: string[] = [];
    let heapMb = 0;

    const worker = new Worker(HOST, {
      workerData: {
        code: fn.code,
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
      },
      env: functionEnvironment(fn, request.region, version),
      // A bare runtime: the host's loaders (tsx, vitest) have no business in a handler.
      execArgv: [],
      stdout: true,
      stderr: true,
    });
    this.running.add(worker);
    // Writes that bypass console (process.stdout.write) still belong to the function's log.
    worker.stdout.on("data", (chunk: Buffer) => lines.push(chunk.toString("utf8")));
    worker.stderr.on("data", (chunk: Buffer) => lines.push(chunk.toString("utf8")));

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
        this.running.delete(worker);
        void worker.terminate();
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

      worker.on("message", (message: HostMessage) => {
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
            });
            break;
          case "failed":
            heapMb = message.heapMb;
            end({ kind: "failed", error: message.error });
            break;
        }
      });
      worker.on("error", (error) =>
        end({
          kind: "failed",
          error: {
            errorType: error.name,
            errorMessage: error.message,
            trace: error.stack?.split("\n") ?? [],
          },
        }),
      );
      worker.on("exit", (code) =>
        end({
          kind: "failed",
          error: {
            errorType: "Runtime.ExitError",
            errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status ${code}`,
            trace: [],
          },
        }),
      );
    });
  }

  /** Terminates every running invocation; their callers get an exit error. */
  async close(): Promise<void> {
    await Promise.all([...this.running].map((worker) => worker.terminate()));
  }
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
