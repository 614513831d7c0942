import {
  type FunctionConfiguration,
  ListVersionsByFunctionCommand,
  type ListVersionsByFunctionCommandOutput,
  PublishVersionCommand,
  type PublishVersionCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import type { AwsCall } from "../../aws/call.js";
import type { Executor } from "../../aws/executor.js";
import { field, functionNameOutput } from "../../outputFields.js";
import { changeOutputs, requirePreviousStateInput, undoStep } from "../change.js";
import { defineCustomAction, stateFieldsOf, unlessReadDenied } from "../defineAction.js";
import { definedMembers, functionNameInput, onFunction, revisionIdInput } from "../fields.js";
import { describeSettings, functionSettingsSchema } from "../functionUpdate.js";
import { sendChange } from "../lostChange.js";
import { pageMembers } from "../pagination.js";

/** The inputs of publish_version. */
export const publishVersionInputs = z.strictObject({
  function_name: functionNameInput,
  code_sha256: z
    .string({ error: "must be a string" })
    .regex(/^[A-Za-z0-9+/]{43}=$/, "must be a base64 SHA-256 as Lambda reports it (44 characters)")
    .optional()
    .meta({
      title: "Code SHA-256",
      description:
        "Only publish if $LATEST's package still has this hash (get_function's code_sha256): the version then holds exactly the code that was assessed.",
    }),
  revision_id: revisionIdInput("publish", "the function", "get_function"),
  description: z
    .string({ error: "must be a string" })
    .max(256, "must be at most 256 characters")
    .optional()
    .meta({
      title: "Description",
      description: "The version's description, e.g. the case number.",
    }),
  require_previous_state: requirePreviousStateInput,
});

type Inputs = z.output<typeof publishVersionInputs>;

/** The output of publish_version. */
export const publishVersionOutput = z.object({
  function_name: functionNameOutput,
  function: functionSettingsSchema.meta({
    description:
      "The published version: its number is function.version, its code and configuration can no longer change.",
  }),
  ...changeOutputs(
    z
      .object({
        function_name: functionNameOutput,
        published_versions: field.texts("The version numbers published before this run."),
      })
      .nullable()
      .meta({ description: "The versions before; null when they could not be read." }),

    "when previous is unknown (the version may have existed before: deleting it could destroy evidence)",
  ),
});

const listVersions: AwsCall<Inputs> = {
  operation: "ListVersionsByFunction",
  ...onFunction,
  retry: "idempotent",
};

const publishCall: AwsCall<Inputs> = {
  operation: "PublishVersion",
  ...onFunction,
  // A new version is not deduplicated by a retry that follows one that took effect.
  retry: "at-most-once",
  hints: {
    InvalidParameterValueException:
      "Check code_sha256: $LATEST's package has changed since it was read (see get_function's code_sha256).",
    PreconditionFailedException:
      "The function changed since revision_id was read: run get_function again and use its revision_id.",
    ResourceConflictException:
      "An update of the function is still in progress: wait until get_function shows last_update_status Successful, then publish.",
  },
};

/** The version numbers already published, every page of them. */
async function publishedVersions(inputs: Inputs, executor: Executor): Promise<string[]> {
  const page = await executor.paginate<
    ListVersionsByFunctionCommandOutput,
    FunctionConfiguration,
    Inputs
  >(
    listVersions,
    {
      command: (request) =>
        new ListVersionsByFunctionCommand({
          FunctionName: inputs.function_name,
          ...pageMembers(request),
        }),
      items: (response) => response.Versions ?? [],
      nextMarker: (response) => response.NextMarker,
      maxItems: 10_000,
    },
    inputs,
  );
  return page.items
    .map((version) => version.Version ?? "")
    .filter((version) => version !== "$LATEST");
}

/**
 * publish_version: freeze $LATEST as a version whose code and configuration can no
 * longer change, e.g. as evidence before the function is cleaned up.
 */
export const publishVersionAction = defineCustomAction({
  name: "publish_version",
  title: "Publish Version",
  description:
    "Publish $LATEST as a new version: its code and configuration are frozen (evidence before a clean-up, or a known-good version to roll an alias back to). code_sha256 and revision_id make it publish exactly what was assessed; when $LATEST has not changed since the latest version, that version is returned and nothing new is published.",
  inputs: publishVersionInputs,
  output: publishVersionOutput,
  iamActions: ["lambda:ListVersionsByFunction", "lambda:PublishVersion"],
  why: "The versions before are read over every page of ListVersionsByFunction, which one declared read cannot do: PublishVersion returns an existing version when nothing changed, and only that list tells whether this run published it.",
  run: async (inputs, executor) => {
    const before = await unlessReadDenied(() => publishedVersions(inputs, executor), inputs);
    const previous = before.known
      ? { function_name: inputs.function_name, published_versions: before.state }
      : null;
    const published = await sendChange<PublishVersionCommandOutput, Inputs>(
      executor,
      publishCall,
      new PublishVersionCommand({
        FunctionName: inputs.function_name,
        ...definedMembers(inputs, {
          code_sha256: "CodeSha256",
          revision_id: "RevisionId",
          description: "Description",
        }),
      }),
      inputs,
      { target: `function ${inputs.function_name}`, checkWith: "list_versions_by_function" },
      previous,
    );
    const version = published.Version ?? "";
    const changed = !before.known || !before.state.includes(version);
    return {
      function_name: inputs.function_name,
      function: describeSettings(published),
      changed,
      previous,
      undo:
        changed && before.known
          ? [
              undoStep("delete_function", {
                function_name: inputs.function_name,
                qualifier: version,
                confirm_function_name: inputs.function_name,
              }),
            ]
          : [],
      ...stateFieldsOf(before),
    };
  },
});
