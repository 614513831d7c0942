import { parseFunctionName } from "../../aws/functionName.js";
import { field, functionNameOutput, qualifierOutput } from "../../outputFields.js";
import { wholeNumberInput } from "../../wholeNumberInput.js";
import { withMeta, z } from "../../zodMini.js";
import { functionNameInput, jsonInput, qualifierInput } from "../fields.js";

/** Invocation types Lambda accepts, in the order the manifest lists them. */
export const INVOCATION_TYPES = ["RequestResponse", "Event", "DryRun"] as const;

/**
 * Lambda tenant isolation's tenant: the invocation runs in that tenant's own execution
 * environments. Only for a function created with a tenancy config, which then requires it.
 */
export const tenantIdInput = withMeta(
  z.optional(
    z
      .string({ error: "must be a string" })
      .check(
        z.regex(/^[!-~]{1,256}$/, "must be 1 to 256 printable ASCII characters, without spaces"),
      ),
  ),
  {
    title: "Tenant ID",
    description:
      "The tenant to run the function for (Lambda tenant isolation, TenantId). Only for functions created with a tenancy config, which require it; other functions refuse it.",
    examples: ["customer-4711"],
  },
);

/** The inputs of invoke_function; the manifest `actions/invoke_function.yaml` is generated from it. */
export const invokeFunctionInputs = z
  .strictObject({
    function_name: withMeta(functionNameInput, {
      title: "Function Name",
      description:
        "The function to run: its name, name:alias or name:version, a partial ARN (123456789012:function:name) or a full ARN.",
      examples: [
        "enrich-indicator",
        "enrich-indicator:live",
        "arn:aws:lambda:us-east-1:123456789012:function:enrich-indicator",
      ],
    }),
    qualifier: withMeta(qualifierInput, {
      title: "Qualifier",
      description: "Version or alias to run. Leave empty when function_name already ends in one.",
      examples: ["live", "3", "$LATEST"],
    }),
    payload: withMeta(z.optional(jsonInput()), {
      title: "Payload",
      description:
        "The event passed to the function: any JSON value. A string is sent as it is, so it must itself be JSON text. Up to 6 MB (RequestResponse) or 1 MB (Event).",
      examples: [{ indicator: "198.51.100.7", type: "ip" }],
    }),
    invocation_type: withMeta(
      z._default(
        z.enum(INVOCATION_TYPES, { error: `must be one of ${INVOCATION_TYPES.join(", ")}` }),
        "RequestResponse",
      ),
      {
        title: "Invocation Type",
        description:
          "RequestResponse runs the function and waits for its result; Event queues it and returns at once; DryRun only checks parameters and permissions.",
      },
    ),
    include_logs: withMeta(z._default(z.boolean({ error: "must be true or false" }), false), {
      title: "Include Logs",
      description: "Return the last 4 KB of the function's log (RequestResponse only).",
    }),
    client_context: withMeta(
      z.optional(z.record(z.string(), z.json(), { error: "must be a JSON object" })),
      {
        title: "Client Context",
        description:
          "A JSON object the function receives as context.clientContext (RequestResponse only); at most 3,583 bytes once base64-encoded.",
        examples: [{ custom: { playbook: "phishing-triage", case: "SW-1234" } }],
      },
    ),
    fail_on_function_error: withMeta(
      z._default(z.boolean({ error: "must be true or false" }), true),
      {
        title: "Fail on Function Error",
        description:
          "Fail the action when the function raises an error. When false, the error is returned in function_error instead.",
      },
    ),
    timeout_seconds: withMeta(z.optional(wholeNumberInput(1, 900, "seconds")), {
      title: "Timeout (seconds)",
      description:
        "A deadline for the whole call, retries and the response body included: give up after this long. Default: just over Lambda's 900 s maximum, so a synchronous call outwaits any function.",
    }),
    tenant_id: tenantIdInput,
    allow_duplicate_runs: withMeta(
      z._default(z.boolean({ error: "must be true or false" }), false),
      {
        title: "Allow Duplicate Runs",
        description:
          "Also retry failures after which the function may already have run (reset connection, timeout, AWS 5xx). Only for idempotent functions: it can run them twice.",
      },
    ),
  })
  .check(z.superRefine(checkInvocationInputs));

/**
 * A qualifier given both in function_name (`name:alias`) and in `qualifier` must be the
 * same one: refused, naming `qualifier`, before anything is sent.
 */
export function checkQualifierAgrees(
  inputs: { function_name?: string | undefined; qualifier?: string | undefined },
  ctx: z.core.$RefinementCtx,
): void {
  const inName =
    inputs.function_name === undefined
      ? undefined
      : parseFunctionName(inputs.function_name)?.qualifier;
  if (inName !== undefined && inputs.qualifier !== undefined && inName !== inputs.qualifier) {
    ctx.addIssue({
      code: "custom",
      path: ["qualifier"],
      message: `conflicts with the qualifier "${inName}" already in function_name; give one of them`,
    });
  }
}

/**
 * The checks across inputs that every invocation action makes: a qualifier given twice
 * must agree, and the inputs only synchronous calls take need RequestResponse.
 *
 * @example
 * ```ts
 * const inputs = z.strictObject({ function_name, qualifier, invocation_type, include_logs }).check(z.superRefine(checkInvocationInputs));
 * ```
 */
export function checkInvocationInputs(
  inputs: {
    function_name: string;
    qualifier?: string | undefined;
    invocation_type: string;
    include_logs?: boolean | undefined;
    client_context?: unknown;
  },
  ctx: z.core.$RefinementCtx,
): void {
  checkQualifierAgrees(inputs, ctx);
  if (inputs.invocation_type !== "RequestResponse") {
    for (const field of ["include_logs", "client_context"] as const) {
      if (inputs[field] !== undefined && inputs[field] !== false) {
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `is only available with invocation_type RequestResponse, not ${inputs.invocation_type}`,
        });
      }
    }
  }
}

/** Validated inputs of invoke_function. */
export type InvokeFunctionInputs = z.output<typeof invokeFunctionInputs>;

/** The error a function raised, parsed from its payload. */
export const functionErrorSchema = z.object({
  type: field.text("The error's type, e.g. ValueError or Sandbox.Timedout."),
  message: field.text("The error message the function raised."),
  stack_trace: field.texts("The stack trace lines, when the runtime gives them."),
});

/** The output fields that name what was invoked, in every invocation action's output. */
export const invokedOutput = {
  function_name: functionNameOutput,
  qualifier: qualifierOutput,
};

/** The output fields of Lambda's answer to an invocation, in every invocation action's output. */
export const answeredOutput = {
  executed_version: field.nullableText("The version that ran (an alias resolves to one)."),
  request_id: field.nullableText("The AWS request ID of the invocation."),
};

/** The output of invoke_function, as printed after `::set-output`. */
export const invokeFunctionOutput = z.object({
  status_code: field.integer(
    "HTTP status of the invocation: 200 RequestResponse, 202 Event, 204 DryRun.",
  ),
  ...invokedOutput,
  invocation_type: withMeta(z.enum(INVOCATION_TYPES), {
    description: "How the function was invoked, as asked.",
  }),
  ...answeredOutput,
  payload: withMeta(z.nullable(z.json()), {
    description:
      "What the function returned: parsed JSON when it is JSON, else the text; null for Event and DryRun.",
  }),
  payload_decoded: field.flag(
    "true when payload is the function's result parsed as JSON; false when there is no payload (Event, DryRun, an empty answer) or it is the raw text: not JSON, or nested deeper than 1,000 levels.",
  ),
  log_result: field.nullableText(
    "The last 4 KB of the function's log, decoded, when include_logs was set.",
  ),
  function_error: withMeta(z.nullable(functionErrorSchema), {
    description: "null when the function succeeded, else the error it raised.",
  }),
});

/** The output of invoke_function. */
export type InvokeFunctionOutput = z.input<typeof invokeFunctionOutput>;
