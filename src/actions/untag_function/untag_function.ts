import { UntagResourceCommand } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { defineOperationAction } from "../defineAction.js";
import { functionNameInput, onFunction } from "../fields.js";
import { readTags, tagChangeOutput } from "../tag_function/tag_function.js";

/** untag_function: remove tags from a function, e.g. when a quarantine is lifted. */
export const untagFunctionAction = defineOperationAction({
  name: "untag_function",
  title: "Untag Function",
  description:
    "Remove tags from a function by key; the removed values are returned, to restore them with tag_function.",
  inputs: z.strictObject({
    function_name: functionNameInput,
    tag_keys: z
      .array(
        z.string({ error: "must be a list of tag keys" }).min(1, "tag keys must not be empty"),
        {
          error: "must be a list of tag keys",
        },
      )
      .min(1, "must name at least one tag key")
      .meta({ title: "Tag Keys", description: "The keys to remove.", examples: [["quarantine"]] }),
  }),
  output: tagChangeOutput,
  before: readTags,
  call: {
    operation: "UntagResource",
    ...onFunction,
    retry: "idempotent",
    command: (inputs, before) =>
      new UntagResourceCommand({ Resource: before.arn, TagKeys: inputs.tag_keys }),
    output: (_response: unknown, inputs, before) => ({
      function_name: inputs.function_name,
      arn: before.arn,
      tags: Object.fromEntries(
        Object.entries(before.tags).filter(([key]) => !inputs.tag_keys.includes(key)),
      ),
      previous_values: Object.fromEntries(
        inputs.tag_keys.map((key) => [key, before.tags[key] ?? null]),
      ),
    }),
  },
});
