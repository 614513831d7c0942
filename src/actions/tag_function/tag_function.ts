import {
  GetFunctionCommand,
  type GetFunctionCommandOutput,
  TagResourceCommand,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { type BeforeStep, defineOperationAction } from "../defineAction.js";
import { functionNameInput, onFunction } from "../fields.js";

/** What the tag actions read first: the function's ARN (tags are set on it) and its tags. */
export interface TagState {
  arn: string;
  tags: Record<string, string>;
}

/** The read of a function's ARN and tags before they change. */
export const readTags: BeforeStep<{ function_name: string }, GetFunctionCommandOutput, TagState> = {
  operation: "GetFunction",
  ...onFunction,
  retry: "idempotent",
  command: (inputs) => new GetFunctionCommand({ FunctionName: inputs.function_name }),
  read: (response, inputs) => ({
    arn: response.Configuration?.FunctionArn ?? inputs.function_name,
    tags: response.Tags ?? {},
  }),
};

/** The output of both tag actions. */
export const tagChangeOutput = z.object({
  function_name: z.string(),
  arn: z.string(),
  tags: z
    .record(z.string(), z.string())
    .meta({ description: "The function's tags after the change." }),
  previous_values: z.record(z.string(), z.string().nullable()).meta({
    description:
      "For each key changed: its value before (null when it was not set), to undo the change.",
  }),
});

/** tag_function: set tags on a function, e.g. to mark it quarantined. */
export const tagFunctionAction = defineOperationAction({
  name: "tag_function",
  title: "Tag Function",
  description:
    "Add or overwrite tags on a function (e.g. quarantine=true, case=SW-1234); the previous values of those keys are returned.",
  inputs: z.strictObject({
    function_name: functionNameInput,
    tags: z
      .record(
        z
          .string()
          .min(1, "tag keys must not be empty")
          .max(128, "tag keys are at most 128 characters"),
        z
          .string({ error: "tag values must be strings" })
          .max(256, "tag values are at most 256 characters"),
        { error: "must be an object of tag keys to string values" },
      )
      .refine((tags) => Object.keys(tags).length > 0, "must hold at least one tag")
      .meta({
        title: "Tags",
        description: "Tag keys and values to set.",
        examples: [{ quarantine: "true", case: "SW-1234" }],
      }),
  }),
  output: tagChangeOutput,
  before: readTags,
  call: {
    operation: "TagResource",
    ...onFunction,
    retry: "idempotent",
    command: (inputs, before) =>
      new TagResourceCommand({ Resource: before.arn, Tags: inputs.tags }),
    output: (_response: unknown, inputs, before) => ({
      function_name: inputs.function_name,
      arn: before.arn,
      tags: { ...before.tags, ...inputs.tags },
      previous_values: Object.fromEntries(
        Object.keys(inputs.tags).map((key) => [key, before.tags[key] ?? null]),
      ),
    }),
  },
});
