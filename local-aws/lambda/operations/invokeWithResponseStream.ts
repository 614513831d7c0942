import { EventStreamCodec } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/core/serde";
import { headerValue } from "../../http/headerValue.js";
import type { Reply } from "../../http/Reply.js";
import type { RunOutcome } from "../FunctionRunner.js";
import { logTail } from "../logTail.js";

/** Encodes AWS's event-stream frames (prelude, headers, payload, CRCs). */
const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** The largest response Lambda streams: 200 MB since August 2025. */
export const STREAM_RESPONSE_LIMIT = 200 * 1024 * 1024;

/** Starts the invocation; each chunk the handler writes goes to `onChunk`. */
export type StartStreamingRun = (
  onChunk: (chunk: Uint8Array) => Promise<void>,
  signal: AbortSignal,
) => Promise<RunOutcome>;

/** One `PayloadChunk` event. */
function payloadChunk(chunk: Uint8Array): Uint8Array {
  return codec.encode({
    headers: {
      ":event-type": { type: "string", value: "PayloadChunk" },
      ":message-type": { type: "string", value: "event" },
      ":content-type": { type: "string", value: "application/octet-stream" },
    },
    body: chunk,
  });
}

/**
 * The `InvokeComplete` event that ends every stream: the function's error, if it failed
 * (`ErrorCode` Unhandled, or Sandbox.Timedout; `ErrorDetails` its report), and the log
 * tail when asked for.
 */
function invokeComplete(outcome: RunOutcome, tail: boolean, cut: boolean): Uint8Array {
  const failure = outcome.functionError
    ? {
        ErrorCode: outcome.payload.includes('"Sandbox.Timedout"')
          ? "Sandbox.Timedout"
          : "Unhandled",
        ErrorDetails: outcome.payload,
      }
    : cut
      ? {
          ErrorCode: "Function.ResponseSizeTooLarge",
          ErrorDetails: `Response payload size exceeded maximum allowed payload size (${STREAM_RESPONSE_LIMIT} bytes).`,
        }
      : {};
  const body = { ...failure, ...(tail ? { LogResult: logTail(outcome.log) } : {}) };
  return codec.encode({
    headers: {
      ":event-type": { type: "string", value: "InvokeComplete" },
      ":message-type": { type: "string", value: "event" },
      ":content-type": { type: "string", value: "application/json" },
    },
    body: fromUtf8(JSON.stringify(body)),
  });
}

/**
 * The frames of one streamed invocation, as the handler writes them: each write waits
 * until its frame was taken by the socket, so a reader that stops reading stops the
 * handler; past 200 MB the stream ends with Function.ResponseSizeTooLarge.
 */
async function* streamedFrames(
  start: StartStreamingRun,
  tail: boolean,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  // Filled in by the handler's callbacks, read by the loop below.
  const state: {
    handoff?: { frame: Uint8Array; taken: () => void } | undefined;
    outcome?: RunOutcome;
    notify?: (() => void) | undefined;
    sent: number;
    cut: boolean;
  } = { sent: 0, cut: false };
  const stopped = new AbortController();
  const wake = () => {
    state.notify?.();
    state.notify = undefined;
  };
  signal.addEventListener("abort", () => stopped.abort(), { once: true });
  void start((chunk) => {
    state.sent += chunk.byteLength;
    if (state.sent > STREAM_RESPONSE_LIMIT) {
      state.cut = true;
      stopped.abort();
      return Promise.resolve();
    }
    return new Promise<void>((taken) => {
      state.handoff = { frame: payloadChunk(chunk), taken };
      wake();
    });
  }, stopped.signal).then((ended) => {
    state.outcome = ended;
    wake();
  });
  try {
    for (;;) {
      const next = state.handoff;
      if (next !== undefined) {
        state.handoff = undefined;
        yield next.frame;
        next.taken();
        continue;
      }
      const { outcome } = state;
      if (
        outcome !== undefined &&
        state.sent === 0 &&
        !outcome.functionError &&
        outcome.payload !== ""
      ) {
        // A handler that does not stream: Lambda sends its whole result as one chunk.
        state.sent = Buffer.byteLength(outcome.payload);
        yield payloadChunk(fromUtf8(outcome.payload));
      }
      if (outcome !== undefined) {
        yield invokeComplete(
          state.cut ? { ...outcome, functionError: false } : outcome,
          tail,
          state.cut,
        );
        return;
      }
      await new Promise<void>((resolve) => {
        state.notify = resolve;
      });
    }
  } finally {
    // The reader left before the end (or the endpoint closed): stop the handler.
    stopped.abort();
  }
}

/**
 * The 200 of InvokeWithResponseStream: `application/vnd.amazon.eventstream`, the
 * executed version, then the streamed frames.
 *
 * @example
 * ```ts
 * return streamReply((onChunk, signal) => runner.run({ ...request, onChunk, signal }), version, tail);
 * ```
 */
export function streamReply(start: StartStreamingRun, version: string, tail: boolean): Reply {
  return {
    kind: "stream",
    status: 200,
    headers: {
      "content-type": "application/vnd.amazon.eventstream",
      "X-Amz-Executed-Version": version,
    },
    body: (signal) => streamedFrames(start, tail, signal),
  };
}

/** The invocation type of a streamed invocation: RequestResponse unless DryRun is asked for. */
export function streamInvocationType(headers: Parameters<typeof headerValue>[0]): string {
  return headerValue(headers, "x-amz-invocation-type") ?? "RequestResponse";
}
