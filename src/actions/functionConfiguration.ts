import type { FunctionConfiguration } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { field } from "../outputFields.js";
import { isoTimestamp, timestampOutput } from "./fields.js";

/** The summary of a function that list and get actions share. */
export const functionSummarySchema = z.object({
  name: field.text("The function's name."),
  arn: field.text("The function's ARN (unqualified, or with its version)."),
  runtime: field.nullableText("null for container-image functions."),
  handler: field.nullableText("The code's entry point, e.g. index.handler; null for images."),
  last_modified: timestampOutput("When the function's code or configuration last changed."),
  state: field.nullableText(
    "Active, Pending, Inactive or Failed; ListFunctions leaves it out (null).",
  ),
  memory_size: field.nullableNumber("Memory in MB."),
  timeout: field.nullableNumber("Timeout in seconds."),
  role: field.nullableText("The execution role's ARN."),
});

/**
 * The summary of a function configuration as AWS returns it.
 *
 * @example
 * ```ts
 * (await lambda.send(new ListFunctionsCommand({}))).Functions?.map(summarizeFunction);
 * ```
 */
export function summarizeFunction(
  fn: FunctionConfiguration,
): z.output<typeof functionSummarySchema> {
  return {
    name: fn.FunctionName ?? "",
    arn: fn.FunctionArn ?? "",
    runtime: fn.Runtime ?? null,
    handler: fn.Handler ?? null,
    last_modified: isoTimestamp(fn.LastModified),
    state: fn.State ?? null,
    memory_size: fn.MemorySize ?? null,
    timeout: fn.Timeout ?? null,
    role: fn.Role ?? null,
  };
}
