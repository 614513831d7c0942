import { InvokeCommand, type InvokeCommandOutput } from "@aws-sdk/client-lambda";
import type { Executor } from "../../aws/executor.js";
import { classifyFailure } from "../../aws/retryPolicy.js";
import { ConnectorError, type ErrorCode, FunctionError } from "../../errors.js";
import { fitRecord } from "../../turbine/recordLimit.js";
import { defineCustomAction } from "../defineAction.js";
import {
  checkFunctionRegion,
  invocationOutput,
  type PreparedInvocation,
  prepareInvocation,
} from "../invoke_function/invoke_function.js";
import { SharedBackoff } from "./SharedBackoff.js";
import {
  type BatchItem,
  type InvokeFunctionBatchInputs,
  type InvokeFunctionBatchOutput,
  ITEM_STATUSES,
  type ItemStatus,
  invokeFunctionBatchInputs,
  invokeFunctionBatchOutput,
} from "./schema.js";

/** Sends of one payload that AWS may throttle before it counts as failed. */
export const MAX_THROTTLED_ATTEMPTS = 10;

/** Sends of one payload after other failures that provably did not run it (or, opted in, may have). */
export const MAX_OTHER_ATTEMPTS = 3;

/** Results kept inline when the whole list goes out as a file. */
const SUMMARY_ITEMS = 100;

/**
 * Failures every payload would meet (the credentials, the role, the function itself, the
 * network path): after one, the batch starts nothing more, rather than failing ten
 * thousand payloads one by one (and assuming the role for each).
 */
const BATCH_WIDE: ReadonlySet<ErrorCode> = new Set([
  "authentication_failed",
  "access_denied",
  "assume_role_failed",
  "credentials_expired",
  "not_found",
  "function_misconfigured",
  "proxy_error",
  "endpoint_error",
]);

/**
 * invoke_function_batch: one function over many payloads, a bounded number at a time,
 * with one result per payload in their order.
 */
export const invokeFunctionBatchAction = defineCustomAction({
  name: "invoke_function_batch",
  title: "Invoke Function Batch",
  description:
    "Run an AWS Lambda function once per payload (1 to 10,000), a bounded number at a time, and return every result in the order of the payloads, with counts per status. Throttling slows the whole batch down; a payload that may have run is never sent again unless allow_duplicate_runs.",
  inputs: invokeFunctionBatchInputs,
  output: invokeFunctionBatchOutput,
  iamActions: ["lambda:InvokeFunction"],
  why: "Many invocations through one pool: each payload checked before anything is sent, a back-off shared by the pool, the no-double-execution rule per payload, and results kept in order whatever fails.",
  run: invokeFunctionBatch,
});

/** One payload on its way: how it is sent, and how often it was. */
interface Pending {
  prepared: PreparedInvocation;
  attempts: number;
}

/**
 * Runs the batch described by `inputs` through the executor (one credential resolution
 * for all of it) and returns one result per payload, in their order.
 *
 * @example
 * ```ts
 * const output = await invokeFunctionBatch(
 *   invokeFunctionBatchInputs.parse({ function_name: "enrich-indicator", payloads: [{ indicator: "198.51.100.7" }] }),
 *   new Executor(asset),
 * );
 * output.counts.succeeded; // 1
 * ```
 */
export async function invokeFunctionBatch(
  inputs: InvokeFunctionBatchInputs,
  executor: Executor,
): Promise<InvokeFunctionBatchOutput> {
  checkFunctionRegion(inputs.function_name, executor.asset.region_name);
  const batch = new Batch(inputs, executor);
  await batch.run();
  return batch.finish();
}

/** One batch's state: the queue of payloads to send, their results and the pool's back-off. */
class Batch {
  private readonly deadline: number;
  private readonly results: (BatchItem | undefined)[];
  private readonly pending = new Map<number, Pending>();
  private readonly queue: number[] = [];
  private readonly backoff: SharedBackoff;
  private stopped: ConnectorError | undefined;

  /** Every payload checked before anything is sent: an invalid one fails alone. */
  constructor(
    private readonly inputs: InvokeFunctionBatchInputs,
    private readonly executor: Executor,
  ) {
    this.deadline = executor.now() + inputs.timeout_seconds * 1000;
    this.results = new Array(inputs.payloads.length);
    inputs.payloads.forEach((payload, index) => {
      try {
        const prepared = prepareInvocation(
          { ...inputs, payload, client_context: undefined },
          executor,
          `payloads[${index}]`,
        );
        this.pending.set(index, { prepared, attempts: 0 });
        this.queue.push(index);
      } catch (error) {
        this.results[index] = failure(index, "failed", error, 0);
      }
    });
    this.backoff = new SharedBackoff(inputs.concurrency, executor);
  }

  private stop(error: ConnectorError): void {
    this.stopped ??= error;
    this.backoff.close();
  }

  /** The pool's workers, until the queue is empty, the deadline passes or the batch stops. */
  async run(): Promise<void> {
    const workers = Math.min(this.inputs.concurrency, this.queue.length);
    await Promise.all(Array.from({ length: workers }, () => this.worker()));
    this.backoff.close();
  }

  private async worker(): Promise<void> {
    for (;;) {
      if (this.queue.length === 0) {
        // Work still in flight may come back (throttled): its own worker takes it again.
        if (this.backoff.inFlight === 0) {
          this.backoff.close();
        }
        return;
      }
      if (!(await this.backoff.acquire(this.deadline))) {
        // The deadline passed or the batch stopped: let the waiting workers go too.
        this.backoff.close();
        return;
      }
      const index = this.queue.shift();
      const item = index === undefined ? undefined : this.pending.get(index);
      try {
        if (index !== undefined && item !== undefined) {
          await this.runOne(index, item);
        }
      } finally {
        this.backoff.release();
      }
    }
  }

  private async runOne(index: number, item: Pending): Promise<void> {
    const remaining = this.deadline - this.executor.now();
    if (remaining <= 0) {
      this.queue.unshift(index);
      return;
    }
    const { prepared } = item;
    item.attempts += 1;
    let response: InvokeCommandOutput;
    try {
      response = await this.executor.send<InvokeCommandOutput>(
        {
          ...prepared.call,
          // The pool retries itself, after the shared back-off: each send is one attempt.
          maxAttempts: 1,
          timeoutMs: Math.min(prepared.call.timeoutMs ?? remaining, remaining),
        },
        new InvokeCommand(prepared.input),
      );
    } catch (error) {
      this.settleFailure(index, item, error);
      return;
    }
    this.backoff.succeeded();
    try {
      this.settleAnswer(index, item, response);
    } catch (error) {
      this.settleFailure(index, item, error);
    }
  }

  /** An answer: the function's result, or its error (which may stop the batch). */
  private settleAnswer(index: number, item: Pending, response: InvokeCommandOutput): void {
    const output = invocationOutput(this.inputs, item.prepared.qualifier, response);
    const status: ItemStatus = output.function_error === null ? "succeeded" : "function_error";
    this.results[index] = {
      index,
      status,
      payload: output.payload,
      function_error: output.function_error,
      error: null,
      request_id: output.request_id,
      executed_version: output.executed_version,
      log_result: output.log_result,
      attempts: item.attempts,
    };
    if (status === "function_error" && this.inputs.fail_on_function_error) {
      const { type, message } = output.function_error ?? { type: "", message: "" };
      this.stop(
        new FunctionError(
          type,
          `payloads[${index}]: the function failed with ${type}: ${message}`,
          {
            hint: "Set fail_on_function_error to false to run every payload and receive each error with its result.",
          },
        ),
      );
    }
  }

  /** A failure: sent again when it cannot have run (or duplicates are allowed), else the item's result. */
  private settleFailure(index: number, item: Pending, error: unknown): void {
    const cause = error instanceof ConnectorError ? error.cause : error;
    const kind = classifyFailure(cause);
    if (kind === "not-run" && isThrottle(error)) {
      this.backoff.throttled(retryAfterMs(cause));
      if (item.attempts < MAX_THROTTLED_ATTEMPTS) {
        this.queue.unshift(index);
        return;
      }
    } else if (kind === "not-run" && item.attempts < MAX_OTHER_ATTEMPTS) {
      this.queue.unshift(index);
      return;
    } else if (
      kind === "may-have-run" &&
      this.inputs.allow_duplicate_runs &&
      item.attempts < MAX_OTHER_ATTEMPTS
    ) {
      this.queue.unshift(index);
      return;
    }
    const status: ItemStatus = kind === "may-have-run" ? "may_have_run" : "failed";
    this.results[index] = failure(index, status, error, item.attempts);
    if (error instanceof ConnectorError && BATCH_WIDE.has(error.code)) {
      this.stop(error);
    }
  }

  /** Every payload's result in input order, counted, fitted to the record (or a file). */
  async finish(): Promise<InvokeFunctionBatchOutput> {
    const { inputs, stopped } = this;
    // Array.from, not map: a payload never reached is a hole in `results`, which map skips.
    const all = Array.from(
      this.results,
      (result, index) =>
        result ??
        notStarted(
          index,
          this.pending.get(index)?.attempts ?? 0,
          stopped,
          this.deadline,
          this.executor,
        ),
    );
    const counts = Object.fromEntries(ITEM_STATUSES.map((status) => [status, 0])) as Record<
      ItemStatus,
      number
    >;
    for (const item of all) {
      counts[item.status] += 1;
    }
    if (
      stopped !== undefined &&
      counts.succeeded + counts.function_error + counts.may_have_run === 0
    ) {
      // Nothing ran: the batch's failure is the action's, as invoke_function's would be.
      throw stopped;
    }
    const fit = await fitRecord(all, {
      limitBytes: inputs.output_limit_bytes,
      fileName: "invoke_function_batch-results.json",
      field: "result_file",
      env: this.executor.env,
      summary: (items) => items.slice(0, SUMMARY_ITEMS),
      cut: (items, size) => items.slice(0, size),
      sizeOf: (items) => items.length,
    });
    if (stopped instanceof FunctionError) {
      throw stopped;
    }
    return {
      function_name: inputs.function_name,
      qualifier: inputs.qualifier ?? null,
      invocation_type: inputs.invocation_type,
      payloads_count: all.length,
      counts,
      throttled: this.backoff.throttleCount,
      stopped: stopped === undefined ? null : { code: stopped.code, message: stopped.message },
      invocations: fit.inline,
      invocations_truncated: fit.truncated,
      result_file: fit.result_file,
      result_bytes: fit.result_bytes,
      result_file_error: fit.result_file_error,
    };
  }
}

/** Whether AWS throttled the call (429 TooManyRequestsException). */
function isThrottle(error: unknown): boolean {
  return error instanceof ConnectorError && error.code === "throttled";
}

/** AWS's Retry-After, in milliseconds, when the throttle carried one. */
function retryAfterMs(cause: unknown): number | undefined {
  const shape = cause as {
    retryAfterSeconds?: unknown;
    $response?: { headers?: Record<string, string | undefined> };
  };
  const header = shape?.$response?.headers?.["retry-after"] ?? shape?.retryAfterSeconds;
  const seconds = typeof header === "string" ? Number(header) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** The result of a payload that failed, may have run, or was refused before sending. */
function failure(index: number, status: ItemStatus, error: unknown, attempts: number): BatchItem {
  const known =
    error instanceof ConnectorError
      ? error
      : new ConnectorError("internal_error", "The invocation failed unexpectedly.", {
          hint: "Run the batch again; report the problem if it persists.",
          cause: error,
        });
  return {
    index,
    status,
    payload: null,
    function_error: null,
    error: { code: known.code, message: known.message, hint: known.hint },
    request_id: known.requestId ?? null,
    executed_version: null,
    log_result: null,
    attempts,
  };
}

/** The result of a payload the batch never got to. */
function notStarted(
  index: number,
  attempts: number,
  stopped: ConnectorError | undefined,
  deadline: number,
  executor: Executor,
): BatchItem {
  const why =
    stopped !== undefined
      ? new ConnectorError("aws_error", `Not started: the batch stopped (${stopped.code}).`, {
          hint: "Fix what stopped the batch, then run the payloads that did not start again.",
        })
      : new ConnectorError(
          "request_timeout",
          `Not started: the batch's deadline (timeout_seconds) passed ${Math.max(0, executor.now() - deadline)} ms ago.`,
          {
            hint: "Nothing was sent for this payload. Raise timeout_seconds or concurrency, or run the payloads that did not start again.",
          },
        );
  return { ...failure(index, "not_started", why, attempts), request_id: null };
}
