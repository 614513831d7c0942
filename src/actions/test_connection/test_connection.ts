import type { GetFunctionConfigurationCommandOutput } from "@aws-sdk/client-lambda";
import { GetCallerIdentityCommand, type GetCallerIdentityCommandOutput } from "@aws-sdk/client-sts";
import type { z } from "zod";
import { partitionOfRegion } from "../../asset/partitions.js";
import { secretAssetKeys } from "../../asset/schema.js";
import type { AwsCall } from "../../aws/call.js";
import type { Executor } from "../../aws/executor.js";
import { ConnectorError } from "../../errors.js";
import { MAX_TEXT_LENGTH, maskSecrets, secretsIn } from "../../redaction.js";
import { defineCustomAction } from "../defineAction.js";
import { invokeFunction } from "../invoke_function/invoke_function.js";
import { invokeFunctionInputs } from "../invoke_function/schema.js";
import { getFunctionConfiguration } from "../reads.js";
import {
  type stepSchema,
  type TestConnectionInputs,
  type TestConnectionOutput,
  testConnectionInputs,
  testConnectionOutput,
} from "./schema.js";

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

/** A step without its name: what a check returns. */
type Step = z.output<typeof stepSchema>;
type Outcome = Omit<Step, "name">;

/** What the checks found so far, shared along the list. */
interface Checklist {
  inputs: TestConnectionInputs;
  executor: Executor;
  /** A failed step quoting `error`, secrets masked. */
  failed: (error: ConnectorError) => Outcome;
  /** GetCallerIdentity signed with the asset's own keys. */
  keys?: Attempt<GetCallerIdentityCommandOutput>;
  /** GetCallerIdentity as the connector acts (under the role when there is one). */
  connector?: Attempt<GetCallerIdentityCommandOutput>;
  /** GetFunctionConfiguration of function_name. */
  found?: Attempt<GetFunctionConfigurationCommandOutput>;
  invokePermitted: boolean | null;
}

/** The checklist's steps, in order; each reads what the ones before it found. */
const CHECKS: ReadonlyArray<readonly [Step["name"], (list: Checklist) => Promise<Outcome>]> = [
  ["keys_valid", checkKeys],
  ["region_partition", checkPartition],
  ["role_assumable", checkRole],
  ["connector_identity", checkIdentity],
  ["function_exists", checkFunction],
  ["invoke_allowed", checkInvoke],
];

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
  const { asset } = executor;
  // Step texts quote errors, and they go to the output rather than the masked error line;
  // the secrets are read at each failure, as the role's session may be new since.
  const list: Checklist = {
    inputs,
    executor,
    failed: (error) => {
      const secrets = [
        ...secretsIn({ asset }, secretAssetKeys(), executor.env),
        ...executor.obtainedSecrets(),
      ];
      return {
        status: "failed",
        detail: maskSecrets(error.message, secrets, MAX_TEXT_LENGTH),
        hint: maskSecrets(error.hint, secrets, MAX_TEXT_LENGTH),
        code: error.code,
      };
    },
    invokePermitted: null,
  };
  const steps: Step[] = [];
  for (const [name, check] of CHECKS) {
    steps.push({ name, ...(await check(list)) });
  }
  const identity = list.connector?.ok ? list.connector.value : undefined;
  return {
    ok: steps.every((step) => step.status !== "failed"),
    steps,
    account: identity?.Account ?? null,
    arn: identity?.Arn ?? null,
    region: asset.region_name,
    role_assumed: asset.role_arn !== undefined && identity !== undefined,
    invoke_permitted: list.invokePermitted,
  };
}

async function checkKeys(list: Checklist): Promise<Outcome> {
  list.keys = await attempt(() =>
    list.executor.send<GetCallerIdentityCommandOutput>(
      { ...callerIdentity, signAs: "asset" },
      new GetCallerIdentityCommand({}),
    ),
  );
  const { keys } = list;
  return keys.ok
    ? passed(
        `The keys belong to ${keys.value.Arn ?? "an unnamed identity"} (account ${keys.value.Account ?? "?"}).`,
      )
    : list.failed(keys.error);
}

async function checkPartition(list: Checklist): Promise<Outcome> {
  const region = list.executor.asset.region_name;
  const callerPartition = list.keys?.ok ? list.keys.value.Arn?.split(":")[1] : undefined;
  const regionPartition = partitionOfRegion(region)?.id;
  if (callerPartition === undefined) {
    return skipped("Needs valid keys.");
  }
  return callerPartition === regionPartition
    ? passed(`Region ${region} and the keys are both in partition ${callerPartition}.`)
    : {
        status: "failed",
        detail: `The keys are in partition ${callerPartition}, region ${region} in partition ${regionPartition ?? "unknown"}.`,
        hint: `Use a region of partition ${callerPartition} in region_name, or keys from partition ${regionPartition ?? "of the region"}: keys work only in their own partition.`,
        code: "invalid_asset",
      };
}

async function checkRole(list: Checklist): Promise<Outcome> {
  const { keys, executor } = list;
  if (keys === undefined || !keys.ok) {
    return skipped("Needs valid keys.");
  }
  const roleArn = executor.asset.role_arn;
  if (roleArn === undefined) {
    list.connector = keys;
    return skipped("The asset names no role_arn: calls run as the keys' identity.");
  }
  list.connector = await attempt(() =>
    executor.send<GetCallerIdentityCommandOutput>(callerIdentity, new GetCallerIdentityCommand({})),
  );
  return list.connector.ok
    ? passed(`${keys.value.Arn ?? "The keys"} assumed ${roleArn}.`)
    : list.failed(list.connector.error);
}

async function checkIdentity({ keys, connector }: Checklist): Promise<Outcome> {
  if (keys === undefined || !keys.ok) {
    return skipped("Needs valid keys.");
  }
  if (connector === undefined || !connector.ok) {
    return skipped("Needs the role to be assumed.");
  }
  return passed(
    `Lambda sees ${connector.value.Arn ?? "an unnamed identity"} in account ${connector.value.Account ?? "?"}.`,
  );
}

async function checkFunction(list: Checklist): Promise<Outcome> {
  const { inputs, executor } = list;
  if (inputs.function_name === undefined) {
    return skipped("No function_name given.");
  }
  if (list.connector?.ok !== true) {
    return skipped("Needs working credentials.");
  }
  const target = { function_name: inputs.function_name, qualifier: inputs.qualifier };
  const found = await attempt(() =>
    executor.send<GetFunctionConfigurationCommandOutput, typeof target>(
      getFunctionConfiguration,
      getFunctionConfiguration.command(target),
      target,
    ),
  );
  list.found = found;
  if (found.ok) {
    return passed(
      `${found.value.FunctionArn ?? inputs.function_name} exists in ${executor.asset.region_name} (state ${found.value.State ?? "unknown"}).`,
    );
  }
  return cannotLook(found)
    ? skipped(
        "The connector may not call lambda:GetFunctionConfiguration; the DryRun below checks the function instead.",
      )
    : list.failed(found.error);
}

async function checkInvoke(list: Checklist): Promise<Outcome> {
  const { inputs, executor, found } = list;
  if (inputs.function_name === undefined) {
    return skipped("No function_name given.");
  }
  if (list.connector?.ok !== true) {
    return skipped("Needs working credentials.");
  }
  if (found === undefined || !(found.ok || cannotLook(found))) {
    return skipped("Needs the function to exist in this region.");
  }
  const dryRun = await attempt(() =>
    invokeFunction(
      invokeFunctionInputs.parse({
        function_name: inputs.function_name,
        qualifier: inputs.qualifier,
        invocation_type: "DryRun",
      }),
      executor,
    ),
  );
  list.invokePermitted = dryRun.ok;
  return dryRun.ok
    ? passed(`A DryRun of ${inputs.function_name} was allowed; nothing ran.`)
    : list.failed(dryRun.error);
}

/** Whether the function could not be looked at for want of permission (the DryRun still can). */
function cannotLook(found: Attempt<unknown>): boolean {
  return !found.ok && found.error.code === "access_denied";
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

function passed(detail: string): Outcome {
  return { status: "passed", detail, hint: null, code: null };
}

function skipped(detail: string): Outcome {
  return { status: "skipped", detail, hint: null, code: null };
}
