import type { Cors, GetFunctionUrlConfigCommandOutput } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { field, functionNameOutput } from "../../outputFields.js";
import { defineOperationAction } from "../defineAction.js";
import {
  isoTimestamp,
  type JsonValue,
  qualifiedFunctionInputs,
  timestampOutput,
} from "../fields.js";
import { getFunctionUrlConfig, unlessFunctionMissing } from "../reads.js";

/** A URL's CORS settings, as the URL actions print them and take them (the `cors` input). */
export const corsOutputSchema = z.object({
  allow_credentials: z
    .boolean()
    .optional()
    .meta({ description: "Whether cookies and credentials are allowed." }),
  allow_headers: z
    .array(z.string())
    .optional()
    .meta({ description: "Request headers callers may send." }),
  allow_methods: z
    .array(z.string())
    .optional()
    .meta({ description: 'HTTP methods callers may use, e.g. POST; "*" for any.' }),
  allow_origins: z
    .array(z.string())
    .optional()
    .meta({ description: 'Origins that may call the URL; "*" for any.' }),
  expose_headers: z
    .array(z.string())
    .optional()
    .meta({ description: "Response headers callers may read." }),
  max_age: z
    .number()
    .int()
    .optional()
    .meta({ description: "How long browsers may cache the preflight answer, in seconds." }),
});

/** The snake_case names the outputs and inputs use, by the member of AWS's Cors block each is. */
export const CORS_MEMBERS = {
  allow_credentials: "AllowCredentials",
  allow_headers: "AllowHeaders",
  allow_methods: "AllowMethods",
  allow_origins: "AllowOrigins",
  expose_headers: "ExposeHeaders",
  max_age: "MaxAge",
} as const;

/**
 * A Cors block from AWS with snake_case names, only the members it sets; null when it
 * sets none (a Cors block without members is no CORS at all: both read the same).
 *
 * @example
 * ```ts
 * corsOf({ AllowOrigins: ["*"], MaxAge: 300 }); // { allow_origins: ["*"], max_age: 300 }
 * ```
 */
export function corsOf(cors: Cors | undefined): z.output<typeof corsOutputSchema> | null {
  const settings: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(CORS_MEMBERS)) {
    const value = cors?.[member as keyof Cors];
    if (value !== undefined) {
      settings[name] = value;
    }
  }
  return Object.keys(settings).length === 0
    ? null
    : (settings as z.output<typeof corsOutputSchema>);
}

/** A `cors` output as the `cors` input that sets it again: `{}` (no settings) for null. */
export function corsInputOf(
  cors: z.output<typeof corsOutputSchema> | null,
): Record<string, JsonValue> {
  return { ...cors } as Record<string, JsonValue>;
}

/** A function URL's configuration as the URL actions print it. */
export const functionUrlSchema = z.object({
  configured: field.flag("false when the function has no URL."),
  function_url: field.nullableText(
    "The URL's address, e.g. https://….lambda-url.us-east-1.on.aws/.",
  ),
  auth_type: field.nullableText("NONE (anyone on the internet may call it) or AWS_IAM."),
  cors: corsOutputSchema
    .nullable()
    .meta({ description: "The CORS settings it has, in the cors input's form; null when none." }),
  invoke_mode: field.nullableText("BUFFERED or RESPONSE_STREAM."),
  last_modified: timestampOutput("When the URL's configuration last changed."),
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
    cors: corsOf(config.Cors),
    invoke_mode: config.InvokeMode ?? null,
    last_modified: isoTimestamp(config.LastModifiedTime),
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
  inputs: qualifiedFunctionInputs,
  output: functionUrlSchema.extend({ function_name: functionNameOutput }),
  call: {
    ...getFunctionUrlConfig,
    output: (response: GetFunctionUrlConfigCommandOutput, inputs) => ({
      function_name: inputs.function_name,
      ...describeUrl(response),
    }),
    absent: unlessFunctionMissing((inputs) => ({ function_name: inputs.function_name, ...NO_URL })),
  },
});
