import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { AssumeRoleCommand, STSClient as RoleStsClient } from "@aws-sdk/nested-clients/sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testConnectionInputs } from "../../../../src/actions/test_connection/schema.js";
import { testConnection } from "../../../../src/actions/test_connection/test_connection.js";
import { Executor } from "../../../../src/aws/executor.js";
import {
  ACCOUNT_ID,
  assumeRoleResponse,
  FUNCTION_NAME,
  invokeResponse,
  REGION,
  rejectedConnectorError,
  roleAsset,
  validAsset,
} from "../../../fixtures.js";

const stsMock = mockClient(STSClient);
/** The STS client fromTemporaryCredentials assumes the role with. */
const roleStsMock = mockClient(RoleStsClient);
const lambdaMock = mockClient(LambdaClient);
const USER_ARN = `arn:aws:iam::${ACCOUNT_ID}:user/turbine-connector`;

describe("test_connection", () => {
  const executors: Executor[] = [];
  const executor = (asset: ReturnType<typeof validAsset>) => {
    const created = new Executor(asset);
    executors.push(created);
    return created;
  };

  beforeEach(() => {
    stsMock.reset();
    roleStsMock.reset();
    lambdaMock.reset();
    stsMock.on(GetCallerIdentityCommand).resolves({
      Account: ACCOUNT_ID,
      Arn: USER_ARN,
      UserId: "AIDAEXAMPLEUSERID0001",
    });
  });

  afterEach(() => {
    for (const created of executors.splice(0)) {
      created.destroy();
    }
  });

  it("reports who AWS sees, and checks no function when none is named", async () => {
    // Act
    const output = await testConnection(testConnectionInputs.parse({}), executor(validAsset()));

    // Assess
    expect(output).toEqual({
      account: ACCOUNT_ID,
      arn: USER_ARN,
      user_id: "AIDAEXAMPLEUSERID0001",
      region: REGION,
      role_assumed: false,
      invoke_permitted: null,
    });
    expect(lambdaMock).not.toHaveReceivedAnyCommand();
  });

  it("asks as the assumed role when the asset names one", async () => {
    // Prepare
    roleStsMock.on(AssumeRoleCommand).resolves(assumeRoleResponse(Date.now() + 3_600_000));
    const seen: string[] = [];
    stsMock.on(GetCallerIdentityCommand).callsFake(async (_input, getClient) => {
      seen.push((await getClient().config.credentials()).accessKeyId);
      return {
        Account: ACCOUNT_ID,
        Arn: "arn:aws:sts::123456789012:assumed-role/R/s",
        UserId: "AROA:s",
      };
    });

    // Act
    const output = await testConnection(
      testConnectionInputs.parse({}),
      executor(validAsset(roleAsset)),
    );

    // Assess
    expect(output.role_assumed).toBe(true);
    expect(seen).toEqual(["ASIAASSUMEDROLE00001"]);
    expect(roleStsMock).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
  });

  it("checks the invoke permission with a DryRun, which runs nothing", async () => {
    lambdaMock.on(InvokeCommand).resolves(invokeResponse(undefined, { StatusCode: 204 }));

    const output = await testConnection(
      testConnectionInputs.parse({ function_name: `${FUNCTION_NAME}:live` }),
      executor(validAsset()),
    );

    expect(output.invoke_permitted).toBe(true);
    expect(lambdaMock).toReceiveCommandWith(InvokeCommand, {
      FunctionName: `${FUNCTION_NAME}:live`,
      InvocationType: "DryRun",
    });
  });

  it("fails with the troubleshooting hint when STS rejects the keys", async () => {
    stsMock.on(GetCallerIdentityCommand).rejects(
      Object.assign(new Error("The security token included in the request is invalid."), {
        name: "InvalidClientTokenId",
        $metadata: { httpStatusCode: 403, requestId: "req-1" },
      }),
    );

    const error = await rejectedConnectorError(
      testConnection(testConnectionInputs.parse({}), executor(validAsset())),
    );

    expect(error.code).toBe("authentication_failed");
    expect(error.hint).toContain("access_key");
    expect(error.requestId).toBe("req-1");
  });

  it("refuses a malformed function name before calling AWS", () => {
    const result = testConnectionInputs.safeParse({ function_name: "not a name" });

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["function_name"]);
  });
});
