import { GetCallerIdentityCommand, type GetCallerIdentityCommandOutput } from "@aws-sdk/client-sts";
import { toConnectorError } from "../../aws/awsErrors.js";
import type { AwsSession } from "../../aws/awsSession.js";
import { STS_REQUEST_TIMEOUT_MS } from "../../aws/httpHandler.js";
import { defineAction } from "../actionDefinition.js";
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
export const testConnectionAction = defineAction({
  name: "test_connection",
  title: "Test Connection",
  description:
    "Check the asset: sign in (assuming the role if one is set), report the identity AWS sees, and optionally check permission to invoke a function without running it.",
  inputs: testConnectionInputs,
  output: testConnectionOutput,
  run: testConnection,
});

/**
 * Runs the checks of {@link testConnectionAction}.
 *
 * @example
 * ```ts
 * const { arn } = await testConnection({ function_name: "enrich-indicator" }, AwsSession.for(asset));
 * ```
 */
export async function testConnection(
  inputs: TestConnectionInputs,
  session: AwsSession,
): Promise<TestConnectionOutput> {
  let identity: GetCallerIdentityCommandOutput;
  try {
    identity = await session
      .stsAsConnector()
      .send(new GetCallerIdentityCommand({}), { requestTimeout: STS_REQUEST_TIMEOUT_MS });
  } catch (error) {
    throw toConnectorError(error, session.callContext("sts", "GetCallerIdentity"));
  }
  if (inputs.function_name !== undefined) {
    await invokeFunction(
      invokeFunctionInputs.parse({
        function_name: inputs.function_name,
        invocation_type: "DryRun",
      }),
      session,
    );
  }
  return {
    account: identity.Account ?? "",
    arn: identity.Arn ?? "",
    user_id: identity.UserId ?? "",
    region: session.asset.region_name,
    role_assumed: session.role !== undefined,
    invoke_permitted: inputs.function_name === undefined ? null : true,
  };
}
