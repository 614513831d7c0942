import {
  InvokeCommand,
  type InvokeCommandInput,
  type InvokeCommandOutput,
} from "@aws-sdk/client-lambda";
import { partitionOfRegion } from "../../asset/partitions.js";
import type { AwsCall } from "../../aws/call.js";
import type { Executor } from "../../aws/executor.js";
import {
  describeFunction,
  type FunctionReference,
  functionArnFor,
  parseFunctionName,
} from "../../aws/functionName.js";
import { INVOKE_TIMEOUT_MS } from "../../aws/httpHandler.js";
import { FunctionError, InvalidInputError } from "../../errors.js";
import { jsonNodesWithin } from "../../jsonDepth.js";
import { defineCustomAction } from "../defineAction.js";
import {
  type InvokeFunctionInputs,
  type InvokeFunctionOutput,
  invokeFunctionInputs,
  invokeFunctionOutput,
} from "./schema.js";

/** Largest request and response payload of a synchronous invocation (and DryRun). */
export const SYNC_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;
/** Largest payload of an asynchronous (Event) invocation since October 2025. */
export const ASYNC_PAYLOAD_LIMIT_BYTES = 1024 * 1024;
/** Largest ClientContext header, measured after base64 encoding. */
export const CLIENT_CONTEXT_LIMIT_BYTES = 3583;

/** Invoke's own hints: only Invoke has a payload, and only its payload can be refused. */
export const INVOKE_HINTS: Readonly<Record<string, string>> = {
  ResourceNotFoundException:
    "Check function_name and qualifier (the version or alias must exist), that region_name is the region the function lives in, and that the credentials belong to the function's account (give a full ARN to be explicit).",
  RequestTooLargeException:
    "Send a smaller payload (6 MB for RequestResponse, 1 MB for Event), or pass a reference such as an S3 key instead of the data.",
  SerializedRequestEntityTooLargeException:
    "Send a smaller payload (6 MB for RequestResponse, 1 MB for Event), or pass a reference such as an S3 key instead of the data.",
  InvalidRequestContentException:
    "The payload must be JSON: pass an object or array, or a string that holds JSON text.",
  UnsupportedMediaTypeException:
    "The payload must be JSON: pass an object or array, or a string that holds JSON text.",
  InvalidParameterValueException:
    "Check function_name, qualifier, client_context and tenant_id: a function with tenant isolation needs a tenant_id, and one without refuses it.",
};

/**
 * invoke_function: runs a Lambda function with a payload and returns what it
 * returned, decoded, with the function's own errors surfaced.
 */
export const invokeFunctionAction = defineCustomAction({
  name: "invoke_function",
  title: "Invoke Function",
  description:
    "Run an AWS Lambda function with a JSON payload (synchronously, asynchronously or as a dry run) and return its decoded result, logs and any function error.",
  inputs: invokeFunctionInputs,
  output: invokeFunctionOutput,
  iamActions: ["lambda:InvokeFunction"],
  why: "The payload and client context are checked against Lambda's limits before sending, the retry policy follows allow_duplicate_runs, and the answer is decoded and may fail the action: more than a mapping.",
  run: invokeFunction,
});

/**
 * Invokes the function named in `inputs` through the executor.
 *
 * @example
 * ```ts
 * const output = await invokeFunction(
 *   invokeFunctionInputs.parse({ function_name: "enrich-indicator", payload: { indicator: "198.51.100.7" } }),
 *   new Executor(asset),
 * );
 * output.payload; // what the function returned
 * ```
 */
export function invokeFunction(
  inputs: InvokeFunctionInputs,
  executor: Executor,
): Promise<InvokeFunctionOutput> {
  let prepared: PreparedInvocation;
  try {
    prepared = prepareInvocation(inputs, executor);
  } catch (refusal) {
    return Promise.reject(refusal);
  }
  // Only what reading the answer needs waits for it: not the payload, as objects or bytes
  // (the executor keeps the command, for its retries, until the answer is in). An
  // awaiting function would keep `inputs` and the command's input all along.
  const { function_name, invocation_type, fail_on_function_error } = inputs;
  return invocationAnswered(
    { function_name, invocation_type, fail_on_function_error },
    prepared.qualifier,
    executor.send<InvokeCommandOutput>(prepared.call, new InvokeCommand(prepared.input)),
  );
}

async function invocationAnswered(
  inputs: Pick<
    InvokeFunctionInputs,
    "function_name" | "invocation_type" | "fail_on_function_error"
  >,
  qualifier: string | undefined,
  sent: Promise<InvokeCommandOutput>,
): Promise<InvokeFunctionOutput> {
  const output = invocationOutput(inputs, qualifier, await sent);
  if (output.function_error !== null && inputs.fail_on_function_error) {
    const { type, message } = output.function_error;
    throw new FunctionError(
      type,
      `Function ${inputs.function_name} failed with ${type}: ${message}`,
      {
        hint: "The function ran and raised this error: check its CloudWatch Logs (or set include_logs), or set fail_on_function_error to false to receive the error as output.",
        ...(output.request_id === null ? {} : { requestId: output.request_id }),
      },
    );
  }
  return output;
}

/**
 * What one invocation is made of: invoke_function's inputs, or one item of a batch or a
 * stream, which share every check and mapping below.
 */
export type InvocationRequest = Pick<
  InvokeFunctionInputs,
  | "function_name"
  | "qualifier"
  | "payload"
  | "invocation_type"
  | "include_logs"
  | "client_context"
  | "allow_duplicate_runs"
  | "timeout_seconds"
  | "tenant_id"
>;

/** One invocation, checked and ready to send: the SDK input, its declared call, its qualifier. */
export interface PreparedInvocation {
  input: InvokeCommandInput;
  call: AwsCall;
  qualifier: string | undefined;
}

/**
 * Checks one invocation against Lambda's limits (region, payload size and JSON, client
 * context) before anything is sent, and declares its call. `field` is the input the
 * payload came from, named by a refusal (`payloads[3]` in a batch).
 *
 * @example
 * ```ts
 * const { input, call } = prepareInvocation(inputs, executor);
 * await executor.send(call, new InvokeCommand(input));
 * ```
 */
export function prepareInvocation(
  request: InvocationRequest,
  executor: Executor,
  field = "payload",
): PreparedInvocation {
  const reference = checkFunctionRegion(request.function_name, executor.asset.region_name);
  const qualifier = request.qualifier ?? reference.qualifier;
  const payload = encodePayload(request, field);
  const clientContext = encodeClientContext(request.client_context);
  const input: InvokeCommandInput = {
    FunctionName: request.function_name,
    InvocationType: request.invocation_type,
    ...(request.qualifier === undefined ? {} : { Qualifier: request.qualifier }),
    ...(request.include_logs ? { LogType: "Tail" } : {}),
    ...(payload === undefined ? {} : { Payload: payload }),
    ...(clientContext === undefined ? {} : { ClientContext: clientContext }),
    ...(request.tenant_id === undefined ? {} : { TenantId: request.tenant_id }),
  };
  const call: AwsCall = {
    operation: "Invoke",
    iamAction: "lambda:InvokeFunction",
    resource: functionArnFor(request.function_name, executor.location, request.qualifier),
    target: describeFunction(request.function_name, qualifier),
    retry: request.allow_duplicate_runs ? "at-least-once" : "at-most-once",
    timeoutMs:
      request.timeout_seconds === undefined ? INVOKE_TIMEOUT_MS : request.timeout_seconds * 1000,
    inputs: ["function_name", "qualifier", field, "client_context", "tenant_id"],
    qualifier,
    hints: INVOKE_HINTS,
  };
  return { input, call, qualifier };
}

/** Lambda finds a function only in the region it is called in; say so before sending. */
export function checkFunctionRegion(functionName: string, region: string): FunctionReference {
  const reference = parseFunctionName(functionName);
  if (reference === undefined) {
    throw new InvalidInputError("invalid_input", "function_name: is not a Lambda function name", {
      field: "function_name",
      hint: "Give a function name, name:qualifier, or a partial or full function ARN.",
    });
  }
  if (reference.region !== undefined && reference.region !== region) {
    throw new InvalidInputError(
      "invalid_input",
      `function_name: is an ARN in region ${reference.region}, but the asset's region_name is ${region}`,
      {
        field: "function_name",
        hint: `Lambda is called in ${region} and only finds functions there: use an asset whose region_name is ${reference.region}, or the function's ARN in ${region}.`,
      },
    );
  }
  const partition = partitionOfRegion(region)?.id;
  if (reference.partition !== undefined && reference.partition !== partition) {
    throw new InvalidInputError(
      "invalid_input",
      `function_name: is an ARN in partition ${reference.partition}, but region ${region} is in partition ${partition ?? "unknown"}`,
      { field: "function_name", hint: "Use an asset for the function's partition and region." },
    );
  }
  return reference;
}

function encodePayload(request: InvocationRequest, field: string): Uint8Array | undefined {
  if (request.payload === undefined) {
    return undefined;
  }
  let text: string;
  if (typeof request.payload === "string") {
    text = request.payload;
    if (!isJsonText(text)) {
      throw new InvalidInputError(
        "invalid_input",
        `${field}: is a string that is not JSON text; Lambda accepts only JSON`,
        {
          field,
          hint: 'Pass the event as a JSON object, or, to send a plain string, quote it as JSON text (e.g. "\\"hello\\"").',
        },
      );
    }
  } else {
    text = JSON.stringify(request.payload);
  }
  const bytes = new TextEncoder().encode(text);
  const limit =
    request.invocation_type === "Event" ? ASYNC_PAYLOAD_LIMIT_BYTES : SYNC_PAYLOAD_LIMIT_BYTES;
  if (bytes.byteLength > limit) {
    throw new InvalidInputError(
      "payload_too_large",
      `${field}: is ${bytes.byteLength} bytes, over the ${limit} byte (${limit / 1024 / 1024} MB) limit for ${request.invocation_type} invocations`,
      {
        field,
        hint: "Nothing was sent. Send a smaller payload, or pass a reference (such as an S3 object key) for the function to fetch.",
      },
    );
  }
  return bytes;
}

function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function encodeClientContext(context: InvokeFunctionInputs["client_context"]): string | undefined {
  if (context === undefined) {
    return undefined;
  }
  const encoded = Buffer.from(JSON.stringify(context), "utf8").toString("base64");
  if (encoded.length > CLIENT_CONTEXT_LIMIT_BYTES) {
    throw new InvalidInputError(
      "invalid_input",
      `client_context: is ${encoded.length} bytes once base64-encoded, over Lambda's ${CLIENT_CONTEXT_LIMIT_BYTES} byte limit`,
      {
        field: "client_context",
        hint: "Keep client_context to a few identifiers; put larger data in the payload.",
      },
    );
  }
  return encoded;
}

/**
 * invoke_function's output for Lambda's answer: the payload decoded, the log tail, and
 * the function's error parsed from the payload.
 *
 * @example
 * ```ts
 * const output = invocationOutput(inputs, qualifier, await executor.send(call, new InvokeCommand(input)));
 * ```
 */
export function invocationOutput(
  request: Pick<InvocationRequest, "function_name" | "invocation_type">,
  qualifier: string | undefined,
  response: InvokeCommandOutput,
): InvokeFunctionOutput {
  const { value: payload, decoded } = decodePayload(response.Payload);
  return {
    ...invocationOf(request, qualifier, response),
    payload,
    payload_decoded: decoded,
    log_result: logTailOf(response.LogResult),
    function_error:
      response.FunctionError === undefined
        ? null
        : parseFunctionError(response.FunctionError, payload),
  };
}

/**
 * The outputs both invoke actions start with: how Lambda answered, what was invoked, and
 * which version ran.
 */
export function invocationOf<Type extends string>(
  request: { function_name: string; invocation_type: Type },
  qualifier: string | undefined,
  response: Pick<InvokeCommandOutput, "StatusCode" | "ExecutedVersion" | "$metadata">,
) {
  return {
    status_code: response.StatusCode ?? response.$metadata.httpStatusCode ?? 0,
    function_name: request.function_name,
    qualifier: qualifier ?? null,
    invocation_type: request.invocation_type,
    executed_version: response.ExecutedVersion ?? null,
    request_id: response.$metadata.requestId ?? null,
  };
}

/** The log tail Lambda sends in base64 (LogResult), decoded; null when it sent none. */
export function logTailOf(logResult: string | undefined): string | null {
  return logResult === undefined ? null : Buffer.from(logResult, "base64").toString("utf8");
}

type Json = InvokeFunctionOutput["payload"];

/**
 * Deepest nesting decoded into the output; deeper results are returned as their text.
 * The output line is written by JSON.stringify, which overflows the stack a few
 * thousand levels down, and the function's result must never be lost to that.
 */
export const MAX_DECODED_DEPTH = 1000;

/**
 * What the function returned, and whether it was decoded from JSON.
 *
 * @example
 * ```ts
 * decodePayload(new TextEncoder().encode('{"ok":true}')); // { value: { ok: true }, decoded: true }
 * ```
 */
export function decodePayload(bytes: Uint8Array | null | undefined): {
  value: Json;
  decoded: boolean;
} {
  // Event and DryRun answers have no body; the SDK then gives no payload at all, and
  // nothing was decoded.
  if (bytes === undefined || bytes === null || bytes.byteLength === 0) {
    return { value: null, decoded: false };
  }
  const text = new TextDecoder("utf-8").decode(bytes);
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch {
    return { value: text, decoded: false };
  }
  return jsonNodesWithin(value, MAX_DECODED_DEPTH)
    ? { value, decoded: true }
    : { value: text, decoded: false };
}

/**
 * Lambda reports function errors in the payload: `{errorType, errorMessage}` plus
 * `stackTrace` (Python, Java) or `trace` (Node.js), as a list or a single string.
 */
export function parseFunctionError(
  kind: string,
  payload: Json,
): NonNullable<InvokeFunctionOutput["function_error"]> {
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    return {
      type: kind,
      message: typeof payload === "string" ? payload : JSON.stringify(payload),
      stack_trace: [],
    };
  }
  const { errorType, errorMessage, stackTrace, trace } = payload;
  const lines = stackTrace ?? trace;
  return {
    type: typeof errorType === "string" ? errorType : kind,
    message: typeof errorMessage === "string" ? errorMessage : JSON.stringify(payload),
    stack_trace: Array.isArray(lines)
      ? lines.map((line) => (typeof line === "string" ? line : JSON.stringify(line)))
      : typeof lines === "string"
        ? lines.split("\n")
        : [],
  };
}
