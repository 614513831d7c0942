import { describe, expect, it } from "vitest";
import { DEMO, localAsset, runAction, useLocalAws } from "./harness.js";

describe("test_connection against the local AWS endpoint", () => {
  const aws = useLocalAws();

  const test = (inputs: Record<string, unknown>, asset: Record<string, unknown> = {}) =>
    runAction("test_connection", { asset: localAsset(aws().url, asset), inputs });

  /** The checklist's steps by name: status, and the error code of a failed one. */
  const stepsOf = (output: Record<string, unknown> | undefined) =>
    Object.fromEntries(
      ((output?.steps ?? []) as { name: string; status: string; code: string | null }[]).map(
        (step) => [step.name, step.code === null ? step.status : `${step.status}: ${step.code}`],
      ),
    );

  it("shows the assumed-role identity and a passing DryRun, without running the function", async () => {
    // Prepare
    const before = aws().runCount("echo");
    const assumed = aws().assumeRoleCount();

    // Act
    const run = await test({ function_name: "echo" });

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({
      ok: true,
      account: DEMO.account,
      role_assumed: true,
      invoke_permitted: true,
      region: "us-east-1",
    });
    expect(stepsOf(run.output)).toEqual({
      keys_valid: "passed",
      region_partition: "passed",
      role_assumable: "passed",
      connector_identity: "passed",
      function_exists: "passed",
      invoke_allowed: "passed",
    });
    expect(String(run.output?.arn)).toContain(":assumed-role/TurbineLambdaInvoker/");
    expect(aws().runCount("echo")).toBe(before);
    // STS and Lambda calls of one run share one AssumeRole.
    expect(aws().assumeRoleCount()).toBe(assumed + 1);
  });

  it("shows the IAM user when the asset has no role", async () => {
    const assumed = aws().assumeRoleCount();

    const run = await test({}, { role_arn: undefined, external_id: undefined });

    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({
      ok: true,
      arn: `arn:aws:iam::${DEMO.account}:user/turbine-connector`,
      role_assumed: false,
      invoke_permitted: null,
    });
    expect(stepsOf(run.output)).toMatchObject({ role_assumable: "skipped" });
    expect(aws().assumeRoleCount()).toBe(assumed);
  });

  it("reports a function the role may not invoke as a failed step, with its hint", async () => {
    const run = await test({ function_name: "admin-only" });

    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({ ok: false, invoke_permitted: false });
    expect(stepsOf(run.output)).toMatchObject({
      connector_identity: "passed",
      invoke_allowed: "failed: access_denied",
    });
    expect(JSON.stringify(run.output?.steps)).toContain(
      `Grant lambda:InvokeFunction on exactly arn:aws:lambda:us-east-1:${DEMO.account}:function:admin-only`,
    );
  });

  it("reports keys that AWS refuses as the first failed step, and skips what needs them", async () => {
    const wrong = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY00";

    const run = await test({ function_name: "echo" }, { secret_key: wrong });

    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({ ok: false, arn: null, role_assumed: false });
    expect(stepsOf(run.output)).toEqual({
      keys_valid: "failed: authentication_failed",
      region_partition: "skipped",
      role_assumable: "skipped",
      connector_identity: "skipped",
      function_exists: "skipped",
      invoke_allowed: "skipped",
    });
    expect(run.stdout).not.toContain(wrong);
  });
});
