import { type GetFunctionCommandOutput, TagResourceCommand } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { field, functionNameOutput } from "../../outputFields.js";
import {
  changeOutputs,
  type MappedOutput,
  requirePreviousStateInput,
  type UndoStep,
  undoStep,
  unknownPrevious,
} from "../change.js";
import { type BeforeStep, defineOperationAction } from "../defineAction.js";
import { onFunction, unqualifiedFunctionNameInput } from "../fields.js";
import { getFunction } from "../reads.js";

/** What the tag actions read first: the function's ARN (tags are set on it) and its tags. */
export interface TagState {
  arn: string;
  tags: Record<string, string>;
}

/** The read of a function's ARN and tags before they change. */
export const readTags: BeforeStep<{ function_name: string }, GetFunctionCommandOutput, TagState> = {
  ...getFunction,
  read: (response, inputs) => ({
    arn: response.Configuration?.FunctionArn ?? inputs.function_name,
    tags: tagMap(Object.entries(response.Tags ?? {})),
  }),
  previous: (state) => ({ tags: state.tags }),
  checkWith: "get_function",
  // Tags are set on the function's ARN: without the read, only an ARN input gives it.
  needed: (inputs) => !inputs.function_name.startsWith("arn:"),
};

/**
 * Tags as a map without a prototype: a tag named `toString` or `constructor` is a tag
 * like any other, never a method of Object.
 */
export function tagMap(entries: Iterable<readonly [string, string]>): Record<string, string> {
  const map: Record<string, string> = Object.create(null);
  for (const [key, value] of entries) {
    map[key] = value;
  }
  return map;
}

/**
 * What both tag actions print: the tags after, the tags before, and the steps that put
 * back every key the change altered (untag the keys it added, re-tag the values it
 * overwrote or removed).
 */
export function tagChange(
  functionName: string,
  before: TagState | undefined,
  after: (tags: Record<string, string>) => Record<string, string>,
): MappedOutput<typeof tagChangeOutput> {
  if (before === undefined) {
    return {
      function_name: functionName,
      arn: functionName,
      tags: null,
      ...unknownPrevious(),
    };
  }
  return knownTagChange(functionName, before, after(before.tags));
}

function knownTagChange(
  functionName: string,
  before: TagState,
  after: Record<string, string>,
): MappedOutput<typeof tagChangeOutput> {
  const touched = new Set([...Object.keys(before.tags), ...Object.keys(after)]);
  const added: string[] = [];
  const restored: [string, string][] = [];
  for (const key of touched) {
    const was = Object.hasOwn(before.tags, key) ? before.tags[key] : undefined;
    const now = Object.hasOwn(after, key) ? after[key] : undefined;
    if (was === now) {
      continue;
    }
    if (was === undefined) {
      added.push(key);
    } else {
      restored.push([key, was]);
    }
  }
  const undo: UndoStep[] = [];
  if (added.length > 0) {
    undo.push(undoStep("untag_function", { function_name: functionName, tag_keys: added }));
  }
  if (restored.length > 0) {
    undo.push(undoStep("tag_function", { function_name: functionName, tags: tagMap(restored) }));
  }
  return {
    function_name: functionName,
    arn: before.arn,
    tags: after,
    changed: undo.length > 0,
    previous: { tags: before.tags },
    undo,
  };
}

/** The output of both tag actions. */
export const tagChangeOutput = z.object({
  function_name: functionNameOutput,
  arn: field.text("The function's ARN, which the tags are set on."),
  tags: z
    .record(z.string(), z.string())
    .nullable()
    .meta({ description: "The function's tags after the change; null when previous is unknown." }),
  ...changeOutputs(
    z
      .object({
        tags: z
          .record(z.string(), z.string())
          .meta({ description: "The function's tags before the change." }),
      })
      .nullable()
      .meta({ description: "The state before the change; null when it could not be read." }),
    "when previous is unknown",
  ),
});

/** tag_function: set tags on a function, e.g. to mark it quarantined. */
export const tagFunctionAction = defineOperationAction({
  name: "tag_function",
  title: "Tag Function",
  description:
    "Add or overwrite tags on a function (e.g. quarantine=true, case=SW-1234); the tags before are returned, with the steps that restore them.",
  inputs: z.strictObject({
    function_name: unqualifiedFunctionNameInput("tags are set on the whole function"),
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
    require_previous_state: requirePreviousStateInput,
  }),
  output: tagChangeOutput,
  before: readTags,
  call: {
    operation: "TagResource",
    ...onFunction,
    retry: "idempotent",
    command: (inputs, before) =>
      new TagResourceCommand({ Resource: before?.arn ?? inputs.function_name, Tags: inputs.tags }),
    output: (_response: unknown, inputs, before) =>
      tagChange(inputs.function_name, before, (tags) =>
        tagMap([...Object.entries(tags), ...Object.entries(inputs.tags)]),
      ),
  },
});
