/**
 * Results too big for a Turbine record. An action whose result may exceed
 * `output_limit_bytes` (batch results, a streamed payload, a sweep report) hands the
 * whole of it here: when it fits it stays inline; when it does not and the platform's
 * file API is there, the whole result goes out as a Turbine file and a summary stays
 * inline; without the file API (or when the upload fails) the inline result is cut to fit
 * and says so. Nothing is lost silently: the output always says which of the three it got.
 */

import { z } from "zod";
import { ConnectorError } from "../errors.js";
import { errorOutput, field } from "../outputFields.js";
import { wholeNumberInput } from "../wholeNumberInput.js";
import { type FileReference, fileReferenceSchema, uploadFile } from "./files.js";
import { textSlices } from "./textSlices.js";

/** The default `output_limit_bytes`: 1 MB of JSON in the record. */
export const DEFAULT_OUTPUT_LIMIT_BYTES = 1024 * 1024;

/** The largest `output_limit_bytes` accepted: what Turbine can hold in one record. */
export const MAX_OUTPUT_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * The `output_limit_bytes` input, for every action whose result can be large.
 *
 * @example
 * ```ts
 * const inputs = z.strictObject({ payloads: …, output_limit_bytes: outputLimitInput });
 * ```
 */
export const outputLimitInput = z
  ._default(wholeNumberInput(1024, MAX_OUTPUT_LIMIT_BYTES, "bytes"), DEFAULT_OUTPUT_LIMIT_BYTES)
  .meta({
    title: "Output Limit (bytes)",
    description:
      "Largest result kept inline in the record (as JSON). A larger one goes out whole as a Turbine file, with a summary inline; where the platform's file API is not available it is cut to fit, with truncated: true.",
  });

/**
 * The output fields of a record kept whole in a file, without `truncated`: for an action
 * that names its own cut flag after what is cut (`payload_truncated`), since the
 * vocabulary keeps a bare `truncated` for paginated lists.
 */
export const recordFileOutput = {
  result_file: fileReferenceSchema.nullable().meta({
    description:
      "The whole result as a Turbine file (JSON), when it was larger than output_limit_bytes and the file API was available; else null.",
  }),
  result_bytes: field.integer("The size of the whole result as JSON, in bytes."),
  result_file_error: z.nullable(errorOutput("Why the upload failed.")).meta({
    description:
      "Why the whole result could not be uploaded as a file, when that was tried and failed; the inline result is then cut.",
  }),
};

/**
 * The output fields that say where the result went; spread into an action's output schema.
 *
 * @example
 * ```ts
 * const output = z.object({ results: z.array(item), ...recordLimitOutput });
 * ```
 */
export const recordLimitOutput = {
  truncated: field.flag(
    "true when the inline result is cut to fit output_limit_bytes (more exists than is shown: in result_file when it is set).",
  ),
  ...recordFileOutput,
};

/** Where a result went: inline whole, to a file with an inline summary, or cut to fit. */
export interface RecordFit<T> {
  /** What goes in the record: the whole result, its summary, or its cut. */
  inline: T;
  truncated: boolean;
  result_file: FileReference | null;
  result_bytes: number;
  result_file_error: { code: string; message: string } | null;
}

/** How to fit one result into the record. */
export interface RecordFitOptions<T> {
  /** `output_limit_bytes`. */
  limitBytes: number;
  /** The file's name when the whole result is uploaded, e.g. `invoke_function_batch.json`. */
  fileName: string;
  /** The output the file belongs to, named by any file API error. */
  field: string;
  /** Where the file API's variables are read: the executor's `env`. */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * The inline form of a result that went to a file: a summary (counts, the first items).
   * It should be well under the limit; it is cut like the rest if it is not.
   */
  summary: (whole: T) => T;
  /**
   * The whole result made smaller: `size` (from 0 to the whole's size) picks how much
   * to keep, e.g. that many items or bytes; {@link fitRecord} looks for the largest that fits.
   */
  cut: (whole: T, size: number) => T;
  /** The largest `size` for `cut`: the number of items, or of bytes. */
  sizeOf: (whole: T) => number;
  /**
   * The whole result's size and the file's bytes, when the caller has them cheaper than
   * as JSON (a streamed payload: its own bytes, never copied into one more string).
   */
  own?: { bytes: number; file: () => Uint8Array } | undefined;
  /**
   * The size of a cut as JSON, when the caller can tell it without writing the JSON
   * (a cut of a large text: its characters counted); {@link jsonBytes} when not given.
   */
  jsonBytesOf?: ((value: T) => number) | undefined;
}

/** Bytes of `value` as compact JSON, as the record line holds it. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? "null", "utf8");
}

/**
 * Bytes of `text` as a JSON string (quotes and escapes included), exactly as
 * `jsonBytes(text)` says, without writing one more copy of all of it: written a slice at
 * a time (see {@link textSlices}), whose escapes are their own, so that a text of
 * megabytes costs no string of megabytes.
 *
 * @example
 * ```ts
 * jsonStringBytes('say "hi"\n'); // 14: the quotes, two escaped quotes and an escaped newline
 * ```
 */
export function jsonStringBytes(text: string): number {
  let bytes = 2;
  for (const slice of textSlices(text)) {
    bytes += Buffer.byteLength(JSON.stringify(slice), "utf8") - 2;
  }
  return bytes;
}

/**
 * Fits `whole` into a record of `limitBytes`: inline when it fits; else uploaded as a
 * Turbine file with `summary` inline, when `IPC_API_URI` and `IPC_API_TOKEN` are set;
 * else (or when the upload fails) cut with `cut` to the largest size that fits, with
 * `truncated: true`. Never throws for the file API: what was computed is never lost to it.
 *
 * @example
 * ```ts
 * const fit = await fitRecord(results, {
 *   limitBytes: inputs.output_limit_bytes, fileName: "batch.json", field: "results", env: executor.env,
 *   summary: (all) => all.slice(0, 100), cut: (all, n) => all.slice(0, n), sizeOf: (all) => all.length,
 * });
 * return { results: fit.inline, truncated: fit.truncated, result_file: fit.result_file, … };
 * ```
 */
export async function fitRecord<T>(whole: T, options: RecordFitOptions<T>): Promise<RecordFit<T>> {
  const bytes = options.own?.bytes ?? jsonBytes(whole);
  const base = { result_bytes: bytes, result_file: null, result_file_error: null };
  if (bytes <= options.limitBytes) {
    return { ...base, inline: whole, truncated: false };
  }
  let fileError: RecordFit<T>["result_file_error"] = null;
  if (fileApiAvailable(options.env)) {
    try {
      const content =
        options.own?.file() ?? new TextEncoder().encode(JSON.stringify(whole) ?? "null");
      const file = await uploadFile(content, options.fileName, {
        field: options.field,
        env: options.env,
        maxBytes: Math.max(bytes, 70 * 1024 * 1024),
      });
      const summary = options.summary(whole);
      return {
        ...base,
        inline: jsonBytes(summary) <= options.limitBytes ? summary : largestCut(summary, options),
        truncated: true,
        result_file: file,
      };
    } catch (error) {
      fileError =
        error instanceof ConnectorError
          ? { code: error.code, message: error.message }
          : { code: "internal_error", message: "the upload failed" };
    }
  }
  return {
    ...base,
    inline: largestCut(whole, options),
    truncated: true,
    result_file_error: fileError,
  };
}

/**
 * Whether the platform's file API variables are set, so that a result too big for the
 * record can go out whole as a file.
 *
 * @example
 * ```ts
 * const keep = fileApiAvailable(executor.env) ? everything : inputs.output_limit_bytes;
 * ```
 */
export function fileApiAvailable(env: Readonly<Record<string, string | undefined>>): boolean {
  return (env.IPC_API_URI ?? "") !== "" && (env.IPC_API_TOKEN ?? "") !== "";
}

/**
 * The cut of `whole` with the largest size whose JSON fits the limit: the largest size
 * itself when it fits (a `sizeOf` that knows the bound costs one cut), else a binary search.
 */
function largestCut<T>(whole: T, options: RecordFitOptions<T>): T {
  let low = 0;
  let high = options.sizeOf(whole);
  const measure = options.jsonBytesOf ?? jsonBytes;
  const largest = options.cut(whole, high);
  if (measure(largest) <= options.limitBytes) {
    return largest;
  }
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (measure(options.cut(whole, middle)) <= options.limitBytes) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return options.cut(whole, low);
}
