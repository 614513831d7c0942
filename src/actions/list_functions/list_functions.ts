import {
  type FunctionConfiguration,
  ListFunctionsCommand,
  type ListFunctionsCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { definePaginatedAction } from "../defineAction.js";
import { functionSummarySchema, summarizeFunction } from "../functionConfiguration.js";
import { pageMembers, pageOutcome, pageOutputs, paginationInputs } from "../pagination.js";

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
});

/** The output of list_functions. */
export const listFunctionsOutput = z.object({
  functions: z
    .array(functionSummarySchema)
    .meta({ description: "The functions found, in the order AWS lists them." }),
  ...pageOutputs("functions"),
});

/** list_functions: every function of the region, filtered, up to max_items. */
export const listFunctionsAction = definePaginatedAction({
  name: "list_functions",
  title: "List Functions",
  description:
    "List the Lambda functions of the asset's region, optionally filtered by name or runtime, with a summary of each.",
  inputs: listFunctionsInputs,
  output: listFunctionsOutput,
  call: {
    operation: "ListFunctions",
    retry: "idempotent",
    command: (_inputs, page) =>
      new ListFunctionsCommand({
        ...pageMembers(page),
      }),
    items: (response: ListFunctionsCommandOutput) => response.Functions ?? [],
    nextMarker: (response) => response.NextMarker,
    keep: (fn: FunctionConfiguration, inputs) =>
      (inputs.name_contains === undefined ||
        (fn.FunctionName ?? "").toLowerCase().includes(inputs.name_contains.toLowerCase())) &&
      (inputs.runtime === undefined || fn.Runtime === inputs.runtime),
    output: (page) => ({
      functions: page.items.map(summarizeFunction),
      ...pageOutcome(page),
    }),
  },
});
