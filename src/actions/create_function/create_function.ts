import {
  type Architecture,
  CreateFunctionCommand,
  type CreateFunctionCommandOutput,
  type GetFunctionConfigurationCommandOutput,
  type Runtime,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import type { AwsCall } from "../../aws/call.js";
import type { Executor } from "../../aws/executor.js";
import { field } from "../../outputFields.js";
import { changedSchema, undoSchema, undoStep } from "../change.js";
import { checkCodeSource, codeSourceInputs, resolveCode } from "../codeSource.js";
import { defineCustomAction } from "../defineAction.js";
import { definedMembers, flagInput, onFunction, waitSecondsInput } from "../fields.js";
import { functionSummarySchema, summarizeFunction } from "../functionConfiguration.js";
import { changedButUnread, lostChange } from "../lostChange.js";
import { getFunctionConfiguration } from "../reads.js";

/** How often the function's state is read while waiting for Active. */
export const STATE_POLL_INTERVAL_MS = 1000;

const required = (what: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? "is required" : `must be ${what}`;

/** An optional whole number of `unit` from `min` to `max` (AWS's default applies when unset). */
function wholeNumberBetween(min: number, max: number, unit: string) {
  return z
    .number({ error: `must be a whole number of ${unit}` })
    .int(`must be a whole number of ${unit}`)
    .min(min, `must be between ${min} and ${max} ${unit}`)
    .max(max, `must be between ${min} and ${max} ${unit}`)
    .optional();
}

/** The inputs of create_function. */
export const createFunctionInputs = z
  .strictObject({
    function_name: z
      .string({ error: required("a string") })
      .regex(/^[a-zA-Z0-9_-]{1,64}$/, "must be 1 to 64 of letters, digits, - and _")
      .meta({
        title: "Function Name",
        description: "The new function's name.",
        examples: ["triage-helper"],
      }),
    runtime: z
      .string({ error: required("a string") })
      // Capped: AWS echoes a runtime it refuses, and every error line is masked and clipped.
      .max(64, "must be at most 64 characters, a Lambda runtime identifier such as python3.12")
      .regex(/^[a-z0-9.]+$/, "must be a Lambda runtime identifier such as python3.12 or nodejs22.x")
      .meta({
        title: "Runtime",
        description: "The runtime, e.g. python3.12 or nodejs22.x.",
        examples: ["python3.12"],
      }),
    handler: z
      .string({ error: required("a string") })
      .regex(/^[^\s]{1,128}$/, "must be 1 to 128 characters without spaces, e.g. app.handler")
      .meta({
        title: "Handler",
        description: "The entry point, e.g. app.handler.",
        examples: ["app.handler"],
      }),
    execution_role_arn: z
      .string({ error: required("a string") })
      .regex(
        /^arn:[a-z-]+:iam::\d{12}:role\/[\w+=,.@/-]+$/,
        "must be an IAM role ARN such as arn:aws:iam::123456789012:role/lambda-exec",
      )
      .meta({
        title: "Execution Role ARN",
        description:
          "The role the function runs as; it must trust lambda.amazonaws.com, and the caller needs iam:PassRole on it.",
        examples: ["arn:aws:iam::123456789012:role/triage-helper-exec"],
      }),
    ...codeSourceInputs,
    description: z
      .string({ error: "must be a string" })
      .max(256, "must be at most 256 characters")
      .optional()
      .meta({ title: "Description" }),
    timeout: wholeNumberBetween(1, 900, "seconds").meta({
      title: "Timeout",
      description: "Seconds the function may run (default 3).",
    }),
    memory_size: wholeNumberBetween(128, 10240, "MB").meta({
      title: "Memory Size",
      description: "Memory in MB (default 128).",
    }),
    environment: z
      .record(
        z
          .string()
          .regex(
            /^[a-zA-Z]\w*$/,
            "variable names must start with a letter and hold letters, digits and _",
          ),
        z.string({ error: "values must be strings" }),
        {
          error: "must be an object of variable names to string values",
        },
      )
      .optional()
      .meta({
        title: "Environment",
        description: "Environment variables.",
        examples: [{ LOG_LEVEL: "info" }],
      }),
    architectures: z
      .array(z.enum(["x86_64", "arm64"], { error: "must be x86_64 or arm64" }), {
        error: "must be a list",
      })
      .max(1, "must hold one architecture")
      .optional()
      .meta({
        title: "Architectures",
        description: "x86_64 (default) or arm64.",
        examples: [["arm64"]],
      }),
    layers: z
      .array(
        z
          .string()
          .regex(
            /^arn:[a-z-]+:lambda:[a-z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+:\d+$/,
            "must be layer version ARNs",
          ),
        {
          error: "must be a list of layer version ARNs",
        },
      )
      .max(5, "must hold at most 5 layers")
      .optional()
      .meta({ title: "Layers", description: "Layer version ARNs to add." }),
    tags: z
      .record(z.string().min(1), z.string({ error: "tag values must be strings" }), {
        error: "must be an object of tags",
      })
      .optional()
      .meta({ title: "Tags", examples: [{ owner: "soc" }] }),
    publish: flagInput("Publish", "Publish a first version once created."),
    wait_seconds: waitSecondsInput(
      "Wait up to this long for the function to become Active (0: do not wait).",
    ),
  })
  .superRefine(checkCodeSource);

type Inputs = z.output<typeof createFunctionInputs>;

/** The output of create_function. */
export const createFunctionOutput = z.object({
  function: functionSummarySchema
    .extend({
      version: field.nullableText("The version published with it, or $LATEST."),
    })
    .meta({ description: "The new function, as it was when the wait ended." }),
  state: field.nullableText("Active, Pending or Failed when the wait ended."),
  state_reason: field.nullableText("Why the function is in its state."),
  active: field.flag("Whether the function became Active within wait_seconds."),
  waited_seconds: field.number("How long the wait for Active took, in seconds (one decimal)."),
  changed: changedSchema,
  undo: undoSchema(""),
});

/** create_function: deploy a new function and wait, bounded, until it is Active. */
export const createFunctionAction = defineCustomAction({
  name: "create_function",
  title: "Create Function",
  description:
    "Create a Lambda function from a zip (a Turbine file, base64 text, or an S3 object), then wait (bounded) until it is Active and say so.",
  inputs: createFunctionInputs,
  output: createFunctionOutput,
  iamActions: [
    "lambda:CreateFunction",
    "iam:PassRole",
    // Lambda checks it on each layer version the new function uses.
    "lambda:GetLayerVersion",
    "lambda:GetFunctionConfiguration",
    "lambda:TagResource",
  ],
  why: "The code is fetched from Turbine's file API (or decoded) before the call, and the function's state is polled afterwards until Active.",
  run: createFunction,
});

const createCall: AwsCall<Inputs> = {
  operation: "CreateFunction",
  ...onFunction,
  retry: "at-most-once",
  hints: {
    InvalidParameterValueException:
      "Check execution_role_arn (the role must exist and trust lambda.amazonaws.com; a new role takes a few seconds to be usable), runtime, handler, memory_size and timeout.",
    ResourceConflictException:
      "A function with this function_name already exists: pick another name.",
    AccessDeniedException:
      "The caller needs lambda:CreateFunction, iam:PassRole on execution_role_arn, and lambda:TagResource when tags are given.",
  },
};

/**
 * Creates the function the inputs describe and waits for it.
 *
 * @example
 * ```ts
 * const out = await createFunction(createFunctionInputs.parse({ function_name: "f", runtime: "python3.12",
 *   handler: "app.handler", execution_role_arn, zip_file_base64 }), executor);
 * ```
 */
export async function createFunction(inputs: Inputs, executor: Executor) {
  const code = await resolveCode(inputs, executor);
  const sending = executor.send<CreateFunctionCommandOutput, Inputs>(
    createCall,
    new CreateFunctionCommand({
      FunctionName: inputs.function_name,
      Runtime: inputs.runtime as Runtime,
      Handler: inputs.handler,
      Role: inputs.execution_role_arn,
      Code: code,
      Publish: inputs.publish,
      ...definedMembers(inputs, {
        description: "Description",
        timeout: "Timeout",
        memory_size: "MemorySize",
        layers: "Layers",
        tags: "Tags",
      }),
      ...(inputs.environment === undefined
        ? {}
        : { Environment: { Variables: inputs.environment } }),
      ...(inputs.architectures === undefined
        ? {}
        : { Architectures: inputs.architectures as Architecture[] }),
    }),
    inputs,
  );
  const target = `function ${inputs.function_name}`;
  const created = await sending.catch((error: unknown) => {
    throw lostChange(
      error,
      { operation: "CreateFunction", target, checkWith: "get_function" },
      null,
    );
  });
  try {
    return await waitUntilActive(inputs, executor, created);
  } catch (error) {
    throw createdButUnread(error, inputs.function_name);
  }
}

/**
 * A function that was created but whose state could not be read afterwards: it exists,
 * so the error says so, instead of reading as if nothing had been made (a re-run would
 * then fail because the name is taken).
 */
function createdButUnread(error: unknown, name: string): unknown {
  return changedButUnread(
    error,
    `Function ${name} was created, but reading its state afterwards failed`,
    `The function exists: check its state with get_function, and remove it with delete_function if it is not wanted; running create_function again would fail because the name is taken.`,
    null,
  );
}

/** Polls the created function's state, bounded by `wait_seconds`, and describes it. */
async function waitUntilActive(
  inputs: Inputs,
  executor: Executor,
  created: CreateFunctionCommandOutput,
) {
  const started = executor.now();
  const deadline = started + inputs.wait_seconds * 1000;
  let current: GetFunctionConfigurationCommandOutput = created;
  while (current.State === "Pending" && executor.now() < deadline) {
    await executor.sleep(STATE_POLL_INTERVAL_MS);
    current = await executor.send<GetFunctionConfigurationCommandOutput, Inputs>(
      getFunctionConfiguration,
      getFunctionConfiguration.command(inputs),
      inputs,
    );
  }
  return {
    function: { ...summarizeFunction(current), version: created.Version ?? null },
    state: current.State ?? null,
    state_reason: current.StateReason ?? null,
    active: current.State === "Active",
    waited_seconds: Math.round((executor.now() - started) / 100) / 10,
    changed: true,
    undo: [
      undoStep("delete_function", {
        function_name: inputs.function_name,
        confirm_function_name: inputs.function_name,
      }),
    ],
  };
}
