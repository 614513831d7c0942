import { z } from "zod";
import { errorOutput, field } from "../../outputFields.js";
import { outputLimitInput, recordFileOutput } from "../../turbine/recordLimit.js";
import { wholeNumberInput } from "../../wholeNumberInput.js";
import { withMeta } from "../../zodMini.js";
import { jsonInput } from "../fields.js";
import {
  answeredOutput,
  checkInvocationInputs,
  functionErrorSchema,
  invokedOutput,
  invokeFunctionInputs,
  tenantIdInput,
} from "../invoke_function/schema.js";

/** Most payloads one batch takes. */
export const MAX_BATCH_PAYLOADS = 10_000;

/** Most invocations of a batch in flight at once. */
export const MAX_BATCH_CONCURRENCY = 64;

/** What became of one payload. */
export const ITEM_STATUSES = [
  "succeeded",
  "function_error",
  "failed",
  "may_have_run",
  "not_started",
] as const;

/** What became of one payload. */
export type ItemStatus = (typeof ITEM_STATUSES)[number];

const BATCH_INVOCATION_TYPES = ["RequestResponse", "Event"] as const;

const single = invokeFunctionInputs.shape;

/** The inputs of invoke_function_batch; the manifest is generated from it. */
export const invokeFunctionBatchInputs = z
  .strictObject({
    function_name: single.function_name,
    qualifier: single.qualifier,
    payloads: z
      .array(jsonInput(), { error: "must be a list of JSON values (one event per invocation)" })
      .min(1, "must hold at least one payload")
      .max(MAX_BATCH_PAYLOADS, `must hold at most ${MAX_BATCH_PAYLOADS} payloads`)
      .meta({
        title: "Payloads",
        description:
          "One event per invocation, 1 to 10,000, each any JSON value (a string must itself be JSON text) of at most 6 MB (RequestResponse) or 1 MB (Event). The results come back in this order.",
        examples: [[{ indicator: "198.51.100.7" }, { indicator: "203.0.113.9" }]],
      }),
    invocation_type: z
      .enum(BATCH_INVOCATION_TYPES, {
        error: `must be one of ${BATCH_INVOCATION_TYPES.join(", ")}`,
      })
      .default("RequestResponse")
      .meta({
        title: "Invocation Type",
        description:
          "RequestResponse runs each invocation and waits for its result; Event queues each and returns at once.",
      }),
    concurrency: z._default(wholeNumberInput(1, MAX_BATCH_CONCURRENCY), 8).meta({
      title: "Concurrency",
      description:
        "Invocations in flight at once, at most 64. Throttling lowers it for the whole batch, and it recovers as calls go through.",
    }),
    include_logs: withMeta(single.include_logs, {
      title: "Include Logs",
      description: "Return the last 4 KB of each invocation's log (RequestResponse only).",
    }),
    timeout_seconds: z._default(wholeNumberInput(1, 3600, "seconds"), 900).meta({
      title: "Timeout (seconds)",
      description:
        "A deadline for the whole batch. Payloads not started by then are not_started; invocations still running are cut off and reported may_have_run.",
    }),
    tenant_id: tenantIdInput,
    fail_on_function_error: z.boolean({ error: "must be true or false" }).default(false).meta({
      title: "Fail on Function Error",
      description:
        "Stop starting invocations at the first function error and fail the action. When false (the default), each error is returned with its payload's result.",
    }),
    allow_duplicate_runs: single.allow_duplicate_runs,
    output_limit_bytes: outputLimitInput,
  })
  .superRefine(checkInvocationInputs);

/** Validated inputs of invoke_function_batch. */
export type InvokeFunctionBatchInputs = z.output<typeof invokeFunctionBatchInputs>;

/** The result of one payload. */
export const batchItemSchema = z.object({
  index: field.integer("The payload's position in payloads, from 0."),
  status: z.enum(ITEM_STATUSES).meta({
    description:
      "succeeded; function_error (the function ran and raised); failed (not run: refused, invalid, or run out of retries); may_have_run (the answer was lost: it may have run, and was not sent again); not_started (the deadline passed first, or the batch stopped).",
  }),
  payload: z.json().nullable().meta({
    description:
      "What the function returned: parsed JSON when it is JSON, else the text; null for Event and for failures.",
  }),
  function_error: z.nullable(functionErrorSchema).meta({
    description: "The error the function raised, when status is function_error.",
  }),
  error: z
    .nullable(
      z.object({ ...errorOutput("What went wrong.").shape, hint: field.text("What to check.") }),
    )
    .meta({ description: "Why the payload failed, may have run, or did not start." }),
  ...answeredOutput,
  log_result: field.nullableText(
    "The last 4 KB of the invocation's log, when include_logs was set.",
  ),
  attempts: field.integer("Calls sent for this payload (throttled attempts included)."),
});

/** The result of one payload. */
export type BatchItem = z.input<typeof batchItemSchema>;

/** The output of invoke_function_batch. */
export const invokeFunctionBatchOutput = z.object({
  ...invokedOutput,
  invocation_type: z.enum(BATCH_INVOCATION_TYPES).meta({ description: "How each ran." }),
  payloads_count: field.integer("The number of payloads."),
  counts: z
    .object(
      Object.fromEntries(
        ITEM_STATUSES.map((status) => [
          status,
          field.integer(`Payloads whose status is ${status}.`),
        ]),
      ) as Record<ItemStatus, z.ZodNumber>,
    )
    .meta({
      description: "How many payloads ended in each status; they add up to payloads_count.",
    }),
  throttled: field.integer(
    "Times AWS throttled a call of the batch; each throttled payload was sent again after the shared back-off.",
  ),
  stopped: z.nullable(errorOutput("Why the batch stopped starting invocations.")).meta({
    description:
      "Why the batch stopped before the end (a failure every payload would meet, or a function error with fail_on_function_error), else null.",
  }),
  invocations: z.array(batchItemSchema).meta({
    description:
      "One invocation's result per payload, in the order of payloads; when they do not fit output_limit_bytes, the first of them (all are in result_file).",
  }),
  invocations_truncated: field.flag(
    "true when invocations is cut to fit output_limit_bytes (all are in result_file when it is set).",
  ),
  ...recordFileOutput,
});

/** The output of invoke_function_batch. */
export type InvokeFunctionBatchOutput = z.input<typeof invokeFunctionBatchOutput>;
