/**
 * assess_function_security over real HTTP against the local endpoint: the exposure, the
 * execution role's policies read from its IAM service, secrets in the environment found
 * without printing them, and every read that is denied or not served reported as
 * "could not check", so that the verdict is never clean from it.
 */
import { describe, expect, it } from "vitest";
import {
  DEMO_MANAGED_POLICIES,
  DEMO_RESPONDER_ROLE,
  demoResponderAsset,
  PUBLIC_WEBHOOK,
} from "../../local-aws/defaultWorld.js";
import { runAction, useLocalAws } from "./harness.js";

interface Finding {
  severity: string;
  check: string;
  kind: string;
  what: string;
  evidence: Record<string, unknown>;
}

interface Unchecked {
  check: string;
  what: string;
  error_code: string;
}

describe("assess_function_security against the local endpoint", () => {
  const aws = useLocalAws();

  const assess = async (function_name: string) => {
    const run = await runAction("assess_function_security", {
      asset: demoResponderAsset(aws().url),
      inputs: { function_name },
    });
    expect(run.exitCode).toBe(0);
    return {
      run,
      output: run.output as Record<string, unknown>,
      findings: run.output?.findings as Finding[],
      unchecked: run.output?.incomplete_checks as Unchecked[],
    };
  };

  it("judges public-webhook high over every way in and reads its role's policies from IAM", async () => {
    const { output, findings } = await assess(PUBLIC_WEBHOOK.name);

    expect(output).toMatchObject({ verdict: "high", exposure: { exposed: true, complete: true } });
    expect(findings.filter((f) => f.check === "ways_in" && f.severity === "high")).toHaveLength(3);
    expect(findings).toContainEqual(
      expect.objectContaining({
        check: "execution_role",
        severity: "medium",
        evidence: expect.objectContaining({ policy: DEMO_MANAGED_POLICIES.webhookForwarding }),
      }),
    );
  });

  it("reports a read the endpoint does not serve as could-not-check, and the verdict is not complete", async () => {
    // The local endpoint serves no code-signing configs.
    const { output, findings, unchecked } = await assess("echo");

    expect(unchecked).toContainEqual(
      expect.objectContaining({ check: "supply_chain", what: "code-signing config" }),
    );
    expect(findings).toContainEqual(
      expect.objectContaining({ kind: "could_not_check", check: "supply_chain" }),
    );
    expect(output.complete).toBe(false);
    expect(output.verdict).not.toBe("clean");
    expect(output.verdict).not.toBe("low");
  });

  it("finds AdministratorAccess on admin-only's execution role: high", async () => {
    const { output, findings } = await assess("admin-only");

    expect(findings).toContainEqual(
      expect.objectContaining({
        severity: "high",
        check: "execution_role",
        evidence: expect.objectContaining({ policy: DEMO_MANAGED_POLICIES.administratorAccess }),
      }),
    );
    expect(output.verdict).toBe("high");
  });

  it("turns a denied IAM read into could-not-check for the role, never into no finding", async () => {
    const responder = aws().world.roles.find((role) => role.name === DEMO_RESPONDER_ROLE.name);
    if (responder === undefined) {
      throw new Error("the demo world has no responder role");
    }
    responder.policy = responder.policy.filter((s) => !s.actions.some((a) => a.startsWith("iam:")));

    const { findings, unchecked } = await assess("admin-only");

    expect(unchecked.filter((u) => u.check === "execution_role")).toEqual([
      expect.objectContaining({ error_code: "access_denied" }),
      expect.objectContaining({ error_code: "access_denied" }),
    ]);
    expect(findings.some((f) => f.check === "execution_role" && f.kind === "role_policy")).toBe(
      false,
    );
  });

  it("names the variables that hold secrets and the detectors, never any part of a value", async () => {
    const secrets = {
      GITHUB_TOKEN: "ghp_Zq8XwT3vL9mN2pR7sK4yB6cD1fG5hJ0aE8uQ",
      DATABASE_URL: "postgres://app:S3cr3t-Passw0rd@db.internal:5432/app",
      SIGNING_MATERIAL: "Jx7Qp2Lm9Vz4Rt8Wk3Hn6Bd1Fs5Gy0Uc",
    };
    const echo = aws().world.functions.find((fn) => fn.name === "echo");
    if (echo === undefined) {
      throw new Error("the demo world has no echo function");
    }
    echo.environment = { ...echo.environment, ...secrets, LOG_LEVEL: "debug" };

    const { run, findings } = await assess("echo");

    const found = findings.filter((f) => f.check === "environment");
    expect(found.map((f) => [f.evidence.variable, f.severity])).toEqual([
      ["DATABASE_URL", "high"],
      ["GITHUB_TOKEN", "high"],
      ["SIGNING_MATERIAL", "medium"],
    ]);
    expect(found[1]?.evidence.detectors).toEqual([
      "name:token",
      "value:token_prefix",
      "value:high_entropy",
    ]);
    const printed = run.stdout + run.stderr;
    for (const value of Object.values(secrets)) {
      // No 6-character run of any value appears anywhere in what was printed.
      for (let i = 0; i + 6 <= value.length; i++) {
        expect(printed).not.toContain(value.slice(i, i + 6));
      }
    }
  });
});

describe("list_functions modified_since against the local endpoint", () => {
  const aws = useLocalAws();

  it("keeps only the functions changed since then, newest first, over every page", async () => {
    const changed = {
      echo: "2026-02-27T08:00:00.000+0000",
      throws: "2026-02-28T09:30:00.000+0000",
      "enrich-indicator": "2026-02-26T23:00:00.000+0000",
    };
    for (const fn of aws().world.functions) {
      fn.lastModified = changed[fn.name as keyof typeof changed] ?? "2025-06-01T00:00:00.000Z";
    }

    const run = await runAction("list_functions", {
      asset: demoResponderAsset(aws().url),
      inputs: { modified_since: "2026-02-27T00:00:00Z", max_items: 1000 },
    });

    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({
      functions: [
        // As Lambda prints LastModified in, and as the vocabulary prints it out (Z).
        { name: "throws", last_modified: "2026-02-28T09:30:00.000Z" },
        { name: "echo", last_modified: "2026-02-27T08:00:00.000Z" },
      ],
      count: 2,
      truncated: false,
      modified_since: "2026-02-27T00:00:00.000Z",
    });
  });
});
