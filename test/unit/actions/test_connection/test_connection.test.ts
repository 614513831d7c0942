import {
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  LambdaServiceException,
} from "@aws-sdk/client-lambda";
import { GetCallerIdentityCommand, STSClient, STSServiceException } from "@aws-sdk/client-sts";
import { AssumeRoleCommand, STSClient as RoleStsClient } from "@aws-sdk/nested-clients/sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testConnectionInputs } from "../../../../src/actions/test_connection/schema.js";
import { testConnection } from "../../../../src/actions/test_connection/test_connection.js";
import { Executor } from "../../../../src/aws/executor.js";
import {
  ACCESS_KEY_ID,
  ACCOUNT_ID,
  assumeRoleResponse,
  EXTERNAL_ID,
  FUNCTION_ARN,
  FUNCTION_NAME,
  invokeResponse,
  REQUEST_ID,
  ROLE_ARN,
  roleAsset,
  SECRET_ACCESS_KEY,
  validAsset,
} from "../../../fixtures.js";

const stsMock = mockClient(STSClient);
/** The STS client fromTemporaryCredentials assumes the role with. */
const roleStsMock = mockClient(RoleStsClient);
const lambdaMock = mockClient(LambdaClient);

const USER_ARN = `arn:aws:iam::${ACCOUNT_ID}:user/turbine-connector`;
const SESSION_ARN = `arn:aws:sts::${ACCOUNT_ID}:assumed-role/TurbineLambdaInvoker/soc-playbooks`;
const keysAsset = {
  access_key: ACCESS_KEY_ID,
  secret_key: SECRET_ACCESS_KEY,
  region_name: "us-east-1",
};

/** Answers GetCallerIdentity as whoever signed: the user's keys, or the assumed role's. */
function identifyBySigner(): void {
  stsMock.on(GetCallerIdentityCommand).callsFake(async (_input, getClient) => {
    const { accessKeyId } = await getClient().config.credentials();
    return accessKeyId === ACCESS_KEY_ID
      ? { Account: ACCOUNT_ID, Arn: USER_ARN, UserId: "AIDAEXAMPLE" }
      : { Account: ACCOUNT_ID, Arn: SESSION_ARN, UserId: "AROAEXAMPLE:soc-playbooks" };
  });
}

function lambdaError(name: string, status: number, message: string) {
  return new LambdaServiceException({
    name,
    $fault: "client",
    message,
    $metadata: { httpStatusCode: status, requestId: REQUEST_ID },
  });
}

describe("test_connection, the setup guide's checklist", () => {
  const executors: Executor[] = [];
  const run = (asset: Record<string, unknown>, inputs: Record<string, unknown> = {}) => {
    const executor = new Executor(validAsset(asset));
    executors.push(executor);
    return testConnection(testConnectionInputs.parse(inputs), executor);
  };
  const statuses = (steps: { name: string; status: string }[]) =>
    Object.fromEntries(steps.map((step) => [step.name, step.status]));

  beforeEach(() => {
    stsMock.reset();
    roleStsMock.reset();
    lambdaMock.reset();
    identifyBySigner();
    roleStsMock.on(AssumeRoleCommand).resolves(assumeRoleResponse(Date.now() + 3_600_000));
  });

  afterEach(() => {
    for (const executor of executors.splice(0)) {
      executor.destroy();
    }
  });

  it("passes keys and partition, skips the role and the function when there are none", async () => {
    const output = await run(keysAsset);

    expect(output.ok).toBe(true);
    expect(statuses(output.steps)).toEqual({
      keys_valid: "passed",
      region_partition: "passed",
      role_assumable: "skipped",
      connector_identity: "passed",
      function_exists: "skipped",
      invoke_allowed: "skipped",
    });
    expect(output).toMatchObject({
      arn: USER_ARN,
      account: ACCOUNT_ID,
      role_assumed: false,
      invoke_permitted: null,
    });
    expect(output.steps[0]?.detail).toContain(USER_ARN);
  });

  it("checks the keys with the keys themselves, then acts as the assumed role", async () => {
    const output = await run(roleAsset);

    expect(output.ok).toBe(true);
    expect(statuses(output.steps)).toMatchObject({
      keys_valid: "passed",
      role_assumable: "passed",
      connector_identity: "passed",
    });
    expect(output.steps.find((s) => s.name === "keys_valid")?.detail).toContain(USER_ARN);
    expect(output.steps.find((s) => s.name === "connector_identity")?.detail).toContain(
      SESSION_ARN,
    );
    expect(output).toMatchObject({ arn: SESSION_ARN, role_assumed: true });
    expect(roleStsMock).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
  });

  it("fails the keys step with its hint and skips every step that needs them", async () => {
    stsMock.on(GetCallerIdentityCommand).rejects(
      new STSServiceException({
        name: "InvalidClientTokenId",
        $fault: "client",
        message: "The security token included in the request is invalid.",
        $metadata: { httpStatusCode: 403, requestId: REQUEST_ID },
      }),
    );

    const output = await run(roleAsset, { function_name: FUNCTION_NAME });

    expect(output.ok).toBe(false);
    expect(statuses(output.steps)).toEqual({
      keys_valid: "failed",
      region_partition: "skipped",
      role_assumable: "skipped",
      connector_identity: "skipped",
      function_exists: "skipped",
      invoke_allowed: "skipped",
    });
    expect(output.steps[0]).toMatchObject({
      code: "authentication_failed",
      hint: expect.stringContaining("access_key"),
    });
    expect(lambdaMock).not.toReceiveAnyCommand();
  });

  it.each([
    ["ExpiredToken", "The security token included in the request is expired", /long-term keys/],
    [
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match",
      /^Check secret_key/,
    ],
  ])(
    "blames the asset's own keys, not the role, when %s fails the keys step",
    async (name, message, blame) => {
      // Prepare: the keys step is signed by the asset's keys, even with a role.
      stsMock.on(GetCallerIdentityCommand).rejects(
        new STSServiceException({
          name,
          $fault: "client",
          message,
          $metadata: { httpStatusCode: 403, requestId: REQUEST_ID },
        }),
      );

      // Act
      const output = await run(roleAsset);

      // Assess
      const keys = output.steps.find((step) => step.name === "keys_valid");
      expect(keys?.status).toBe("failed");
      expect(keys?.hint).toMatch(blame);
      expect(`${keys?.detail} ${keys?.hint}`).not.toMatch(
        /assumed-role credentials|temporary keys of role/,
      );
    },
  );

  it("names the caller and the role when the trust policy refuses, and never the external ID", async () => {
    roleStsMock.on(AssumeRoleCommand).rejects(
      new STSServiceException({
        name: "AccessDenied",
        $fault: "client",
        message: `User: ${USER_ARN} is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN} (external id ${EXTERNAL_ID})`,
        $metadata: { httpStatusCode: 403, requestId: REQUEST_ID },
      }),
    );

    const output = await run(roleAsset);

    const role = output.steps.find((s) => s.name === "role_assumable");
    expect(role).toMatchObject({ status: "failed", code: "assume_role_failed" });
    expect(role?.detail).toContain(USER_ARN);
    expect(role?.hint).toContain(ROLE_ARN);
    expect(JSON.stringify(output)).not.toContain(EXTERNAL_ID);
    expect(statuses(output.steps)).toMatchObject({
      keys_valid: "passed",
      connector_identity: "skipped",
    });
  });

  it("fails region_partition when the keys' partition is not the region's", async () => {
    stsMock.on(GetCallerIdentityCommand).resolves({
      Account: ACCOUNT_ID,
      Arn: `arn:aws-us-gov:iam::${ACCOUNT_ID}:user/turbine-connector`,
    });

    const output = await run(keysAsset);

    expect(output.steps.find((s) => s.name === "region_partition")).toMatchObject({
      status: "failed",
      hint: expect.stringContaining("aws-us-gov"),
    });
    expect(output.ok).toBe(false);
  });

  it("finds the function and checks the invoke permission with a DryRun, which runs nothing", async () => {
    lambdaMock
      .on(GetFunctionConfigurationCommand)
      .resolves({ FunctionArn: FUNCTION_ARN, State: "Active" });
    lambdaMock.on(InvokeCommand).resolves(invokeResponse(undefined, { StatusCode: 204 }));

    const output = await run(keysAsset, { function_name: FUNCTION_NAME, qualifier: "live" });

    expect(output.ok).toBe(true);
    expect(statuses(output.steps)).toMatchObject({
      function_exists: "passed",
      invoke_allowed: "passed",
    });
    expect(output.invoke_permitted).toBe(true);
    expect(lambdaMock).toReceiveCommandWith(InvokeCommand, {
      FunctionName: FUNCTION_NAME,
      Qualifier: "live",
      InvocationType: "DryRun",
    });
  });

  it("fails function_exists naming the region searched, and skips the DryRun", async () => {
    lambdaMock
      .on(GetFunctionConfigurationCommand)
      .rejects(
        lambdaError("ResourceNotFoundException", 404, `Function not found: ${FUNCTION_ARN}`),
      );

    const output = await run(keysAsset, { function_name: FUNCTION_NAME });

    expect(output.steps.find((s) => s.name === "function_exists")).toMatchObject({
      status: "failed",
      code: "not_found",
      detail: expect.stringContaining("us-east-1"),
    });
    expect(statuses(output.steps)).toMatchObject({ invoke_allowed: "skipped" });
    expect(lambdaMock).not.toReceiveCommand(InvokeCommand);
  });

  it("lets the DryRun decide when the connector may not read the function, and names lambda:InvokeFunction when refused", async () => {
    lambdaMock
      .on(GetFunctionConfigurationCommand)
      .rejects(
        lambdaError(
          "AccessDeniedException",
          403,
          "not authorized to perform: lambda:GetFunctionConfiguration",
        ),
      );
    lambdaMock
      .on(InvokeCommand)
      .rejects(lambdaError("AccessDeniedException", 403, "not authorized"));

    const output = await run(keysAsset, { function_name: FUNCTION_NAME });

    expect(statuses(output.steps)).toMatchObject({
      function_exists: "skipped",
      invoke_allowed: "failed",
    });
    expect(output.steps.find((s) => s.name === "invoke_allowed")?.hint).toContain(
      "lambda:InvokeFunction",
    );
    expect(output.invoke_permitted).toBe(false);
    expect(output.ok).toBe(false);
  });

  it("refuses a malformed function name before calling AWS", () => {
    const result = testConnectionInputs.safeParse({ function_name: "not a name" });

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["function_name"]);
  });
});

describe("test_connection's inputs", () => {
  it("refuses a qualifier that conflicts with the one in function_name, naming qualifier, as invoke_function does", () => {
    const parsed = testConnectionInputs.safeParse({ function_name: "b2RB:NC_5", qualifier: "3" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({
        path: ["qualifier"],
        message: 'conflicts with the qualifier "NC_5" already in function_name; give one of them',
      }),
    ]);
    expect(
      testConnectionInputs.safeParse({ function_name: "b2RB:NC_5", qualifier: "NC_5" }).success,
    ).toBe(true);
  });
});
