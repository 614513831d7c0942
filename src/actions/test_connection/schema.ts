import { z } from "zod";
import { FUNCTION_NAME_RULE, parseFunctionName } from "../../aws/functionName.js";

/** The inputs of test_connection; the manifest `actions/test_connection.yaml` is generated from it. */
export const testConnectionInputs = z.strictObject({
  function_name: z
    .string()
    .refine((v) => parseFunctionName(v) !== undefined, { message: FUNCTION_NAME_RULE })
    .optional()
    .meta({
      title: "Function Name",
      description:
        "Optional: a function to check lambda:InvokeFunction on, with a DryRun invocation that does not run it.",
      examples: ["enrich-indicator:live"],
    }),
});

/** Validated inputs of test_connection. */
export type TestConnectionInputs = z.output<typeof testConnectionInputs>;

/** The output of test_connection. */
export const testConnectionOutput = z.object({
  account: z.string().meta({ description: "The AWS account the connector acts in." }),
  arn: z.string().meta({
    description:
      "Who AWS sees: the assumed-role session when the asset names a role, else the IAM user.",
  }),
  user_id: z.string().meta({ description: "The unique ID of that identity." }),
  region: z.string().meta({ description: "The region the functions are called in." }),
  role_assumed: z.boolean().meta({ description: "Whether the asset's role was assumed." }),
  invoke_permitted: z.boolean().nullable().meta({
    description:
      "true when the DryRun on function_name passed; null when no function_name was given. A refusal fails the action with the reason.",
  }),
});

/** The output of test_connection. */
export type TestConnectionOutput = z.input<typeof testConnectionOutput>;
