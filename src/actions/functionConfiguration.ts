import type { FunctionConfiguration } from "@aws-sdk/client-lambda";
import { z } from "zod";

/** The summary of a function that list and get actions share. */
export const functionSummarySchema = z.object({
  name: z.string(),
  arn: z.string(),
  runtime: z.string().nullable().meta({ description: "null for container-image functions." }),
  handler: z.string().nullable(),
  last_modified: z.string().nullable(),
  state: z.string().nullable().meta({
    description: "Active, Pending, Inactive or Failed; ListFunctions leaves it out (null).",
  }),
  memory_size: z.number().nullable().meta({ description: "Memory in MB." }),
  timeout: z.number().nullable().meta({ description: "Timeout in seconds." }),
  role: z.string().nullable().meta({ description: "The execution role's ARN." }),
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
    last_modified: fn.LastModified ?? null,
    state: fn.State ?? null,
    memory_size: fn.MemorySize ?? null,
    timeout: fn.Timeout ?? null,
    role: fn.Role ?? null,
  };
}
