import { z } from "zod";
import { field } from "../../outputFields.js";
import { outputLimitInput, recordFileOutput } from "../../turbine/recordLimit.js";
import {
  answeredOutput,
  checkInvocationInputs,
  invokedOutput,
  invokeFunctionInputs,
} from "../invoke_function/schema.js";

/** The largest response Lambda streams: 200 MB since August 2025. */
export const MAX_STREAM_BYTES = 200 * 1024 * 1024;

/** What is read of a stream unless `max_bytes` says otherwise: a buffered response's limit. */
export const DEFAULT_STREAM_BYTES = 6 * 1024 * 1024;

/** The invocation types InvokeWithResponseStream takes. */
export const STREAM_INVOCATION_TYPES = ["RequestResponse", "DryRun"] as const;

/** Why reading the stream ended. */
export const STOP_REASONS = ["complete", "max_bytes", "deadline", "connection_lost"] as const;

const single = invokeFunctionInputs.shape;

/** The inputs of invoke_function_stream: invoke_function's, plus `max_bytes`. */
export const invokeFunctionStreamInputs = z
  .strictObject({
    function_name: single.function_name,
    qualifier: single.qualifier,
    payload: single.payload,
    invocation_type: z
      .enum(STREAM_INVOCATION_TYPES, {
        error: `must be one of ${STREAM_INVOCATION_TYPES.join(", ")}`,
      })
      .default("RequestResponse")
      .meta({
        title: "Invocation Type",
        description:
          "RequestResponse runs the function and reads what it streams; DryRun only checks parameters and permissions.",
      }),
    include_logs: single.include_logs,
    client_context: single.client_context,
    fail_on_function_error: single.fail_on_function_error,
    timeout_seconds: single.timeout_seconds,
    tenant_id: single.tenant_id,
    allow_duplicate_runs: single.allow_duplicate_runs,
    max_bytes: z
      .number({ error: "must be a whole number of bytes" })
      .int("must be a whole number of bytes")
      .min(1, `must be between 1 and ${MAX_STREAM_BYTES} bytes (200 MB)`)
      .max(MAX_STREAM_BYTES, `must be between 1 and ${MAX_STREAM_BYTES} bytes (200 MB)`)
      .default(DEFAULT_STREAM_BYTES)
      .meta({
        title: "Max Bytes",
        description:
          "Read the streamed response up to this many bytes (default 6 MB, at most 200 MB, Lambda's streamed-response limit), then stop reading and report it cut (truncated).",
      }),
    output_limit_bytes: outputLimitInput,
  })
  .superRefine(checkInvocationInputs);

/** Validated inputs of invoke_function_stream. */
export type InvokeFunctionStreamInputs = z.output<typeof invokeFunctionStreamInputs>;

/** The output of invoke_function_stream. */
export const invokeFunctionStreamOutput = z.object({
  status_code: field.integer("HTTP status of the invocation: 200 RequestResponse, 204 DryRun."),
  ...invokedOutput,
  invocation_type: z.enum(STREAM_INVOCATION_TYPES).meta({ description: "How it ran." }),
  ...answeredOutput,
  payload: z.json().nullable().meta({
    description:
      "What the function streamed: parsed JSON when the whole of it is JSON, else its text, or base64 when it is not UTF-8; null when nothing came.",
  }),
  payload_encoding: z.enum(["json", "text", "base64", "none"]).meta({
    description:
      "How payload holds the bytes: json (parsed), text (UTF-8), base64 (not UTF-8), none (nothing streamed).",
  }),
  bytes_received: field.integer("Payload bytes read from the stream (at most max_bytes)."),
  complete: field.flag(
    "true when the stream ended with Lambda's completion event (InvokeComplete).",
  ),
  stop_reason: z.enum(STOP_REASONS).meta({
    description:
      "Why reading ended: complete (the function finished), max_bytes (reading stopped there), deadline (timeout_seconds passed mid-stream), connection_lost (the stream broke).",
  }),
  function_error: z
    .object({
      code: field.text("The completion event's ErrorCode, e.g. Unhandled."),
      details: field.text("The completion event's ErrorDetails, as sent."),
      type: field.text("The error's type, when the details name one."),
      message: field.text("The error message, when the details hold one."),
    })
    .nullable()
    .meta({ description: "null when the function succeeded, else the error it reported." }),
  log_result: field.nullableText(
    "The last 4 KB of the function's log, decoded, when include_logs was set.",
  ),
  ...recordFileOutput,
  payload_truncated: field.flag(
    "true when payload is not all the function meant to stream: reading stopped (max_bytes, deadline, broken stream), or the inline payload is cut to output_limit_bytes (whole in result_file when set).",
  ),
});

/** The output of invoke_function_stream. */
export type InvokeFunctionStreamOutput = z.input<typeof invokeFunctionStreamOutput>;
