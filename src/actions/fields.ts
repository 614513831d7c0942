import { z } from "zod";
import type { Executor } from "../aws/executor.js";
import {
  describeFunction,
  FUNCTION_NAME_RULE,
  functionArnFor,
  parseFunctionName,
  QUALIFIER_PATTERN,
} from "../aws/functionName.js";

/** The input naming a function, as every function action takes it. */
export const functionNameInput = z
  .string({
    error: (issue) => (issue.input === undefined ? "is required" : "must be a string"),
  })
  .refine((v) => parseFunctionName(v) !== undefined, { message: FUNCTION_NAME_RULE })
  .meta({
    title: "Function Name",
    description:
      "The function: its name, a partial ARN (123456789012:function:name) or a full ARN.",
    examples: [
      "enrich-indicator",
      "arn:aws:lambda:us-east-1:123456789012:function:enrich-indicator",
    ],
  });

/** The optional version or alias input. */
export const qualifierInput = z
  .string({ error: "must be a string" })
  .regex(
    QUALIFIER_PATTERN,
    "must be $LATEST, $LATEST.PUBLISHED, a version number or an alias name (1 to 128 of letters, digits, - and _)",
  )
  .optional()
  .meta({
    title: "Qualifier",
    description: "A version or alias; leave empty for the unqualified function ($LATEST).",
    examples: ["live", "3"],
  });

/** An optional boolean input with its default and description. */
export function flagInput(title: string, description: string, defaultValue = false) {
  return z
    .boolean({ error: "must be true or false" })
    .default(defaultValue)
    .meta({ title, description });
}

/** What an operation on one function declares for its hints: the ARN IAM checks, and how to name it. */
export const onFunction = {
  identifiedBy: ["function_name", "qualifier"],
  resource: (
    inputs: { function_name: string; qualifier?: string | undefined },
    executor: Executor,
  ) => functionArnFor(inputs.function_name, executor.location, inputs.qualifier),
  target: (inputs: { function_name: string; qualifier?: string | undefined }) =>
    describeFunction(inputs.function_name, inputs.qualifier),
};

/** The `Qualifier` member of a command, only when the input sets one. */
export function qualifierOf(inputs: { qualifier?: string | undefined }): { Qualifier?: string } {
  return inputs.qualifier === undefined ? {} : { Qualifier: inputs.qualifier };
}

/** JSON text from AWS (policies, statements) parsed, or the text itself when it is not JSON. */
export function parseJsonText(text: string | undefined): unknown {
  if (text === undefined) {
    return null;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
