import { StringDecoder } from "node:string_decoder";
import {
  InvokeWithResponseStreamCommand,
  type InvokeWithResponseStreamCommandOutput,
  type InvokeWithResponseStreamCompleteEvent,
} from "@aws-sdk/client-lambda";
import type { Executor } from "../../aws/executor.js";
import { FunctionError } from "../../errors.js";
import {
  fileApiAvailable,
  fitRecord,
  jsonBytes,
  jsonStringBytes,
} from "../../turbine/recordLimit.js";
import { defineCustomAction } from "../defineAction.js";
import {
  decodePayload,
  invocationOf,
  logTailOf,
  type PreparedInvocation,
  prepareInvocation,
} from "../invoke_function/invoke_function.js";
import {
  type InvokeFunctionStreamInputs,
  type InvokeFunctionStreamOutput,
  invokeFunctionStreamInputs,
  invokeFunctionStreamOutput,
  MAX_STREAM_BYTES,
  type STOP_REASONS,
} from "./schema.js";
import { Utf8Check, utf8Length } from "./utf8Check.js";

/**
 * The body limit of the stream's HTTP handler: Lambda's 200 MB and room for the event
 * framing. Reading stops at `max_bytes` long before, so this only stops what is not Lambda.
 */
const STREAM_BODY_LIMIT = MAX_STREAM_BYTES + 16 * 1024 * 1024;

/**
 * invoke_function_stream: runs a function whose response streams, reads it up to
 * `max_bytes`, and reports how the stream ended.
 */
export const invokeFunctionStreamAction = defineCustomAction({
  name: "invoke_function_stream",
  title: "Invoke Function Stream",
  description:
    "Run an AWS Lambda function with response streaming (InvokeWithResponseStream, up to 200 MB), read what it streams up to max_bytes, and return it decoded with the completion event's error and log tail.",
  inputs: invokeFunctionStreamInputs,
  output: invokeFunctionStreamOutput,
  iamActions: ["lambda:InvokeFunction"],
  why: "The answer is an event stream read under the call's deadline and cut at max_bytes: more than a mapping of one response.",
  run: invokeFunctionStream,
});

type StopReason = (typeof STOP_REASONS)[number];

/** What was read of the stream. */
interface Collected {
  /**
   * The payload read so far, as the events carried it: views of the body's chunks
   * (src/aws/responseStreamSerde.ts), so that each byte is held once (a copy into one
   * buffer held it twice).
   */
  parts: Uint8Array[];
  /** Bytes in `parts`: all of them, or as many as can be shown (see {@link collect}). */
  kept: number;
  /** Payload bytes read. */
  bytes: number;
  /** Whether all the bytes read are UTF-8, checked as they came. */
  utf8: Utf8Check;
  complete: InvokeWithResponseStreamCompleteEvent | undefined;
  stop: StopReason;
}

/**
 * Invokes the function named in `inputs` with response streaming and collects the stream.
 *
 * @example
 * ```ts
 * const output = await invokeFunctionStream(
 *   invokeFunctionStreamInputs.parse({ function_name: "report-builder", max_bytes: 1_048_576 }),
 *   new Executor(asset),
 * );
 * output.payload_truncated; // true when the function streamed more than 1 MB
 * ```
 */
export async function invokeFunctionStream(
  inputs: InvokeFunctionStreamInputs,
  executor: Executor,
): Promise<InvokeFunctionStreamOutput> {
  const { input, call, qualifier } = prepareInvocation(inputs, executor);
  const command = streamCommand(input);
  const streamCall = {
    ...call,
    operation: "InvokeWithResponseStream",
    maxResponseBytes: STREAM_BODY_LIMIT,
    eventStream: true,
  };
  const { response, collected } = await executor.stream(
    streamCall,
    command,
    undefined,
    async (answer: InvokeWithResponseStreamCommandOutput, signal) => ({
      response: answer,
      collected: await collect(answer, inputs.max_bytes, keptBytes(inputs, executor), signal),
    }),
  );
  const body = new Streamed(collected.parts, collected.kept);
  const complete = collected.complete;
  const functionError = complete?.ErrorCode === undefined ? null : parseCompletionError(complete);
  if (functionError !== null && inputs.fail_on_function_error) {
    throw completionFailure(inputs.function_name, functionError, response.$metadata.requestId);
  }
  const fit = await fitPayload(collected, body, inputs.output_limit_bytes, executor);
  return {
    ...invocationOf(inputs, qualifier, response),
    payload: fit.inline.payload,
    payload_encoding: fit.inline.encoding,
    bytes_received: collected.bytes,
    complete: complete !== undefined,
    stop_reason: collected.stop,
    function_error: functionError,
    log_result: logTailOf(complete?.LogResult),
    payload_truncated: collected.stop !== "complete" || fit.truncated,
    result_file: fit.result_file,
    result_bytes: fit.result_bytes,
    result_file_error: fit.result_file_error,
  };
}

/** The InvokeWithResponseStream command for the invocation prepared as invoke_function's. */
function streamCommand(input: PreparedInvocation["input"]): InvokeWithResponseStreamCommand {
  const { InvocationType, Qualifier, LogType, Payload, ClientContext, TenantId } = input;
  return new InvokeWithResponseStreamCommand({
    FunctionName: input.FunctionName,
    InvocationType: InvocationType === "DryRun" ? "DryRun" : "RequestResponse",
    ...(Qualifier === undefined ? {} : { Qualifier }),
    ...(LogType === undefined ? {} : { LogType }),
    ...(Payload === undefined ? {} : { Payload }),
    ...(ClientContext === undefined ? {} : { ClientContext }),
    ...(TenantId === undefined ? {} : { TenantId }),
  });
}

/** The function's error at the end of its stream, as the action's failure. */
function completionFailure(
  functionName: string,
  functionError: { type: string; message: string },
  requestId: string | undefined,
): FunctionError {
  return new FunctionError(
    functionError.type,
    `Function ${functionName} failed with ${functionError.type}: ${functionError.message}`,
    {
      hint: "The function ran and reported this error at the end of its stream: check its CloudWatch Logs (or set include_logs), or set fail_on_function_error to false to receive the error and what it streamed as output.",
      ...(requestId === undefined ? {} : { requestId }),
    },
  );
}

/**
 * The payload fitted to the record: inline when it fits, else as a file with a cut
 * inline (or only the cut, without the file API).
 */
function fitPayload(collected: Collected, body: Streamed, limit: number, executor: Executor) {
  const cut = collected.stop !== "complete";
  // A payload over the limit is never inline whole: only its encoding is worked out,
  // without decoding all of it into one more string.
  const whole: Decoded =
    collected.bytes <= limit
      ? decodeStreamed(body.start(body.byteLength), cut)
      : { payload: null, encoding: collected.utf8.length(cut) === undefined ? "base64" : "text" };
  return fitRecord(whole, {
    limitBytes: limit,
    fileName: `invoke_function_stream-payload.${FILE_EXTENSIONS[whole.encoding]}`,
    field: "result_file",
    env: executor.env,
    // In the file: the bytes as streamed. Inline: as much of them as fits. A payload over
    // the limit in bytes is over it as JSON too, so only a small one is measured as JSON.
    own: {
      bytes: collected.bytes > limit ? collected.bytes : jsonBytes(whole),
      file: () => body.start(body.byteLength),
    },
    summary: (value) => cutStreamed(body, value, Math.min(SUMMARY_BYTES, limit)),
    cut: (value, size) => cutStreamed(body, value, size),
    jsonBytesOf: decodedJsonBytes,
    // Each byte kept is at least one byte of JSON (4/3 in base64): no longer cut can fit.
    sizeOf: (value) =>
      Math.min(
        body.byteLength,
        value.encoding === "base64" ? Math.floor(((limit - 64) * 3) / 4) : limit - 64,
      ),
  });
}

/** The file's extension, by how the payload is held. */
const FILE_EXTENSIONS: Readonly<Record<Decoded["encoding"], string>> = {
  json: "json",
  text: "txt",
  base64: "bin",
  none: "bin",
};

/** Bytes of the payload kept inline when the whole of it went to a file. */
const SUMMARY_BYTES = 64 * 1024;

/**
 * How many of the bytes read are kept: all of them when the whole payload can go out as
 * a file; else only what the record can show (output_limit_bytes): the rest is counted
 * and checked for UTF-8 as it passes, and held no longer than the event that carried it.
 */
function keptBytes(inputs: InvokeFunctionStreamInputs, executor: Executor): number {
  return fileApiAvailable(executor.env)
    ? inputs.max_bytes
    : Math.min(inputs.max_bytes, inputs.output_limit_bytes);
}

/**
 * Reads the event stream up to `maxBytes` of payload, keeping the first `keepBytes` of
 * them, then stops reading (the executor closes the connection once this returns). A
 * deadline or a broken stream ends the reading too; what came before is kept.
 */
async function collect(
  response: InvokeWithResponseStreamCommandOutput,
  maxBytes: number,
  keepBytes: number,
  signal: AbortSignal,
): Promise<Collected> {
  const collected: Collected = {
    parts: [],
    kept: 0,
    bytes: 0,
    utf8: new Utf8Check(),
    complete: undefined,
    stop: "complete",
  };
  if (response.EventStream === undefined) {
    // DryRun: no stream at all.
    return { ...collected, complete: {} };
  }
  try {
    for await (const event of response.EventStream) {
      if (event.PayloadChunk?.Payload !== undefined) {
        const chunk = event.PayloadChunk.Payload;
        const room = maxBytes - collected.bytes;
        const read = chunk.byteLength > room ? chunk.subarray(0, room) : chunk;
        collected.utf8.push(read);
        if (collected.kept < keepBytes) {
          const kept = read.subarray(0, keepBytes - collected.kept);
          collected.parts.push(kept);
          collected.kept += kept.byteLength;
        }
        collected.bytes += read.byteLength;
        if (collected.bytes >= maxBytes && chunk.byteLength >= room) {
          // At max_bytes: whatever comes next is not read. More may have been written.
          return { ...collected, stop: "max_bytes" };
        }
      } else if (event.InvokeComplete !== undefined) {
        return { ...collected, complete: event.InvokeComplete };
      }
    }
  } catch (error) {
    if (signal.aborted) {
      return { ...collected, stop: "deadline" };
    }
    if (!(error instanceof Error)) {
      throw error;
    }
    return { ...collected, stop: "connection_lost" };
  }
  // The stream ended without the completion event: it was cut short.
  return { ...collected, stop: signal.aborted ? "deadline" : "connection_lost" };
}

/**
 * The streamed payload, held in the parts it came in. Only what is shown inline (at most
 * output_limit_bytes) or uploaded as a file is ever joined into one buffer.
 */
class Streamed {
  readonly parts: readonly Uint8Array[];
  readonly byteLength: number;

  constructor(parts: readonly Uint8Array[], byteLength: number) {
    this.parts = parts;
    this.byteLength = byteLength;
  }

  /** The first `size` bytes, joined into one buffer. */
  start(size: number): Buffer {
    return this.slice(0, size);
  }

  /**
   * The first `size` bytes as text, decoded part by part (a character split between
   * parts decoded whole) rather than from one more copy of them joined: bytes that are
   * UTF-8 but for a character the cut splits at the end, which is left out.
   */
  text(size: number): string {
    const decoder = new StringDecoder("utf8");
    const pieces: string[] = [];
    let at = 0;
    for (const part of this.parts) {
      const take = Math.min(part.byteLength, size - at);
      if (take <= 0) {
        break;
      }
      pieces.push(decoder.write(Buffer.from(part.buffer, part.byteOffset, take)));
      at += take;
    }
    return pieces.join("");
  }

  /** The bytes from `from` up to `to`, joined into one buffer. */
  private slice(from: number, to: number): Buffer {
    const out = Buffer.allocUnsafe(Math.max(0, Math.min(to, this.byteLength) - from));
    let at = 0;
    for (const part of this.parts) {
      const begin = Math.max(0, from - at);
      const end = Math.min(part.byteLength, from + out.byteLength - at);
      if (end > begin) {
        out.set(part.subarray(begin, end), at + begin - from);
      }
      at += part.byteLength;
    }
    return out;
  }
}

/** A payload in the output: its value and how the bytes are held. */
interface Decoded {
  payload: InvokeFunctionStreamOutput["payload"];
  encoding: InvokeFunctionStreamOutput["payload_encoding"];
}

/** How JSON text can start (after white space): only such a payload is tried as JSON. */
const JSON_START = /^\s*[[{"\d\-tfn]/;

/**
 * The streamed bytes as the output holds them: JSON when the whole payload is JSON (never
 * a cut one), else its text, or base64 when it is not UTF-8. A cut payload may end in the
 * middle of a character: those last bytes are left out of the text.
 */
function decodeStreamed(bytes: Buffer, cut: boolean): Decoded {
  if (bytes.byteLength === 0) {
    return { payload: null, encoding: "none" };
  }
  const text = utf8Text(bytes, cut);
  if (text === undefined) {
    return { payload: bytes.toString("base64"), encoding: "base64" };
  }
  if (!cut && JSON_START.test(text.slice(0, 64))) {
    const { value, decoded } = decodePayload(bytes);
    if (decoded) {
      return { payload: value, encoding: "json" };
    }
  }
  return { payload: text, encoding: "text" };
}

/** The bytes as UTF-8 text, or undefined when they are not UTF-8. */
function utf8Text(bytes: Buffer, cut: boolean): string | undefined {
  const length = utf8Length(bytes, cut);
  return length === undefined ? undefined : bytes.toString("utf8", 0, length);
}

/** The first `size` bytes of the payload, as text (or base64, as the whole is held). */
function cutStreamed(bytes: Streamed, whole: Decoded, size: number): Decoded {
  if (whole.encoding === "base64") {
    return { payload: bytes.start(size).toString("base64"), encoding: "base64" };
  }
  // The whole is UTF-8 (or JSON, which is): so is its cut, but for where it ends.
  return {
    payload: bytes.text(size),
    encoding: Math.min(size, bytes.byteLength) === 0 ? "none" : "text",
  };
}

/** A payload's size as JSON; a text's worked out from it, not from one more copy as JSON. */
function decodedJsonBytes(value: Decoded): number {
  return typeof value.payload === "string"
    ? jsonBytes({ ...value, payload: null }) - "null".length + jsonStringBytes(value.payload)
    : jsonBytes(value);
}

/** The completion event's error: its code and details, and what the details say. */
function parseCompletionError(
  complete: InvokeWithResponseStreamCompleteEvent,
): NonNullable<InvokeFunctionStreamOutput["function_error"]> {
  const code = complete.ErrorCode ?? "Unhandled";
  const details = complete.ErrorDetails ?? "";
  let type = code;
  let message = details;
  try {
    const parsed = JSON.parse(details) as { errorType?: unknown; errorMessage?: unknown };
    if (typeof parsed.errorType === "string") {
      type = parsed.errorType;
    }
    if (typeof parsed.errorMessage === "string") {
      message = parsed.errorMessage;
    }
  } catch {
    // Details that are not JSON are the message as they are.
  }
  return { code, details, type, message };
}
