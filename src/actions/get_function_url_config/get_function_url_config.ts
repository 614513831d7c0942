import {
  GetFunctionUrlConfigCommand,
  type GetFunctionUrlConfigCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { defineOperationAction } from "../defineAction.js";
import { functionNameInput, onFunction, qualifierInput, qualifierOf } from "../fields.js";
import { isMissingFunction } from "../get_policy/get_policy.js";

/** A function URL's configuration as the URL actions print it. */
export const functionUrlSchema = z.object({
  configured: z.boolean().meta({ description: "false when the function has no URL." }),
  function_url: z.string().nullable(),
  auth_type: z
    .string()
    .nullable()
    .meta({ description: "NONE (anyone on the internet may call it) or AWS_IAM." }),
  cors: z.json().nullable().meta({ description: "The CORS settings, as AWS returns them." }),
  invoke_mode: z.string().nullable(),
  last_modified: z.string().nullable(),
});

/** A URL configuration from any of the URL calls. */
export function describeUrl(
  config: Partial<
    Pick<
      GetFunctionUrlConfigCommandOutput,
      "FunctionUrl" | "AuthType" | "Cors" | "InvokeMode" | "LastModifiedTime"
    >
  >,
): z.output<typeof functionUrlSchema> {
  return {
    configured: true,
    function_url: config.FunctionUrl ?? null,
    auth_type: config.AuthType ?? null,
    cors: (config.Cors ?? null) as z.output<typeof functionUrlSchema>["cors"],
    invoke_mode: config.InvokeMode ?? null,
    last_modified: config.LastModifiedTime ?? null,
  };
}

/** What the URL actions print for a function that has no URL. */
export const NO_URL: z.output<typeof functionUrlSchema> = {
  configured: false,
  function_url: null,
  auth_type: null,
  cors: null,
  invoke_mode: null,
  last_modified: null,
};

/** get_function_url_config: a function's URL and who may call it. */
export const getFunctionUrlConfigAction = defineOperationAction({
  name: "get_function_url_config",
  title: "Get Function URL Config",
  description:
    "Return a function's URL, its auth type (NONE means anyone on the internet may call it) and CORS settings; a function without a URL is a success that says so.",
  inputs: z.strictObject({ function_name: functionNameInput, qualifier: qualifierInput }),
  output: functionUrlSchema.extend({ function_name: z.string() }),
  call: {
    operation: "GetFunctionUrlConfig",
    ...onFunction,
    retry: "idempotent",
    command: (inputs) =>
      new GetFunctionUrlConfigCommand({
        FunctionName: inputs.function_name,
        ...qualifierOf(inputs),
      }),
    output: (response: GetFunctionUrlConfigCommandOutput, inputs) => ({
      function_name: inputs.function_name,
      ...describeUrl(response),
    }),
    absent: (inputs, awsMessage) =>
      isMissingFunction(awsMessage)
        ? undefined
        : { function_name: inputs.function_name, ...NO_URL },
  },
});
