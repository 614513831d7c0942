import {
  GetFunctionConfigurationCommand,
  type GetFunctionConfigurationCommandOutput,
} from "@aws-sdk/client-lambda";
import { GetCallerIdentityCommand, type GetCallerIdentityCommandOutput } from "@aws-sdk/client-sts";
import type { z } from "zod";
import { partitionOfRegion } from "../../asset/partitions.js";
import { secretAssetKeys } from "../../asset/schema.js";
import type { AwsCall } from "../../aws/call.js";
import type { Executor } from "../../aws/executor.js";
import { ConnectorError } from "../../errors.js";
import { maskSecrets, secretsIn } from "../../redaction.js";
import { defineCustomAction } from "../defineAction.js";
import { onFunction } from "../fields.js";
import { invokeFunction } from "../invoke_function/invoke_function.js";
import { invokeFunctionInputs } from "../invoke_function/schema.js";
import {
  type stepSchema,
  type TestConnectionInputs,
  type TestConnectionOutput,
  testConnectionInputs,
  testConnectionOutput,
} from "./schema.js";

type Step = z.output<typeof stepSchema>;

/**
 * test_connection: the setup guide's troubleshooting list, walked in order: are the
 * keys valid, do region and partition agree, can the role be assumed, who does the
 * connector act as, does the function exist here, may it be invoked. Each step is
 * passed, failed (with its hint) or skipped; a failed step skips those that need it.
 */
export const testConnectionAction = defineCustomAction({
  name: "test_connection",
  title: "Test Connection",
  description:
    "Diagnose the asset step by step: the keys, the region and partition, the role, the identity the connector acts as, and optionally a function's existence and invoke permission (DryRun, which runs nothing). Returns a checklist with a hint for each failed step.",
  inputs: testConnectionInputs,
  output: testConnectionOutput,
  iamActions: [
    "sts:GetCallerIdentity",
    "sts:AssumeRole",
    "lambda:GetFunctionConfiguration",
    "lambda:InvokeFunction",
  ],
  why: "A checklist: each step runs or is skipped depending on the previous ones, and a failure becomes a step, not the action's error.",
  run: testConnection,
});

const callerIdentity: AwsCall = {
  service: "sts",
  operation: "GetCallerIdentity",
  retry: "idempotent",
};

const functionConfiguration: AwsCall<{ function_name: string; qualifier?: string | undefined }> = {
  operation: "GetFunctionConfiguration",
  ...onFunction,
  retry: "idempotent",
};

/**
 * Runs the checks of {@link testConnectionAction}.
 *
 * @example
 * ```ts
 * const { ok, steps } = await testConnection({ function_name: "enrich-indicator" }, executor);
 * ```
 */
export async function testConnection(
  inputs: TestConnectionInputs,
  executor: Executor,
): Promise<TestConnectionOutput> {
  const steps: Step[] = [];
  const { asset } = executor;
  // Step texts quote errors, and they go to the output rather than the masked error line.
  const secrets = secretsIn({ asset }, secretAssetKeys(), executor.env);
  const failed = (name: Step["name"], error: ConnectorError): Step => ({
    name,
    status: "failed",
    detail: maskSecrets(error.message, secrets),
    hint: maskSecrets(error.hint, secrets),
    code: error.code,
  });
  const region = asset.region_name;
  const hasRole = asset.role_arn !== undefined;

  const keys = await attempt(() =>
    executor.send<GetCallerIdentityCommandOutput>(
      { ...callerIdentity, signAs: "asset" },
      new GetCallerIdentityCommand({}),
    ),
  );
  steps.push(
    keys.ok
      ? passed(
          "keys_valid",
          `The keys belong to ${keys.value.Arn ?? "an unnamed identity"} (account ${keys.value.Account ?? "?"}).`,
        )
      : failed("keys_valid", keys.error),
  );

  const callerPartition = keys.ok ? keys.value.Arn?.split(":")[1] : undefined;
  const regionPartition = partitionOfRegion(region)?.id;
  steps.push(
    callerPartition === undefined
      ? skipped("region_partition", "Needs valid keys.")
      : callerPartition === regionPartition
        ? passed(
            "region_partition",
            `Region ${region} and the keys are both in partition ${callerPartition}.`,
          )
        : {
            name: "region_partition",
            status: "failed",
            detail: `The keys are in partition ${callerPartition}, region ${region} in partition ${regionPartition ?? "unknown"}.`,
            hint: `Use a region of partition ${callerPartition} in region_name, or keys from partition ${regionPartition ?? "of the region"}: keys work only in their own partition.`,
            code: "invalid_asset",
          },
  );

  let identity: GetCallerIdentityCommandOutput | undefined;
  if (!keys.ok) {
    steps.push(
      skipped("role_assumable", "Needs valid keys."),
      skipped("connector_identity", "Needs valid keys."),
    );
  } else {
    const connector = hasRole
      ? await attempt(() =>
          executor.send<GetCallerIdentityCommandOutput>(
            callerIdentity,
            new GetCallerIdentityCommand({}),
          ),
        )
      : keys;
    if (!hasRole) {
      steps.push(
        skipped("role_assumable", "The asset names no role_arn: calls run as the keys' identity."),
      );
    } else {
      steps.push(
        connector.ok
          ? passed("role_assumable", `${keys.value.Arn ?? "The keys"} assumed ${asset.role_arn}.`)
          : failed("role_assumable", connector.error),
      );
    }
    if (connector.ok) {
      identity = connector.value;
      steps.push(
        passed(
          "connector_identity",
          `Lambda sees ${identity.Arn ?? "an unnamed identity"} in account ${identity.Account ?? "?"}.`,
        ),
      );
    } else {
      steps.push(skipped("connector_identity", "Needs the role to be assumed."));
    }
  }

  let invokePermitted: boolean | null = null;
  if (inputs.function_name === undefined) {
    steps.push(
      skipped("function_exists", "No function_name given."),
      skipped("invoke_allowed", "No function_name given."),
    );
  } else if (identity === undefined) {
    steps.push(
      skipped("function_exists", "Needs working credentials."),
      skipped("invoke_allowed", "Needs working credentials."),
    );
  } else {
    const target = { function_name: inputs.function_name, qualifier: inputs.qualifier };
    const found = await attempt(() =>
      executor.send<GetFunctionConfigurationCommandOutput, typeof target>(
        functionConfiguration,
        new GetFunctionConfigurationCommand({
          FunctionName: inputs.function_name,
          ...(inputs.qualifier === undefined ? {} : { Qualifier: inputs.qualifier }),
        }),
        target,
      ),
    );
    const cannotLook = !found.ok && found.error.code === "access_denied";
    steps.push(
      found.ok
        ? passed(
            "function_exists",
            `${found.value.FunctionArn ?? inputs.function_name} exists in ${region} (state ${found.value.State ?? "unknown"}).`,
          )
        : cannotLook
          ? skipped(
              "function_exists",
              "The connector may not call lambda:GetFunctionConfiguration; the DryRun below checks the function instead.",
            )
          : failed("function_exists", found.error),
    );
    if (found.ok || cannotLook) {
      const dryRun = await attempt(() =>
        invokeFunction(
          invokeFunctionInputs.parse({ ...target, invocation_type: "DryRun" }),
          executor,
        ),
      );
      invokePermitted = dryRun.ok;
      steps.push(
        dryRun.ok
          ? passed(
              "invoke_allowed",
              `A DryRun of ${inputs.function_name} was allowed; nothing ran.`,
            )
          : failed("invoke_allowed", dryRun.error),
      );
    } else {
      steps.push(skipped("invoke_allowed", "Needs the function to exist in this region."));
    }
  }

  return {
    ok: steps.every((step) => step.status !== "failed"),
    steps,
    account: identity?.Account ?? null,
    arn: identity?.Arn ?? null,
    region,
    role_assumed: hasRole && identity !== undefined,
    invoke_permitted: invokePermitted,
  };
}

type Attempt<T> = { ok: true; value: T } | { ok: false; error: ConnectorError };

/** The call's answer, or the connector's error it failed with; anything else is a defect and rethrown. */
async function attempt<T>(call: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    if (error instanceof ConnectorError) {
      return { ok: false, error };
    }
    throw error;
  }
}

function passed(name: Step["name"], detail: string): Step {
  return { name, status: "passed", detail, hint: null, code: null };
}

function skipped(name: Step["name"], detail: string): Step {
  return { name, status: "skipped", detail, hint: null, code: null };
}
