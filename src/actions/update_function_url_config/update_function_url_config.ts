import {
  type Cors,
  GetFunctionUrlConfigCommand,
  type GetFunctionUrlConfigCommandOutput,
  UpdateFunctionUrlConfigCommand,
  type UpdateFunctionUrlConfigCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { type BeforeStep, defineOperationAction } from "../defineAction.js";
import { functionNameInput, onFunction, qualifierInput, qualifierOf } from "../fields.js";
import {
  describeUrl,
  functionUrlSchema,
  NO_URL,
} from "../get_function_url_config/get_function_url_config.js";
import { isMissingFunction } from "../get_policy/get_policy.js";

/** The read of a function's URL before it changes. */
export const readUrl: BeforeStep<
  { function_name: string; qualifier?: string | undefined },
  GetFunctionUrlConfigCommandOutput,
  z.output<typeof functionUrlSchema>
> = {
  operation: "GetFunctionUrlConfig",
  ...onFunction,
  retry: "idempotent",
  command: (inputs) =>
    new GetFunctionUrlConfigCommand({ FunctionName: inputs.function_name, ...qualifierOf(inputs) }),
  read: (response) => describeUrl(response),
  absent: (_inputs, awsMessage) => (isMissingFunction(awsMessage) ? undefined : NO_URL),
};

const corsInput = z
  .strictObject(
    {
      allow_credentials: z.boolean({ error: "must be true or false" }).optional(),
      allow_headers: z.array(z.string({ error: "must be a list of strings" })).optional(),
      allow_methods: z.array(z.string({ error: "must be a list of strings" })).optional(),
      allow_origins: z.array(z.string({ error: "must be a list of strings" })).optional(),
      expose_headers: z.array(z.string({ error: "must be a list of strings" })).optional(),
      max_age: z
        .number({ error: "must be a number of seconds" })
        .int()
        .min(0)
        .max(86400)
        .optional(),
    },
    { error: "must be an object of CORS settings" },
  )
  .optional()
  .meta({
    title: "CORS",
    description: "Cross-origin settings; leave empty to keep the current ones.",
    examples: [{ allow_origins: ["https://soc.example.com"], allow_methods: ["POST"] }],
  });

function toCors(cors: z.output<typeof corsInput>): Cors | undefined {
  if (cors === undefined) {
    return undefined;
  }
  return {
    ...(cors.allow_credentials === undefined ? {} : { AllowCredentials: cors.allow_credentials }),
    ...(cors.allow_headers === undefined ? {} : { AllowHeaders: cors.allow_headers }),
    ...(cors.allow_methods === undefined ? {} : { AllowMethods: cors.allow_methods }),
    ...(cors.allow_origins === undefined ? {} : { AllowOrigins: cors.allow_origins }),
    ...(cors.expose_headers === undefined ? {} : { ExposeHeaders: cors.expose_headers }),
    ...(cors.max_age === undefined ? {} : { MaxAge: cors.max_age }),
  };
}

/** update_function_url_config: change who may call a function's URL (e.g. NONE → AWS_IAM). */
export const updateFunctionUrlConfigAction = defineOperationAction({
  name: "update_function_url_config",
  title: "Update Function URL Config",
  description:
    "Change a function URL's auth type (AWS_IAM closes a public URL to unsigned callers) and optionally its CORS settings; the previous configuration is returned.",
  inputs: z.strictObject({
    function_name: functionNameInput,
    auth_type: z.enum(["NONE", "AWS_IAM"], { error: "must be NONE or AWS_IAM" }).meta({
      title: "Auth Type",
      description: "AWS_IAM: only signed, authorized callers; NONE: anyone on the internet.",
      examples: ["AWS_IAM"],
    }),
    cors: corsInput,
    qualifier: qualifierInput,
  }),
  output: functionUrlSchema.extend({
    function_name: z.string(),
    previous: functionUrlSchema.meta({ description: "The URL's configuration before the change." }),
  }),
  before: readUrl,
  call: {
    operation: "UpdateFunctionUrlConfig",
    ...onFunction,
    retry: "idempotent",
    hints: {
      ResourceNotFoundException:
        "The function has no URL to update (see get_function_url_config), or function_name or qualifier is wrong.",
    },
    command: (inputs) => {
      const cors = toCors(inputs.cors);
      return new UpdateFunctionUrlConfigCommand({
        FunctionName: inputs.function_name,
        AuthType: inputs.auth_type,
        ...(cors === undefined ? {} : { Cors: cors }),
        ...qualifierOf(inputs),
      });
    },
    output: (response: UpdateFunctionUrlConfigCommandOutput, inputs, previous) => ({
      function_name: inputs.function_name,
      ...describeUrl(response),
      previous,
    }),
  },
});
