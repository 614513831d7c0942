import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalAws, startLocalAws } from "../../local-aws/LocalAws.js";
import { AwsSession } from "../../src/aws/awsSession.js";
import { runConnector } from "../../src/runConnector.js";
import { DEMO, localAsset, runEntry } from "./harness.js";

// Long enough that a batch of invokes finishes inside the refresh margin (half the lifetime).
const LIFETIME_SECONDS = 4;

describe("assumed-role credentials over real HTTP", () => {
  let aws: LocalAws;

  beforeAll(async () => {
    aws = await startLocalAws({ credentialLifetimeSeconds: LIFETIME_SECONDS });
  });

  afterAll(async () => {
    AwsSession.destroyAll();
    await aws.close();
  });

  const invokeMany = (count: number) =>
    Promise.all(
      Array.from({ length: count }, () =>
        runConnector(
          "invoke_function",
          JSON.stringify({ asset: localAsset(aws.url), inputs: { function_name: "echo" } }),
        ),
      ),
    );

  it("assumes the role once per lifetime across many invokes, and refreshes after expiry", async () => {
    // Prepare
    const assumed = aws.assumeRoleCount();

    // Act
    const first = await invokeMany(10);
    const afterFirst = aws.assumeRoleCount();
    await new Promise((done) => setTimeout(done, LIFETIME_SECONDS * 1000 + 200));
    const second = await invokeMany(10);

    // Assess
    expect([...first, ...second].map((r) => r.exitCode)).toEqual(Array(20).fill(0));
    expect(afterFirst).toBe(assumed + 1);
    expect(aws.assumeRoleCount()).toBe(assumed + 2);
  });
  it("says temporary keys have expired, and how to renew them", async () => {
    // Prepare: temporary keys from AssumeRole, used directly as the asset's keys.
    const sts = new STSClient({
      endpoint: aws.url,
      region: "us-east-1",
      credentials: { accessKeyId: DEMO.accessKeyId, secretAccessKey: DEMO.secretAccessKey },
    });
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: DEMO.roleArn,
        RoleSessionName: "expiry-test",
        ExternalId: DEMO.externalId,
      }),
    );
    sts.destroy();
    const expiresIn = (Credentials?.Expiration?.getTime() ?? 0) - Date.now();
    await new Promise((done) => setTimeout(done, expiresIn + 200));

    // Act
    const run = await runEntry("invoke_function", {
      asset: localAsset(aws.url, {
        access_key: Credentials?.AccessKeyId,
        secret_key: Credentials?.SecretAccessKey,
        session_token: Credentials?.SessionToken,
        role_arn: undefined,
        external_id: undefined,
      }),
      inputs: { function_name: "echo" },
    });

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.error).toMatchObject({
      code: "credentials_expired",
      awsErrorCode: "ExpiredTokenException",
    });
    expect(run.error?.hint).toContain("session_token");
    expect(run.stderr).not.toContain(String(Credentials?.SessionToken));
  });
});
