import { GetCallerIdentityCommand, type GetCallerIdentityCommandOutput } from "@aws-sdk/client-sts";
import type { Executor } from "../../aws/executor.js";
import { defineCustomAction } from "../defineAction.js";
import { invokeFunction } from "../invoke_function/invoke_function.js";
import { invokeFunctionInputs } from "../invoke_function/schema.js";
import {
  type TestConnectionInputs,
  type TestConnectionOutput,
  testConnectionInputs,
  testConnectionOutput,
} from "./schema.js";

/**
 * test_connection: proves the asset works. It asks STS who the connector is
 * (`GetCallerIdentity`, which needs no permission) under the credentials every call
 * uses, assuming the role if the asset names one, and optionally checks
 * `lambda:InvokeFunction` on a function with a DryRun, which runs nothing.
 */
export const testConnectionAction = defineCustomAction({
  name: "test_connection",
  title: "Test Connection",
  description:
    "Check the asset: sign in (assuming the role if one is set), report the identity AWS sees, and optionally check permission to invoke a function without running it.",
  inputs: testConnectionInputs,
  output: testConnectionOutput,
  iamActions: ["sts:GetCallerIdentity", "lambda:InvokeFunction"],
  why: "Two calls, the second only when a function is named, and it reuses invoke_function's checks.",
  run: testConnection,
});

/**
 * Runs the checks of {@link testConnectionAction}.
 *
 * @example
 * ```ts
 * const { arn } = await testConnection({ function_name: "enrich-indicator" }, new Executor(asset));
 * ```
 */
export async function testConnection(
  inputs: TestConnectionInputs,
  executor: Executor,
): Promise<TestConnectionOutput> {
  const identity = await executor.send<GetCallerIdentityCommandOutput>(
    {
      service: "sts",
      operation: "GetCallerIdentity",
      iamAction: "sts:GetCallerIdentity",
      resource: "*",
      retry: "idempotent",
    },
    new GetCallerIdentityCommand({}),
  );
  if (inputs.function_name !== undefined) {
    await invokeFunction(
      invokeFunctionInputs.parse({
        function_name: inputs.function_name,
        invocation_type: "DryRun",
      }),
      executor,
    );
  }
  return {
    account: identity.Account ?? "",
    arn: identity.Arn ?? "",
    user_id: identity.UserId ?? "",
    region: executor.asset.region_name,
    role_assumed: executor.roleAssumed,
    invoke_permitted: inputs.function_name === undefined ? null : true,
  };
}
