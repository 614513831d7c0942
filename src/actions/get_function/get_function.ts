import type { GetFunctionCommandOutput } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { field, reservedConcurrencyOutput } from "../../outputFields.js";
import { defineOperationAction } from "../defineAction.js";
import { flagInput, functionTargetInputs } from "../fields.js";
import { functionSummarySchema, summarizeFunction } from "../functionConfiguration.js";
import { getFunction } from "../reads.js";

/** What replaces an environment variable's value unless the inputs ask for values. */
export const MASKED_VALUE = "***";

/** The inputs of get_function. */
export const getFunctionInputs = z.strictObject({
  ...functionTargetInputs,
  include_environment_values: flagInput(
    "Include Environment Values",
    "Return the environment variables' values. Off by default: outputs are kept in Turbine's records, and environment values are where secrets hide; names are always returned.",
  ),
  include_code_location: flagInput(
    "Include Code Location",
    "Return the presigned URL to download the deployment package (valid for 10 minutes).",
  ),
});

/** The output of get_function. */
export const getFunctionOutput = z.object({
  function: functionSummarySchema
    .extend({
      version: field.nullableText("$LATEST or the version asked for."),
      description: field.nullableText("The function's description."),
      package_type: field.nullableText("Zip or Image."),
      architectures: field.texts("x86_64 or arm64."),
      code_size: field.nullableNumber("Deployment package size in bytes."),
      code_sha256: field.nullableText("SHA-256 of the deployment package, base64."),
      state_reason: field.nullableText("Why the function is in its state."),
      last_update_status: field.nullableText("Successful, Failed or InProgress."),
      last_update_status_reason: field.nullableText(
        "Why the last update failed or is in progress.",
      ),
    })
    .meta({ description: "The function's configuration." }),
  execution_role: field.nullableText("The role the function runs as."),
  reserved_concurrent_executions: reservedConcurrencyOutput,
  tags: z.record(z.string(), z.string()).meta({ description: "The function's tags, key → value." }),
  layers: z
    .array(
      z.object({
        arn: field.text("The layer version's ARN."),
        code_size: field.nullableNumber("Its size in bytes."),
      }),
    )
    .meta({ description: "The layers the function uses, in order." }),
  vpc: z
    .object({
      vpc_id: field.nullableText("The VPC's id."),
      subnet_ids: field.texts("The subnets the function uses."),
      security_group_ids: field.texts("The security groups the function uses."),
    })
    .nullable()
    .meta({ description: "The VPC the function is attached to, or null." }),
  environment: z
    .object({
      names: field.texts("The environment variables' names."),
      variables: z.record(z.string(), z.string()).meta({
        description: `Name to value; each value is ${MASKED_VALUE} unless include_environment_values is true.`,
      }),
      values_masked: field.flag(`true when every value is ${MASKED_VALUE}.`),
    })
    .meta({ description: "The function's environment variables." }),
  code_location: field.nullableText(
    "Presigned download URL of the code, when include_code_location is true.",
  ),
});

/**
 * get_function: a function's configuration, state, reserved concurrency, tags, layers,
 * VPC and execution role, with environment values masked unless asked for.
 */
export const getFunctionAction = defineOperationAction({
  name: "get_function",
  title: "Get Function",
  description:
    "Describe a Lambda function: configuration, state and last update, reserved concurrency, tags, layers, VPC, execution role and environment variable names (values masked unless asked for).",
  inputs: getFunctionInputs,
  output: getFunctionOutput,
  call: {
    ...getFunction,
    output: (response: GetFunctionCommandOutput, inputs) => {
      const fn = response.Configuration ?? {};
      const variables = fn.Environment?.Variables ?? {};
      const names = Object.keys(variables).sort();
      const vpc = fn.VpcConfig;
      const attached = (vpc?.SubnetIds?.length ?? 0) > 0 || (vpc?.VpcId ?? "") !== "";
      return {
        function: {
          ...summarizeFunction(fn),
          version: fn.Version ?? null,
          description: fn.Description ?? null,
          package_type: fn.PackageType ?? null,
          architectures: fn.Architectures ?? [],
          code_size: fn.CodeSize ?? null,
          code_sha256: fn.CodeSha256 ?? null,
          state_reason: fn.StateReason ?? null,
          last_update_status: fn.LastUpdateStatus ?? null,
          last_update_status_reason: fn.LastUpdateStatusReason ?? null,
        },
        execution_role: fn.Role ?? null,
        reserved_concurrent_executions: response.Concurrency?.ReservedConcurrentExecutions ?? null,
        tags: response.Tags ?? {},
        layers: (fn.Layers ?? []).map((layer) => ({
          arn: layer.Arn ?? "",
          code_size: layer.CodeSize ?? null,
        })),
        vpc: attached
          ? {
              vpc_id: vpc?.VpcId ?? null,
              subnet_ids: vpc?.SubnetIds ?? [],
              security_group_ids: vpc?.SecurityGroupIds ?? [],
            }
          : null,
        environment: {
          names,
          variables: Object.fromEntries(
            names.map((name) => [
              name,
              inputs.include_environment_values ? (variables[name] ?? "") : MASKED_VALUE,
            ]),
          ),
          values_masked: !inputs.include_environment_values,
        },
        code_location: inputs.include_code_location ? (response.Code?.Location ?? null) : null,
      };
    },
  },
});
