import type { GetPolicyCommandOutput } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { field, functionNameOutput, qualifierOutput } from "../../outputFields.js";
import { defineOperationAction } from "../defineAction.js";
import { qualifiedFunctionInputs } from "../fields.js";
import { parsePolicy, policyStatementSchema } from "../policyStatements.js";
import { getPolicy, unlessFunctionMissing } from "../reads.js";

/** The output of get_policy. */
export const getPolicyOutput = z.object({
  function_name: functionNameOutput,
  qualifier: qualifierOutput,
  has_policy: field.flag("false when the function has no resource-based policy."),
  revision_id: field.nullableText(
    "Pass to add_permission or remove_permission to change exactly this revision.",
  ),
  statements: z
    .array(policyStatementSchema)
    .meta({ description: "The policy's statements, in its order; [] without a policy." }),
  policy: z.json().nullable().meta({ description: "The whole policy document, parsed." }),
});

/** get_policy: a function's resource-based policy, one entry per statement. */
export const getPolicyAction = defineOperationAction({
  name: "get_policy",
  title: "Get Policy",
  description:
    "Return a function's resource-based policy, parsed, with one entry per statement (sid, effect, principal, action, conditions). A function without a policy gives no statements.",
  inputs: qualifiedFunctionInputs,
  output: getPolicyOutput,
  call: {
    ...getPolicy,
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
    absent: unlessFunctionMissing((inputs) => ({
      function_name: inputs.function_name,
      qualifier: inputs.qualifier ?? null,
      has_policy: false,
      revision_id: null,
      statements: [],
      policy: null,
    })),
  },
});
