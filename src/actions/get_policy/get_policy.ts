import { GetPolicyCommand, type GetPolicyCommandOutput } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { defineOperationAction } from "../defineAction.js";
import { functionNameInput, onFunction, qualifierInput, qualifierOf } from "../fields.js";
import { parsePolicy, policyStatementSchema } from "../policyStatements.js";

/**
 * Lambda answers GetPolicy on a function without a policy with ResourceNotFoundException
 * "The resource you requested does not exist."; a missing function says "Function not found".
 */
export function isMissingFunction(awsMessage: string): boolean {
  return /function not found/i.test(awsMessage);
}

/** The output of get_policy. */
export const getPolicyOutput = z.object({
  function_name: z.string(),
  qualifier: z.string().nullable(),
  has_policy: z
    .boolean()
    .meta({ description: "false when the function has no resource-based policy." }),
  revision_id: z.string().nullable().meta({
    description: "Pass to add_permission or remove_permission to change exactly this revision.",
  }),
  statements: z.array(policyStatementSchema),
  policy: z.json().nullable().meta({ description: "The whole policy document, parsed." }),
});

/** get_policy: a function's resource-based policy, one entry per statement. */
export const getPolicyAction = defineOperationAction({
  name: "get_policy",
  title: "Get Policy",
  description:
    "Return a function's resource-based policy, parsed, with one entry per statement (sid, effect, principal, action, conditions). A function without a policy gives no statements.",
  inputs: z.strictObject({ function_name: functionNameInput, qualifier: qualifierInput }),
  output: getPolicyOutput,
  call: {
    operation: "GetPolicy",
    ...onFunction,
    retry: "idempotent",
    command: (inputs) =>
      new GetPolicyCommand({ FunctionName: inputs.function_name, ...qualifierOf(inputs) }),
    output: (response: GetPolicyCommandOutput, inputs) => {
      const { document, statements } = parsePolicy(response.Policy);
      return {
        function_name: inputs.function_name,
        qualifier: inputs.qualifier ?? null,
        has_policy: true,
        revision_id: response.RevisionId ?? null,
        statements,
        policy: document,
      };
    },
    absent: (inputs, awsMessage) =>
      isMissingFunction(awsMessage)
        ? undefined
        : {
            function_name: inputs.function_name,
            qualifier: inputs.qualifier ?? null,
            has_policy: false,
            revision_id: null,
            statements: [],
            policy: null,
          },
  },
});
