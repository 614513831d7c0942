import { createHash } from "node:crypto";
import { UpdateFunctionCodeCommand } from "@aws-sdk/client-lambda";
import { z } from "zod";
import type { AwsCall } from "../../aws/call.js";
import type { Executor } from "../../aws/executor.js";
import { InvalidInputError } from "../../errors.js";
import { field, functionNameOutput } from "../../outputFields.js";
import { changeOutputs, requirePreviousStateInput } from "../change.js";
import {
  checkCodeSource,
  codeSourceInputs,
  type ResolvedCode,
  resolveCode,
} from "../codeSource.js";
import { defineCustomAction, stateFieldsOf } from "../defineAction.js";
import { flagInput, functionNameInput, onFunction, revisionIdInput } from "../fields.js";
import {
  applyUpdate,
  describeSettings,
  functionSettingsSchema,
  readSettingsBefore,
  unchangedOutcome,
  updateOutcomeFields,
  updateWaitInput,
} from "../functionUpdate.js";

/** The inputs of update_function_code. */
export const updateFunctionCodeInputs = z
  .strictObject({
    function_name: functionNameInput,
    ...codeSourceInputs,
    expected_sha256: z
      .string({ error: "must be a string" })
      .regex(
        /^([A-Za-z0-9+/]{43}=|[0-9a-fA-F]{64})$/,
        "must be a SHA-256: base64 as Lambda reports it (44 characters) or hex (64 characters)",
      )
      .optional()
      .meta({
        title: "Expected SHA-256",
        description:
          "The package's SHA-256 (base64 or hex): checked against the zip before anything is sent, so only the reviewed package is deployed. Zip sources only (S3 objects are not downloaded).",
      }),
    publish: flagInput("Publish", "Publish the new code as a version once deployed."),
    revision_id: revisionIdInput("deploy it", "the function", "get_function"),
    wait_seconds: updateWaitInput,
    require_previous_state: requirePreviousStateInput,
  })
  .superRefine((inputs, ctx) => {
    checkCodeSource(inputs, ctx);
    if (inputs.expected_sha256 !== undefined && inputs.s3_bucket !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["expected_sha256"],
        message:
          "is checked against a zip given as zip_file or zip_file_base64, before sending; an S3 object is not downloaded, so it cannot be checked",
      });
    }
  });

type Inputs = z.output<typeof updateFunctionCodeInputs>;

/** The output of update_function_code. */
export const updateFunctionCodeOutput = z.object({
  function_name: functionNameOutput,
  function: functionSettingsSchema.meta({
    description: "The function after the update ($LATEST, or the version published).",
  }),
  published_version: field.nullableText(
    "The version published with the code, when publish is true.",
  ),
  ...updateOutcomeFields,
  ...changeOutputs(
    functionSettingsSchema.nullable().meta({
      description:
        "The function before the update (previous.code_sha256 names the package it ran); null when it could not be read.",
    }),

    "always for the code itself: the package before cannot be sent again from here; publish_version before a redeploy keeps it as a version an alias can be pointed back to (update_alias)",
  ),
});

const updateCall: AwsCall<Inputs> = {
  operation: "UpdateFunctionCode",
  ...onFunction,
  retry: "idempotent",
  hints: {
    InvalidParameterValueException:
      "Check the package: a zip with the handler's file at its root, or s3_bucket and s3_key of an object in the function's region.",
    PreconditionFailedException:
      "The function changed since revision_id was read: run get_function again and use its revision_id.",
    ResourceConflictException:
      "An update of the function is still in progress: wait until get_function shows last_update_status Successful, then run it again.",
  },
};

/** The base64 SHA-256 of a zip, as Lambda reports CodeSha256. */
function sha256Of(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("base64");
}

/** A hex or base64 SHA-256, as base64. */
function asBase64(sha256: string): string {
  return sha256.length === 64 ? Buffer.from(sha256, "hex").toString("base64") : sha256;
}

/** Refuses a zip whose hash is not the one the inputs expect, before anything is sent. */
function checkExpected(inputs: Inputs, code: ResolvedCode): string | undefined {
  if (!("ZipFile" in code)) {
    return undefined;
  }
  const actual = sha256Of(code.ZipFile);
  if (inputs.expected_sha256 !== undefined && asBase64(inputs.expected_sha256) !== actual) {
    const field = inputs.zip_file === undefined ? "zip_file_base64" : "zip_file";
    throw new InvalidInputError(
      "invalid_input",
      `expected_sha256: does not match the SHA-256 of ${field} (${actual}); nothing was sent`,
      {
        field: "expected_sha256",
        hint: "Deploy only the package that was reviewed: check that the file is the one whose hash you expect.",
      },
    );
  }
  return actual;
}

/**
 * update_function_code: redeploy a function's code from a zip (a Turbine file or base64)
 * or S3, checked against its expected hash, and wait, bounded, for the update to finish.
 */
export const updateFunctionCodeAction = defineCustomAction({
  name: "update_function_code",
  title: "Update Function Code",
  description:
    "Redeploy a function's code from a zip (a Turbine file, base64 text, or an S3 object); expected_sha256 is checked before anything is sent. Optionally publish it as a version. Waits (bounded) until LastUpdateStatus is Successful, or reports Failed with AWS's reason; the code before is named by its hash.",
  inputs: updateFunctionCodeInputs,
  output: updateFunctionCodeOutput,
  iamActions: ["lambda:GetFunctionConfiguration", "lambda:UpdateFunctionCode"],
  why: "The package is fetched from Turbine's file API (or decoded) and its hash checked before the call, and LastUpdateStatus is polled afterwards until the update has finished.",
  run: updateFunctionCode,
});

async function updateFunctionCode(inputs: Inputs, executor: Executor) {
  const code = await resolveCode(inputs, executor);
  const sha256 = checkExpected(inputs, code);
  const before = await readSettingsBefore(inputs, executor);
  const previous = before.known ? describeSettings(before.state) : null;
  if (
    before.known &&
    !inputs.publish &&
    sha256 !== undefined &&
    before.state.CodeSha256 === sha256
  ) {
    return {
      function_name: inputs.function_name,
      function: describeSettings(before.state),
      published_version: null,
      ...unchangedOutcome(before.state),
      changed: false,
      previous,
      undo: [],
      ...stateFieldsOf(before),
    };
  }
  const { updated, current, fields } = await applyUpdate(
    executor,
    updateCall,
    new UpdateFunctionCodeCommand({
      FunctionName: inputs.function_name,
      ...code,
      Publish: inputs.publish,
      ...(inputs.revision_id === undefined ? {} : { RevisionId: inputs.revision_id }),
    }),
    inputs,
    inputs.wait_seconds,
    "update_function_code",
    previous,
  );
  return {
    function_name: inputs.function_name,
    function: describeSettings(current),
    published_version: inputs.publish ? (updated.Version ?? null) : null,
    ...fields,
    changed: true,
    previous,
    undo: [],
    ...stateFieldsOf(before),
  };
}
