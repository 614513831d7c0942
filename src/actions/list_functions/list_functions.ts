import {
  type FunctionConfiguration,
  ListFunctionsCommand,
  type ListFunctionsCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import type { Executor } from "../../aws/executor.js";
import { field } from "../../outputFields.js";
import { definePaginatedAction } from "../defineAction.js";
import { functionSummarySchema, summarizeFunction } from "../functionConfiguration.js";
import { pageMembers, pageOutcome, pageOutputs, pagesOf, paginationInputs } from "../pagination.js";

/** The inputs of list_functions. */
export const listFunctionsInputs = z.strictObject({
  ...paginationInputs(1000),
  name_contains: z
    .string({ error: "must be a string" })
    .min(1, "must not be empty")
    .max(64, "must be at most 64 characters, the longest function name")
    .optional()
    .meta({
      title: "Name Contains",
      description: "Only functions whose name contains this text (case-insensitive).",
      examples: ["enrich"],
    }),
  runtime: z
    .string({ error: "must be a string" })
    .min(1, "must not be empty")
    .max(64, "must be at most 64 characters, a runtime identifier such as python3.12")
    .optional()
    .meta({
      title: "Runtime",
      description: "Only functions on this runtime, e.g. python3.12 or nodejs22.x.",
      examples: ["python3.12"],
    }),
  modified_since: z
    .string({ error: "must be a string" })
    .max(64, "must be at most 64 characters")
    .refine((value) => sinceInput(value) !== undefined, {
      message:
        "must be an ISO 8601 time (2026-03-01T12:00:00Z) or a duration back from now: a whole number with m, h, d or w (30m, 24h, 7d, 2w), at most 3650 days",
    })
    .optional()
    .meta({
      title: "Modified Since",
      description:
        "Only functions whose code or configuration changed since then, newest first: an ISO 8601 time or a duration back from now (24h, 7d).",
      examples: ["24h", "2026-03-01T12:00:00Z"],
    }),
});

const DURATION = /^(\d{1,7})([mhdw])$/;
const UNIT_MS: Readonly<Record<string, number>> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const MAX_DURATION_MS = 3650 * 86_400_000;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** A modified_since input read: a time, or a duration back from the run's clock. */
function sinceInput(value: string): { at: number } | { back: number } | undefined {
  const duration = DURATION.exec(value);
  if (duration !== null) {
    const back = Number(duration[1]) * (UNIT_MS[duration[2] ?? ""] ?? Number.NaN);
    return back > 0 && back <= MAX_DURATION_MS ? { back } : undefined;
  }
  const at = ISO_TIME.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? undefined : { at };
}

/**
 * The moment modified_since names, in epoch milliseconds, by the executor's clock; undefined
 * when not given.
 *
 * @example
 * ```ts
 * modifiedSince({ modified_since: "24h" }, executor); // executor.now() - 86_400_000
 * ```
 */
export function modifiedSince(
  inputs: { modified_since?: string | undefined },
  executor: Pick<Executor, "now">,
): number | undefined {
  const since = inputs.modified_since === undefined ? undefined : sinceInput(inputs.modified_since);
  if (since === undefined) {
    return undefined;
  }
  return "at" in since ? since.at : executor.now() - since.back;
}

/** A function's LastModified in epoch milliseconds; NaN when AWS gave none. */
function lastModifiedOf(fn: { last_modified: string | null } | FunctionConfiguration): number {
  const value = "last_modified" in fn ? fn.last_modified : fn.LastModified;
  return value === null || value === undefined ? Number.NaN : Date.parse(value);
}

/** The output of list_functions. */
export const listFunctionsOutput = z.object({
  functions: z.array(functionSummarySchema).meta({
    description:
      "The functions found, newest first when modified_since is given, else in the order AWS lists them.",
  }),
  modified_since: field.nullableText(
    "The time modified_since named (ISO 8601, Z), or null when not given.",
  ),
  ...pageOutputs("functions"),
});

/** list_functions: every function of the region, filtered, up to max_items. */
export const listFunctionsAction = definePaginatedAction({
  name: "list_functions",
  title: "List Functions",
  description:
    "List the Lambda functions of the asset's region, optionally filtered by name, runtime or a change since a time or duration (newest first), with a summary of each.",
  inputs: listFunctionsInputs,
  output: listFunctionsOutput,
  call: {
    operation: "ListFunctions",
    command: (_inputs, page) => new ListFunctionsCommand(pageMembers(page)),
    ...pagesOf((response: ListFunctionsCommandOutput) => response.Functions),
    keep: (fn: FunctionConfiguration, inputs, executor) => {
      const since = modifiedSince(inputs, executor);
      return (
        (inputs.name_contains === undefined ||
          (fn.FunctionName ?? "").toLowerCase().includes(inputs.name_contains.toLowerCase())) &&
        (inputs.runtime === undefined || fn.Runtime === inputs.runtime) &&
        (since === undefined || lastModifiedOf(fn) >= since)
      );
    },
    output: (page, inputs, executor) => {
      const since = modifiedSince(inputs, executor);
      const functions = page.items.map(summarizeFunction);
      return {
        // Newest first when asked what changed: the responder's first question after an alert.
        functions:
          since === undefined
            ? functions
            : functions.sort((a, b) => lastModifiedOf(b) - lastModifiedOf(a)),
        ...pageOutcome(page),
        modified_since: since === undefined ? null : new Date(since).toISOString(),
      };
    },
  },
});
