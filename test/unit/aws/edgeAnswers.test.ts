import { readFileSync } from "node:fs";
import { GetAccountSettingsCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/nested-clients/sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { toConnectorError } from "../../../src/aws/awsErrors.js";
import type { AwsCall } from "../../../src/aws/call.js";
import { Executor } from "../../../src/aws/executor.js";
import {
  keysAsset,
  REQUEST_ID,
  rejectedConnectorError,
  roleAsset,
  startLocalServer,
  validAsset,
  withoutProxyEnvironment,
} from "../../fixtures.js";

const spec: AwsCall = {
  service: "lambda",
  operation: "GetAccountSettings",
  iamAction: "lambda:GetAccountSettings",
  resource: "*",
  retry: "idempotent",
};

const mockLambda = () => mockClient(LambdaClient);
const mockRoleSts = () => mockClient(STSClient);

/** Answers that are almost right: each case once failed (see the commit that added this file). */
describe("answers AWS rarely gives, and what the connector makes of them", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("the SDK's own name for an unnamed error, 'Unknown', is not an AWS error code", () => {
    const executor = new Executor(validAsset(keysAsset));
    // What @aws-sdk/client-lambda 3.x throws for HTTP 500 {} with x-amzn-requestid and no error type.
    const unnamed = Object.assign(new Error("UnknownError"), {
      name: "Unknown",
      $metadata: { httpStatusCode: 500, requestId: REQUEST_ID },
    });
    const error = toConnectorError(unnamed, executor.context(spec));
    executor.destroy();
    expect(error.toErrorLine()).not.toHaveProperty("aws_error_code");
    expect(error.message).not.toContain("(Unknown)");
  });

  describe("with the role's STS mocked", () => {
    let lambda: ReturnType<typeof mockLambda>;
    let sts: ReturnType<typeof mockRoleSts>;
    beforeAll(() => {
      lambda = mockLambda();
      sts = mockRoleSts();
    });
    afterAll(() => {
      lambda.restore();
      sts.restore();
    });
    const send = async () => {
      lambda.on(GetAccountSettingsCommand).callsFake(async (_i, getClient) => {
        await getClient().config.credentials();
        return { $metadata: {} };
      });
      const executor = new Executor(validAsset(roleAsset));
      try {
        return await rejectedConnectorError(executor.send(spec, new GetAccountSettingsCommand({})));
      } finally {
        executor.destroy();
      }
    };

    it("an AssumeRole answer without a session token is an assume_role_failed, not 'Could not reach'", async () => {
      sts.on(AssumeRoleCommand).resolves({
        Credentials: {
          AccessKeyId: "ASIAX0000000000000001",
          SecretAccessKey: "s",
          SessionToken: undefined,
          Expiration: new Date(Date.now() + 3_600_000),
        },
        $metadata: {},
      } as never);
      const error = await send();
      expect(error.code).toBe("assume_role_failed");
      expect(error.message).not.toContain("Could not reach");
    });

    it("an AssumeRole answer without Credentials does not say the asset gives no keys", async () => {
      sts.on(AssumeRoleCommand).resolves({ $metadata: {} });
      const error = await send();
      expect(error.code).toBe("assume_role_failed");
      expect(error.message).not.toContain("The asset gives no access_key and secret_key");
    });
  });

  it("destroy() closes a direct keep-alive HTTPS connection", async () => {
    withoutProxyEnvironment();
    const tls = {
      cert: readFileSync("test/fixtures/tls/localhost.crt", "utf8"),
      key: readFileSync("test/fixtures/tls/localhost.key", "utf8"),
    };
    const server = await startLocalServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": REQUEST_ID });
      res.end("{}");
    }, tls);
    const closed: Array<Promise<unknown>> = [];
    server.server.on("secureConnection", (socket) =>
      closed.push(new Promise((r) => socket.once("close", r))),
    );
    const executor = new Executor(
      validAsset({ ...keysAsset, endpoint_url: server.url, verify_ssl: false }),
    );
    await executor.send(spec, new GetAccountSettingsCommand({}));
    executor.destroy();
    const outcome = await Promise.race([
      Promise.all(closed).then(() => "closed"),
      new Promise((r) => setTimeout(() => r("still open"), 1000)),
    ]);
    await server.close();
    expect(outcome).toBe("closed");
  });
});
