import { UntagResourceCommand } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { requirePreviousStateInput } from "../change.js";
import { defineOperationAction } from "../defineAction.js";
import { onFunction, unqualifiedFunctionNameInput } from "../fields.js";
import { readTags, tagChange, tagChangeOutput, tagMap } from "../tag_function/tag_function.js";

/** untag_function: remove tags from a function, e.g. when a quarantine is lifted. */
export const untagFunctionAction = defineOperationAction({
  name: "untag_function",
  title: "Untag Function",
  description:
    "Remove tags from a function by key; the tags before are returned, with the tag_function step that restores them.",
  inputs: z.strictObject({
    function_name: unqualifiedFunctionNameInput("tags are set on the whole function"),
    tag_keys: z
      .array(
        z.string({ error: "must be a list of tag keys" }).min(1, "tag keys must not be empty"),
        {
          error: "must be a list of tag keys",
        },
      )
      .min(1, "must name at least one tag key")
      .meta({ title: "Tag Keys", description: "The keys to remove.", examples: [["quarantine"]] }),
    require_previous_state: requirePreviousStateInput,
  }),
  output: tagChangeOutput,
  before: readTags,
  call: {
    operation: "UntagResource",
    ...onFunction,
    retry: "idempotent",
    command: (inputs, before) =>
      new UntagResourceCommand({
        Resource: before?.arn ?? inputs.function_name,
        TagKeys: inputs.tag_keys,
      }),
    output: (_response: unknown, inputs, before) =>
      tagChange(inputs.function_name, before, (tags) =>
        tagMap(Object.entries(tags).filter(([key]) => !inputs.tag_keys.includes(key))),
      ),
  },
});
