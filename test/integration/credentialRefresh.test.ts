import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalAws, startLocalAws } from "../../local-aws/LocalAws.js";
import { AwsSession } from "../../src/aws/awsSession.js";
import { runConnector } from "../../src/runConnector.js";
import { localAsset } from "./harness.js";

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
});
