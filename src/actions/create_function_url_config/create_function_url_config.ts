import {
  CreateFunctionUrlConfigCommand,
  type CreateFunctionUrlConfigCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { functionNameOutput } from "../../outputFields.js";
import { changeOutputs, requirePreviousStateInput, undoStep } from "../change.js";
import { defineOperationAction } from "../defineAction.js";
import { functionNameInput, onFunction, qualifierInput } from "../fields.js";
import {
  describeUrl,
  functionUrlSchema,
} from "../get_function_url_config/get_function_url_config.js";
import {
  corsSettings,
  previousUrlSchema,
  readUrl,
  toCors,
  urlSettingsOf,
} from "../update_function_url_config/update_function_url_config.js";

/**
 * create_function_url_config: give a function a URL, e.g. re-create one that
 * delete_function_url_config removed (from its undo), with its auth type and CORS.
 */
export const createFunctionUrlConfigAction = defineOperationAction({
  name: "create_function_url_config",
  title: "Create Function URL Config",
  description:
    "Create a function's URL with its auth type, CORS settings and invoke mode (e.g. restore a URL delete_function_url_config deleted, from its undo; the new URL gets a new address). The same URL settings already in place are a success that changed nothing.",
  inputs: z.strictObject({
    function_name: functionNameInput,
    auth_type: z
      .enum(["NONE", "AWS_IAM"], {
        error: (issue) => (issue.input === undefined ? "is required" : "must be NONE or AWS_IAM"),
      })
      .meta({
        title: "Auth Type",
        description: "AWS_IAM: only signed, authorized callers; NONE: anyone on the internet.",
        examples: ["AWS_IAM"],
      }),
    cors: corsSettings.optional().meta({
      title: "CORS",
      description: "Cross-origin settings; none when not given.",
      examples: [{ allow_origins: ["https://soc.example.com"], allow_methods: ["POST"] }],
    }),
    invoke_mode: z
      .enum(["BUFFERED", "RESPONSE_STREAM"], { error: "must be BUFFERED or RESPONSE_STREAM" })
      .optional()
      .meta({
        title: "Invoke Mode",
        description: "BUFFERED (the default) or RESPONSE_STREAM.",
      }),
    qualifier: qualifierInput,
    require_previous_state: requirePreviousStateInput,
  }),
  output: functionUrlSchema.extend({
    function_name: functionNameOutput,
    ...changeOutputs(previousUrlSchema, ""),
  }),
  before: readUrl,
  call: {
    operation: "CreateFunctionUrlConfig",
    ...onFunction,
    // Sent twice, a creation that took effect the first time fails the second as a conflict.
    retry: "at-most-once",
    hints: {
      ResourceConflictException:
        "The function (or this qualifier) already has a URL with other settings: change it with update_function_url_config, or delete it first.",
    },
    command: (inputs) =>
      new CreateFunctionUrlConfigCommand({
        ...urlSettingsOf(inputs),
        ...(inputs.invoke_mode === undefined ? {} : { InvokeMode: inputs.invoke_mode }),
      }),
    unchanged: (inputs, previous) => {
      const asked = describeUrl({ Cors: toCors(inputs.cors) });
      const same =
        previous.configured &&
        previous.auth_type === inputs.auth_type &&
        JSON.stringify(previous.cors) === JSON.stringify(asked.cors) &&
        (inputs.invoke_mode === undefined || previous.invoke_mode === inputs.invoke_mode);
      return same
        ? { function_name: inputs.function_name, ...previous, changed: false, previous, undo: [] }
        : undefined;
    },
    output: (response: CreateFunctionUrlConfigCommandOutput, inputs, previous) => ({
      function_name: inputs.function_name,
      ...describeUrl(response),
      changed: true,
      previous: previous ?? null,
      undo: [
        undoStep("delete_function_url_config", {
          function_name: inputs.function_name,
          qualifier: inputs.qualifier,
        }),
      ],
    }),
  },
});
