import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { expectAwsFailure, localAsset, runAction, useLocalAws } from "./harness.js";

describe("retries never run a function twice unless asked to", () => {
  const aws = useLocalAws();

  beforeEach(() => {
    aws().faults.clear();
    // The SDK's backoff is a random share of its base delay: none, so retries do not wait.
    vi.spyOn(Math, "random").mockReturnValue(0);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  const invoke = (inputs: Record<string, unknown>) =>
    runAction("invoke_function", { asset: localAsset(aws().url), inputs });

  const invokes = () => aws().requests.filter((r) => r.action === "Invoke");
  const invokeStatuses = (from: number) =>
    invokes()
      .map((r) => r.status)
      .slice(from);

  it("retries a throttled invoke, which provably did not run", async () => {
    // Prepare
    const before = aws().runCount("echo");
    const sent = invokes().length;
    aws().faults.throttleNext(1, { retryAfterSeconds: 0 });

    // Act
    const run = await invoke({ function_name: "echo" });

    // Assess
    expect(run.exitCode).toBe(0);
    expect(invokeStatuses(sent)).toEqual([429, 200]);
    expect(aws().runCount("echo")).toBe(before + 1);
  });

  it("reports throttling with its reason once the attempts are spent", async () => {
    const before = aws().runCount("echo");
    const sent = invokes().length;
    aws().faults.throttleNext(5, {
      reason: "ConcurrentInvocationLimitExceeded",
      retryAfterSeconds: 0,
    });

    const run = await invoke({ function_name: "echo" });

    expectAwsFailure(run, aws(), "Invoke", {
      code: "throttled",
      aws_error_code: "TooManyRequestsException",
      http_status: 429,
    });
    expect(run.error?.message).toContain("ConcurrentInvocationLimitExceeded");
    expect(run.error?.message).toContain("after 3 attempt(s)");
    expect(run.error?.hint).toContain("Service Quotas");
    expect(invokes().length).toBe(sent + 3);
    expect(aws().runCount("echo")).toBe(before);
  });

  it("does not re-send an invoke whose connection broke after the function ran", async () => {
    const before = aws().runCount("echo");
    const sent = invokes().length;
    aws().faults.resetNext(1, "after");

    const run = await invoke({ function_name: "echo" });

    expect(run.exitCode).toBe(1);
    expect(run.error?.code).toBe("network_error");
    expect(run.error).not.toHaveProperty("http_status");
    expect(run.error?.message).toContain("may have run");
    expect(run.error?.hint).toContain("allow_duplicate_runs");
    expect(invokes().length).toBe(sent + 1);
    expect(aws().runCount("echo")).toBe(before + 1);
  });

  it("re-sends it when allow_duplicate_runs opts in, and the function runs twice", async () => {
    const before = aws().runCount("echo");
    aws().faults.resetNext(1, "after");

    const run = await invoke({ function_name: "echo", allow_duplicate_runs: true });

    expect(run.exitCode).toBe(0);
    expect(aws().runCount("echo")).toBe(before + 2);
  });

  it("does not retry an AWS 5xx, which may have followed a run", async () => {
    aws().faults.failNext(1, 500);
    const sent = invokes().length;

    const run = await invoke({ function_name: "echo" });

    expectAwsFailure(run, aws(), "Invoke", {
      code: "aws_error",
      aws_error_code: "ServiceException",
      http_status: 500,
    });
    expect(invokes().length).toBe(sent + 1);
  });

  it("does not retry a broken function configuration and says what to fix", async () => {
    aws().faults.failNext(1, 502, "ENILimitReachedException");
    const sent = invokes().length;

    const run = await invoke({ function_name: "echo" });

    expect(run.exitCode).toBe(1);
    expect(run.error).toMatchObject({
      code: "function_misconfigured",
      aws_error_code: "ENILimitReachedException",
      http_status: 502,
    });
    expect(invokes().length).toBe(sent + 1);
  });

  it("gives up at timeout_seconds and does not send the invoke again", async () => {
    const before = aws().runCount("sleeps");

    const run = await invoke({
      function_name: "sleeps",
      payload: { seconds: 2 },
      timeout_seconds: 1,
    });

    expect(run.exitCode).toBe(1);
    expect(run.error?.code).toBe("request_timeout");
    expect(run.error).not.toHaveProperty("http_status");
    expect(aws().runCount("sleeps")).toBe(before + 1);
  });
});
