import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalAws, startLocalAws } from "../../local-aws/LocalAws.js";
import { DEMO, localAsset, runEntry } from "./harness.js";

describe("test_connection against the local AWS endpoint", () => {
  let aws: LocalAws;

  beforeAll(async () => {
    aws = await startLocalAws();
  });

  afterAll(async () => {
    await aws.close();
  });

  const test = (inputs: Record<string, unknown>, asset: Record<string, unknown> = {}) =>
    runEntry("test_connection", { asset: localAsset(aws.url, asset), inputs });

  it("shows the assumed-role identity and a passing DryRun, without running the function", async () => {
    // Prepare
    const before = aws.runCount("echo");

    // Act
    const run = await test({ function_name: "echo" });

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({
      account: DEMO.account,
      role_assumed: true,
      invoke_permitted: true,
      region: "us-east-1",
    });
    expect(String(run.output?.arn)).toContain(":assumed-role/TurbineLambdaInvoker/");
    expect(aws.runCount("echo")).toBe(before);
  });

  it("shows the IAM user when the asset has no role", async () => {
    const run = await test({}, { role_arn: undefined, external_id: undefined });

    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({
      arn: `arn:aws:iam::${DEMO.account}:user/turbine-connector`,
      role_assumed: false,
      invoke_permitted: null,
    });
  });

  it("fails with the access-denied hint for a function the role may not invoke", async () => {
    const run = await test({ function_name: "admin-only" });

    expect(run.exitCode).toBe(1);
    expect(run.error?.code).toBe("access_denied");
  });
});
