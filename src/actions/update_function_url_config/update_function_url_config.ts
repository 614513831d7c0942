import {
  type Cors,
  type FunctionUrlAuthType,
  type GetFunctionUrlConfigCommandOutput,
  UpdateFunctionUrlConfigCommand,
  type UpdateFunctionUrlConfigCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { functionNameOutput } from "../../outputFields.js";
import { changeOutputs, requirePreviousStateInput, type UndoStep, undoStep } from "../change.js";
import { type BeforeStep, defineOperationAction } from "../defineAction.js";
import {
  definedMembers,
  functionMembers,
  functionNameInput,
  onFunction,
  qualifierInput,
} from "../fields.js";
import {
  CORS_MEMBERS,
  corsInputOf,
  describeUrl,
  functionUrlSchema,
  NO_URL,
} from "../get_function_url_config/get_function_url_config.js";
import { getFunctionUrlConfig, unlessFunctionMissing } from "../reads.js";

/** The read of a function's URL before it changes. */
export const readUrl: BeforeStep<
  { function_name: string; qualifier?: string | undefined },
  GetFunctionUrlConfigCommandOutput,
  z.output<typeof functionUrlSchema>
> = {
  ...getFunctionUrlConfig,
  read: (response) => describeUrl(response),
  absent: unlessFunctionMissing(() => NO_URL),
  previous: (url) => url,
  checkWith: "get_function_url_config",
};

/** The `previous` output of the URL actions. */
export const previousUrlSchema = functionUrlSchema.nullable().meta({
  description:
    "The URL's configuration before the change (configured false: it had none); null when it could not be read.",
});

/** The CORS settings as the URL actions take them. */
export const corsSettings = z.strictObject(
  {
    allow_credentials: z.boolean({ error: "must be true or false" }).optional(),
    allow_headers: z.array(z.string({ error: "must be a list of strings" })).optional(),
    allow_methods: z.array(z.string({ error: "must be a list of strings" })).optional(),
    allow_origins: z.array(z.string({ error: "must be a list of strings" })).optional(),
    expose_headers: z.array(z.string({ error: "must be a list of strings" })).optional(),
    max_age: z.number({ error: "must be a number of seconds" }).int().min(0).max(86400).optional(),
  },
  { error: "must be an object of CORS settings" },
);

const corsInput = corsSettings.optional().meta({
  title: "CORS",
  description: "Cross-origin settings; leave empty to keep the current ones.",
  examples: [{ allow_origins: ["https://soc.example.com"], allow_methods: ["POST"] }],
});

/** The parts CreateFunctionUrlConfig and UpdateFunctionUrlConfig share, from their inputs. */
export function urlSettingsOf(inputs: {
  function_name: string;
  auth_type: FunctionUrlAuthType;
  cors?: z.output<typeof corsSettings> | undefined;
  qualifier?: string | undefined;
}): { FunctionName: string; AuthType: FunctionUrlAuthType; Cors?: Cors; Qualifier?: string } {
  const cors = toCors(inputs.cors);
  return {
    ...functionMembers(inputs),
    AuthType: inputs.auth_type,
    ...(cors === undefined ? {} : { Cors: cors }),
  };
}

/** CORS inputs as the SDK takes them. */
export function toCors(cors: z.output<typeof corsSettings> | undefined): Cors | undefined {
  if (cors === undefined) {
    return undefined;
  }
  return definedMembers(cors, CORS_MEMBERS);
}

type FunctionUrl = z.output<typeof functionUrlSchema>;

/** Whether a URL change altered anything a caller can tell apart (its address aside). */
export function urlChanged(previous: FunctionUrl, now: FunctionUrl): boolean {
  return (
    previous.configured !== now.configured ||
    previous.auth_type !== now.auth_type ||
    JSON.stringify(previous.cors) !== JSON.stringify(now.cors) ||
    previous.invoke_mode !== now.invoke_mode
  );
}

/** The update_function_url_config step that puts `previous` back on the function. */
function restoreUrlSettings(
  previous: FunctionUrl,
  inputs: { function_name: string; qualifier?: string | undefined },
): UndoStep {
  return undoStep("update_function_url_config", {
    function_name: inputs.function_name,
    auth_type: previous.auth_type,
    cors: corsInputOf(previous.cors),
    qualifier: inputs.qualifier,
  });
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
    require_previous_state: requirePreviousStateInput,
  }),
  output: functionUrlSchema.extend({
    function_name: functionNameOutput,
    ...changeOutputs(previousUrlSchema, "when previous is unknown"),
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
    command: (inputs) => new UpdateFunctionUrlConfigCommand(urlSettingsOf(inputs)),
    output: (response: UpdateFunctionUrlConfigCommandOutput, inputs, previous) => {
      const now = describeUrl(response);
      const changed = previous === undefined || urlChanged(previous, now);
      return {
        function_name: inputs.function_name,
        ...now,
        changed,
        previous: previous ?? null,
        undo: changed && previous !== undefined ? [restoreUrlSettings(previous, inputs)] : [],
      };
    },
  },
});
