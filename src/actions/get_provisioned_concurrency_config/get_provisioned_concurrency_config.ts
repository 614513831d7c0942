import {
  GetProvisionedConcurrencyConfigCommand,
  type GetProvisionedConcurrencyConfigCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { field, functionNameOutput } from "../../outputFields.js";
import { type BeforeStep, defineOperationAction } from "../defineAction.js";
import { functionNameInput, isoTimestamp, onFunction, timestampOutput } from "../fields.js";

/** The qualifier provisioned concurrency lives on: a published version or an alias. */
export const provisionedQualifierInput = z
  .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
  .regex(/^[a-zA-Z0-9$_-]{1,128}$/, "must be a version number or an alias name")
  .refine((qualifier) => qualifier !== "$LATEST", {
    message:
      "must be a version number or an alias name (provisioned concurrency is never on $LATEST)",
  })
  .meta({
    title: "Qualifier",
    description: "The version or alias the provisioned concurrency is on.",
    examples: ["live"],
  });

/** Provisioned concurrency as the actions print it. */
export const provisionedConcurrencySchema = z.object({
  requested_provisioned_concurrent_executions: field.nullableNumber(
    "Pre-warmed environments asked for.",
  ),
  allocated_provisioned_concurrent_executions: field.nullableNumber(
    "Pre-warmed environments ready now.",
  ),
  status: field.nullableText("IN_PROGRESS, READY or FAILED."),
  last_modified: timestampOutput("When the provisioned concurrency was last changed."),
});

type ProvisionedConcurrency = z.output<typeof provisionedConcurrencySchema>;

function describeProvisioned(
  response: GetProvisionedConcurrencyConfigCommandOutput,
): ProvisionedConcurrency {
  return {
    requested_provisioned_concurrent_executions:
      response.RequestedProvisionedConcurrentExecutions ?? null,
    allocated_provisioned_concurrent_executions:
      response.AllocatedProvisionedConcurrentExecutions ?? null,
    status: response.Status ?? null,
    last_modified: isoTimestamp(response.LastModified),
  };
}

/** The read of one qualifier's provisioned concurrency: the get's call, the delete's before. */
export const readProvisionedConcurrency: BeforeStep<
  { function_name: string; qualifier: string },
  GetProvisionedConcurrencyConfigCommandOutput,
  ProvisionedConcurrency | null
> = {
  operation: "GetProvisionedConcurrencyConfig",
  ...onFunction,
  retry: "idempotent",
  command: (inputs) =>
    new GetProvisionedConcurrencyConfigCommand({
      FunctionName: inputs.function_name,
      Qualifier: inputs.qualifier,
    }),
  read: describeProvisioned,
  absent: (_inputs, awsMessage) => (isNoConfigMessage(awsMessage) ? null : undefined),
  previous: (state) => ({ provisioned_concurrency: state }),
  checkWith: "get_provisioned_concurrency_config",
};

/** Whether Lambda's not-found message is "no provisioned concurrency here", not a missing function. */
function isNoConfigMessage(awsMessage: string): boolean {
  return /provisioned concurrency config/i.test(awsMessage);
}

/** get_provisioned_concurrency_config: the pre-warmed environments of a version or alias. */
export const getProvisionedConcurrencyConfigAction = defineOperationAction({
  name: "get_provisioned_concurrency_config",
  title: "Get Provisioned Concurrency Config",
  description:
    "Return the provisioned concurrency (pre-warmed execution environments) of a version or alias, or null when it has none. Reserved concurrency 0 does not release these environments.",
  inputs: z.strictObject({
    function_name: functionNameInput,
    qualifier: provisionedQualifierInput,
  }),
  output: z.object({
    function_name: functionNameOutput,
    qualifier: field.text("The version or alias, as given."),
    provisioned_concurrency: provisionedConcurrencySchema
      .nullable()
      .meta({ description: "Its provisioned concurrency; null when it has none." }),
  }),
  call: {
    operation: "GetProvisionedConcurrencyConfig",
    ...onFunction,
    retry: "idempotent",
    command: readProvisionedConcurrency.command,
    absent: (inputs, awsMessage) =>
      isNoConfigMessage(awsMessage)
        ? {
            function_name: inputs.function_name,
            qualifier: inputs.qualifier,
            provisioned_concurrency: null,
          }
        : undefined,
    output: (response: GetProvisionedConcurrencyConfigCommandOutput, inputs) => ({
      function_name: inputs.function_name,
      qualifier: inputs.qualifier,
      provisioned_concurrency: describeProvisioned(response),
    }),
  },
});
