import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { invokeFunction } from "../../../src/actions/invoke_function/invoke_function.js";
import { invokeFunctionInputs } from "../../../src/actions/invoke_function/schema.js";
import { DEFAULT_ROLE_SESSION_NAME } from "../../../src/asset/schema.js";
import { AwsSession } from "../../../src/aws/awsSession.js";
import { InvokeRetryStrategy } from "../../../src/aws/invokeRetryStrategy.js";
import {
  ACCESS_KEY_ID,
  assumeRoleResponse,
  EXTERNAL_ID,
  FUNCTION_NAME,
  jsonInvokeResponse,
  keysAsset,
  PROXY_PASSWORD,
  proxyAsset,
  REGION,
  ROLE_ARN,
  ROLE_SESSION_NAME,
  rejectedConnectorError,
  roleAsset,
  SECRET_ACCESS_KEY,
  SESSION_TOKEN,
  temporaryKeysAsset,
  validAsset,
} from "../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);
const stsMock = mockClient(STSClient);

const inputs = invokeFunctionInputs.parse({ function_name: FUNCTION_NAME, payload: { n: 1 } });

/** Makes the mocked Lambda record the access key ID its client's credential provider gives. */
function recordLambdaCredentials(): string[] {
  const seen: string[] = [];
  lambdaMock.on(InvokeCommand).callsFake(async (_input, getClient) => {
    const identity = await getClient().config.credentials();
    seen.push(identity.accessKeyId);
    return jsonInvokeResponse({ ok: true });
  });
  return seen;
}

describe("AwsSession", () => {
  beforeEach(() => {
    lambdaMock.reset();
    stsMock.reset();
  });

  afterEach(() => {
    AwsSession.destroyAll();
  });

  describe("for", () => {
    it("gives the same session for the same asset, whatever its key order", () => {
      const first = AwsSession.for(validAsset(roleAsset));
      const reordered = Object.fromEntries(Object.entries(roleAsset).reverse());

      const second = AwsSession.for(validAsset(reordered));

      expect(second).toBe(first);
    });

    it("gives another session when any field differs", () => {
      const first = AwsSession.for(validAsset(keysAsset));

      const otherRegion = AwsSession.for(validAsset({ ...keysAsset, region_name: "eu-west-1" }));
      const otherSecret = AwsSession.for(
        validAsset({ ...keysAsset, secret_key: "anotherSecretEXAMPLEKEY0000000000000000" }),
      );

      expect(otherRegion).not.toBe(first);
      expect(otherSecret).not.toBe(first);
      expect(otherSecret).not.toBe(otherRegion);
    });

    it("starts afresh after destroyAll", () => {
      const first = AwsSession.for(validAsset(keysAsset));

      AwsSession.destroyAll();
      const second = AwsSession.for(validAsset(keysAsset));

      expect(second).not.toBe(first);
    });
  });

  describe("lambda", () => {
    it("reuses one client per retry policy", () => {
      const session = AwsSession.for(validAsset(keysAsset));

      const atMostOnce = session.lambda({ allowDuplicateRuns: false });
      const atLeastOnce = session.lambda({ allowDuplicateRuns: true });

      expect(session.lambda({ allowDuplicateRuns: false })).toBe(atMostOnce);
      expect(session.lambda({ allowDuplicateRuns: true })).toBe(atLeastOnce);
      expect(atLeastOnce).not.toBe(atMostOnce);
    });

    it("gives the Lambda client the invoke retry strategy and the asset's region", async () => {
      const session = AwsSession.for(validAsset({ ...keysAsset, region_name: "eu-central-1" }));
      const client = session.lambda({ allowDuplicateRuns: false });

      const strategy = await client.config.retryStrategy();
      const region = await client.config.region();

      expect(strategy).toBeInstanceOf(InvokeRetryStrategy);
      expect(region).toBe("eu-central-1");
    });

    it("signs with the asset's keys when there is no role", async () => {
      const seen = recordLambdaCredentials();
      const session = AwsSession.for(validAsset(keysAsset));

      await invokeFunction(inputs, session);

      expect(seen).toEqual([ACCESS_KEY_ID]);
      expect(session.role).toBeUndefined();
      expect(stsMock).not.toReceiveAnyCommand();
    });

    it("passes the session token of temporary keys", async () => {
      const session = AwsSession.for(validAsset(temporaryKeysAsset));

      const identity = await session.lambda({ allowDuplicateRuns: false }).config.credentials();

      expect(identity.sessionToken).toBe(SESSION_TOKEN);
      expect(identity.secretAccessKey).toBe(SECRET_ACCESS_KEY);
    });
  });

  describe("with role_arn", () => {
    it("signs Lambda calls with the assumed role's credentials, assuming it once", async () => {
      stsMock
        .on(AssumeRoleCommand)
        .resolves(assumeRoleResponse(Date.now() + 3_600_000, "ASIAROLECREDENTIALS1"));
      const seen = recordLambdaCredentials();
      const session = AwsSession.for(validAsset(roleAsset));

      // Both Lambda clients (one per retry policy) share the one role cache.
      for (let run = 0; run < 4; run += 1) {
        await invokeFunction(
          { ...inputs, allow_duplicate_runs: run % 2 === 1 },
          AwsSession.for(validAsset(roleAsset)),
        );
      }

      expect(seen).toEqual([
        "ASIAROLECREDENTIALS1",
        "ASIAROLECREDENTIALS1",
        "ASIAROLECREDENTIALS1",
        "ASIAROLECREDENTIALS1",
      ]);
      expect(stsMock).toReceiveCommandTimes(AssumeRoleCommand, 1);
      expect(session.role?.assumeRoleCalls).toBe(1);
    });

    it("assumes the role with the asset's settings, signed with the asset's keys", async () => {
      const stsCallers: string[] = [];
      stsMock.on(AssumeRoleCommand).callsFake(async (_input, getClient) => {
        stsCallers.push((await getClient().config.credentials()).accessKeyId);
        return assumeRoleResponse(Date.now() + 3_600_000);
      });
      recordLambdaCredentials();

      await invokeFunction(
        inputs,
        AwsSession.for(validAsset({ ...roleAsset, session_duration: 1800 })),
      );

      expect(stsMock).toReceiveCommandWith(AssumeRoleCommand, {
        RoleArn: ROLE_ARN,
        RoleSessionName: ROLE_SESSION_NAME,
        DurationSeconds: 1800,
        ExternalId: EXTERNAL_ID,
      });
      expect(stsCallers).toEqual([ACCESS_KEY_ID]);
    });

    it("uses the default session name and duration when the asset has none", async () => {
      stsMock.on(AssumeRoleCommand).resolves(assumeRoleResponse(Date.now() + 3_600_000));
      recordLambdaCredentials();

      await invokeFunction(
        inputs,
        AwsSession.for(validAsset({ ...keysAsset, role_arn: ROLE_ARN })),
      );

      expect(stsMock).toReceiveCommandWith(AssumeRoleCommand, {
        RoleArn: ROLE_ARN,
        RoleSessionName: DEFAULT_ROLE_SESSION_NAME,
        DurationSeconds: 3600,
      });
      expect(stsMock.commandCalls(AssumeRoleCommand)[0]?.args[0].input).not.toHaveProperty(
        "ExternalId",
      );
    });

    it("reports a refused AssumeRole as assume_role_failed, naming the role", async () => {
      const caller = "arn:aws:iam::123456789012:user/turbine-svc";
      stsMock
        .on(AssumeRoleCommand)
        .rejects(
          Object.assign(
            new Error(
              `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}`,
            ),
            { name: "AccessDenied", $metadata: { httpStatusCode: 403, requestId: "sts-req-1" } },
          ),
        );
      recordLambdaCredentials();

      const error = await rejectedConnectorError(
        invokeFunction(inputs, AwsSession.for(validAsset(roleAsset))),
      );

      expect(error.code).toBe("assume_role_failed");
      expect(error.message).toContain(`${caller} may not assume role ${ROLE_ARN}`);
      expect(error.requestId).toBe("sts-req-1");
    });
  });

  describe("callContext", () => {
    it("describes the default endpoints and the key in use", () => {
      const session = AwsSession.for(validAsset(roleAsset));

      const context = session.callContext("sts", "AssumeRole");

      expect(context).toEqual({
        service: "sts",
        operation: "AssumeRole",
        region: REGION,
        accessKeyId: ACCESS_KEY_ID,
        roleArn: ROLE_ARN,
        proxy: undefined,
        endpoint: undefined,
      });
    });

    it("names each service's custom endpoint", () => {
      const session = AwsSession.for(
        validAsset({
          ...keysAsset,
          endpoint_url: "http://127.0.0.1:4566",
          sts_endpoint_url: "https://sts-fips.us-east-1.amazonaws.com",
        }),
      );

      expect(session.callContext("lambda", "Invoke").endpoint).toBe("http://127.0.0.1:4566");
      expect(session.callContext("sts", "AssumeRole").endpoint).toBe(
        "https://sts-fips.us-east-1.amazonaws.com",
      );
    });

    it("names the proxy with its password masked and holds no secret", () => {
      const session = AwsSession.for(validAsset(proxyAsset));

      const context = session.callContext("lambda", "Invoke");

      expect(context.proxy).toBe("http://turbine:***@proxy.example.com:3128");
      expect(JSON.stringify(context)).not.toContain(PROXY_PASSWORD);
      expect(JSON.stringify(context)).not.toContain(SECRET_ACCESS_KEY);
    });
  });
});
