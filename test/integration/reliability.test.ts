import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type LocalAws, startLocalAws } from "../../local-aws/LocalAws.js";
import { localAsset, runEntry } from "./harness.js";

describe("retries never run a function twice unless asked to", () => {
  let aws: LocalAws;

  beforeAll(async () => {
    aws = await startLocalAws();
  });

  afterAll(async () => {
    await aws.close();
  });

  beforeEach(() => {
    aws.faults.clear();
  });

  const invoke = (inputs: Record<string, unknown>) =>
    runEntry("invoke_function", { asset: localAsset(aws.url), inputs });

  it("retries a throttled invoke, which provably did not run", async () => {
    // Prepare
    const before = aws.runCount("echo");
    aws.faults.throttleNext(1, { retryAfterSeconds: 1 });

    // Act
    const run = await invoke({ function_name: "echo" });

    // Assess
    expect(run.exitCode).toBe(0);
    expect(aws.runCount("echo")).toBe(before + 1);
  });

  it("reports throttling with its reason once the attempts are spent", async () => {
    aws.faults.throttleNext(5, {
      reason: "ConcurrentInvocationLimitExceeded",
      retryAfterSeconds: 0,
    });

    const run = await invoke({ function_name: "echo" });

    expect(run.exitCode).toBe(1);
    expect(run.error).toMatchObject({
      code: "throttled",
      awsErrorCode: "TooManyRequestsException",
    });
    expect(run.error?.message).toContain("ConcurrentInvocationLimitExceeded");
    expect(run.error?.hint).toContain("Service Quotas");
  });

  it("does not re-send an invoke whose connection broke after the function ran", async () => {
    const before = aws.runCount("echo");
    aws.faults.resetNext(1, "after");

    const run = await invoke({ function_name: "echo" });

    expect(run.exitCode).toBe(1);
    expect(run.error?.code).toBe("network_error");
    expect(run.error?.message).toContain("may have run");
    expect(run.error?.hint).toContain("allow_duplicate_runs");
    expect(aws.runCount("echo")).toBe(before + 1);
  });

  it("re-sends it when allow_duplicate_runs opts in, and the function runs twice", async () => {
    const before = aws.runCount("echo");
    aws.faults.resetNext(1, "after");

    const run = await invoke({ function_name: "echo", allow_duplicate_runs: true });

    expect(run.exitCode).toBe(0);
    expect(aws.runCount("echo")).toBe(before + 2);
  });

  it("does not retry an AWS 5xx, which may have followed a run", async () => {
    aws.faults.failNext(1, 500);
    const invokes = aws.requests.filter((r) => r.action === "Invoke").length;

    const run = await invoke({ function_name: "echo" });

    expect(run.exitCode).toBe(1);
    expect(run.error).toMatchObject({ code: "aws_error", awsErrorCode: "ServiceException" });
    expect(aws.requests.filter((r) => r.action === "Invoke").length).toBe(invokes + 1);
  });

  it("does not retry a broken function configuration and says what to fix", async () => {
    aws.faults.failNext(1, 502, "ENILimitReachedException");
    const invokes = aws.requests.filter((r) => r.action === "Invoke").length;

    const run = await invoke({ function_name: "echo" });

    expect(run.exitCode).toBe(1);
    expect(run.error?.code).toBe("function_misconfigured");
    expect(aws.requests.filter((r) => r.action === "Invoke").length).toBe(invokes + 1);
  });

  it("gives up at timeout_seconds and does not send the invoke again", async () => {
    const before = aws.runCount("sleeps");

    const run = await invoke({
      function_name: "sleeps",
      payload: { seconds: 2 },
      timeout_seconds: 1,
    });

    expect(run.exitCode).toBe(1);
    expect(run.error?.code).toBe("request_timeout");
    expect(aws.runCount("sleeps")).toBe(before + 1);
  });
});
