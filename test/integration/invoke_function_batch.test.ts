import { describe, expect, it } from "vitest";
import type { ExecutorOptions } from "../../src/aws/executor.js";
import { localAsset, runAction, useLocalAws } from "./harness.js";

/** One batch result as the output prints it. */
interface Item {
  index: number;
  status: string;
  payload: unknown;
  error: { code: string; message: string } | null;
  function_error: { type: string } | null;
  attempts: number;
}

/** The results of a run, none when it printed no output. */
function resultsOf(run: { output: Record<string, unknown> | undefined }): Item[] {
  return (run.output?.invocations ?? []) as Item[];
}

describe("invoke_function_batch against the local AWS endpoint", () => {
  const aws = useLocalAws();

  const batch = (inputs: Record<string, unknown>, executor?: ExecutorOptions) =>
    runAction(
      "invoke_function_batch",
      { asset: localAsset(aws().url), inputs },
      {},
      executor === undefined ? {} : { executor },
    );
  const invokesSince = (from: number) =>
    aws()
      .requests.slice(from)
      .filter((request) => request.action === "Invoke").length;

  it("returns one result per payload in input order, through one AssumeRole", async () => {
    // Prepare
    const payloads = Array.from({ length: 40 }, (_, i) => ({ n: i }));
    const roles = aws().assumeRoleCount();
    const runs = aws().runCount("echo");

    // Act
    const run = await batch({ function_name: "echo", payloads, concurrency: 8 });

    // Assess
    expect(run.exitCode).toBe(0);
    const results = resultsOf(run);
    expect(results.map((item) => item.index)).toEqual(payloads.map((_, i) => i));
    expect(results.map((item) => (item.payload as { event: unknown }).event)).toEqual(payloads);
    expect(run.output?.counts).toEqual({
      succeeded: 40,
      function_error: 0,
      failed: 0,
      may_have_run: 0,
      not_started: 0,
    });
    expect(aws().assumeRoleCount() - roles).toBe(1);
    expect(aws().runCount("echo") - runs).toBe(40);
    expect(run.output).toMatchObject({ invocations_truncated: false, result_file: null });
  });

  it("fails an invalid payload alone, before anything is sent for it", async () => {
    // Prepare: a string that is not JSON, and an Event payload over Lambda's 1 MB.
    const from = aws().requests.length;
    const huge = { blob: "x".repeat(1024 * 1024) };

    // Act
    const run = await batch({
      function_name: "echo",
      invocation_type: "Event",
      payloads: [{ ok: 1 }, "not json", huge, { ok: 2 }],
    });

    // Assess
    expect(run.exitCode).toBe(0);
    const results = resultsOf(run);
    expect(results.map((item) => item.status)).toEqual([
      "succeeded",
      "failed",
      "failed",
      "succeeded",
    ]);
    expect(results[1]?.error).toMatchObject({ code: "invalid_input" });
    expect(results[1]?.error?.message).toContain("payloads[1]");
    expect(results[2]?.error).toMatchObject({ code: "payload_too_large" });
    expect(results[2]?.attempts).toBe(0);
    expect(invokesSince(from)).toBe(2);
  });

  it("backs off for the whole pool when throttled, honours Retry-After, and runs nothing twice", async () => {
    // Prepare: the pauses are recorded and pass on a clock of the test's own, not slept.
    const pauses: number[] = [];
    let skipped = 0;
    const now = () => Date.now() + skipped;
    const sleep = (ms: number) => {
      pauses.push(ms);
      skipped += ms;
      return Promise.resolve();
    };
    aws().faults.throttleNext(3, { retryAfterSeconds: 2 });
    const runs = aws().runCount("enrich-indicator");
    const payloads = Array.from({ length: 12 }, (_, i) => ({ indicator: `198.51.100.${i}` }));

    // Act
    const run = await batch(
      { function_name: "enrich-indicator", payloads, concurrency: 4 },
      {
        now,
        sleep,
      },
    );

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.output?.counts).toMatchObject({ succeeded: 12 });
    expect(run.output?.throttled).toBe(3);
    expect(pauses.length).toBeGreaterThan(0);
    expect(pauses.every((ms) => ms > 0 && ms <= 2000)).toBe(true);
    expect(Math.max(...pauses)).toBeGreaterThan(1000);
    expect(aws().runCount("enrich-indicator") - runs).toBe(12);
    const attempts = resultsOf(run).reduce((sum, item) => sum + item.attempts, 0);
    expect(attempts).toBe(15);
  });

  it("reports a payload whose answer was lost as may_have_run and does not send it again", async () => {
    // Prepare: the function runs, then the connection drops before the answer.
    aws().faults.resetNext(1, "after");
    const runs = aws().runCount("echo");

    // Act
    const run = await batch({ function_name: "echo", payloads: [{ a: 1 }], concurrency: 1 });

    // Assess
    expect(run.exitCode).toBe(0);
    const [item] = resultsOf(run);
    expect(item).toMatchObject({ status: "may_have_run", attempts: 1 });
    expect(aws().runCount("echo") - runs).toBe(1);
  });

  it("sends a payload that may have run again only with allow_duplicate_runs", async () => {
    aws().faults.resetNext(1, "after");
    const runs = aws().runCount("echo");

    const run = await batch({
      function_name: "echo",
      payloads: [{ a: 1 }],
      concurrency: 1,
      allow_duplicate_runs: true,
    });

    expect(run.exitCode).toBe(0);
    expect(resultsOf(run)[0]).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(aws().runCount("echo") - runs).toBe(2);
  });

  it("returns each function error with its payload, and fails when asked to", async () => {
    const returned = await batch({ function_name: "throws", payloads: [{}, {}] });
    const failed = await batch({
      function_name: "throws",
      payloads: [{}, {}],
      concurrency: 1,
      fail_on_function_error: true,
    });

    expect(returned.exitCode).toBe(0);
    expect(returned.output?.counts).toMatchObject({ function_error: 2 });
    expect(resultsOf(returned)[0]?.function_error).not.toBeNull();
    expect(failed.exitCode).toBe(1);
    expect(failed.error).toMatchObject({ code: "function_error" });
    expect(failed.error?.message).toContain("payloads[0]");
  });

  it("stops at a failure every payload would meet, after at most one round of calls", async () => {
    // Prepare: the invoker role may not invoke admin-only.
    const from = aws().requests.length;

    // Act
    const run = await batch({
      function_name: "admin-only",
      payloads: Array.from({ length: 50 }, () => ({})),
      concurrency: 4,
    });

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.error).toMatchObject({ code: "access_denied" });
    expect(invokesSince(from)).toBeLessThanOrEqual(4);
  });

  it("cuts off at the batch's deadline: running calls may have run, the rest did not start", async () => {
    // Prepare: each call runs 3 s, the batch has 2 s.
    const runs = aws().runCount("sleeps");

    // Act
    const run = await batch({
      function_name: "sleeps",
      payloads: [{ seconds: 3 }, { seconds: 3 }, { seconds: 3 }],
      concurrency: 1,
      timeout_seconds: 2,
    });

    // Assess
    expect(run.exitCode).toBe(0);
    const results = resultsOf(run);
    expect(results.map((item) => item.status)).toEqual([
      "may_have_run",
      "not_started",
      "not_started",
    ]);
    expect(results[1]?.error).toMatchObject({ code: "request_timeout" });
    expect(aws().runCount("sleeps") - runs).toBeLessThanOrEqual(1);
  });

  it("runs every payload for the tenant given, on a function with tenant isolation", async () => {
    const run = await batch({
      function_name: "tenant-echo",
      payloads: [{ n: 1 }, { n: 2 }],
      tenant_id: "customer-4711",
    });

    expect(run.exitCode).toBe(0);
    const results = resultsOf(run);
    expect(results.map((item) => (item.payload as { tenant_id: string }).tenant_id)).toEqual([
      "customer-4711",
      "customer-4711",
    ]);
  });

  it("keeps the results within output_limit_bytes, cut and marked, without the file API", async () => {
    const payloads = Array.from({ length: 30 }, (_, i) => ({ n: i, pad: "p".repeat(100) }));

    const run = await batch({ function_name: "echo", payloads, output_limit_bytes: 2048 });

    expect(run.exitCode).toBe(0);
    const results = resultsOf(run);
    expect(run.output?.invocations_truncated).toBe(true);
    expect(run.output?.counts).toMatchObject({ succeeded: 30 });
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThan(30);
    expect(Buffer.byteLength(JSON.stringify(results))).toBeLessThanOrEqual(2048);
    expect(run.output?.result_bytes).toBeGreaterThan(2048);
  });
});
