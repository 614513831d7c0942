/**
 * quarantine_execution_role and release_execution_role through the entry against the
 * local endpoint's IAM: the role's inline policies checked after the quarantine, after
 * a re-run, and after the release its undo names.
 */
import { describe, expect, it } from "vitest";
import {
  DEMO_EXECUTION_ROLE,
  DEMO_FUNCTION_ROLES,
  demoAsset,
  demoResponderAsset,
  PUBLIC_WEBHOOK,
} from "../../local-aws/defaultWorld.js";
import type { PolicyStatement } from "../../local-aws/World.js";
import { runAction, useLocalAws } from "./harness.js";

describe("quarantine_execution_role and release_execution_role", () => {
  const aws = useLocalAws();
  const inlinePolicies = (name: string) =>
    aws().world.roles.find((role) => role.name === name)?.inlinePolicies ?? {};

  it("attaches the deny-all and revoke policy to the function's role, then release removes exactly it", async () => {
    // Prepare
    const asset = demoResponderAsset(aws().url);
    const before = structuredClone(inlinePolicies(DEMO_EXECUTION_ROLE.name));

    // Act
    const quarantined = await runAction("quarantine_execution_role", {
      asset,
      inputs: {
        function_name: PUBLIC_WEBHOOK.name,
        confirm_role_name: DEMO_EXECUTION_ROLE.name,
      },
    });
    const afterQuarantine = structuredClone(inlinePolicies(DEMO_EXECUTION_ROLE.name));
    const again = await runAction("quarantine_execution_role", {
      asset,
      inputs: { role_name: DEMO_EXECUTION_ROLE.name, confirm_role_name: DEMO_EXECUTION_ROLE.name },
    });
    const undo = ((quarantined.output?.undo ?? []) as { action: string; inputs: object }[])[0];
    const released = await runAction(undo?.action ?? "", { asset, inputs: undo?.inputs });
    const releasedAgain = await runAction("release_execution_role", {
      asset,
      inputs: { role_name: DEMO_EXECUTION_ROLE.name },
    });

    // Assess
    expect(quarantined.error).toBeUndefined();
    const output = quarantined.output ?? {};
    expect(output).toMatchObject({
      function_name: PUBLIC_WEBHOOK.name,
      role: { role_name: DEMO_EXECUTION_ROLE.name, role_arn: DEMO_EXECUTION_ROLE.arn },
      changed: true,
      previous: { quarantine: null },
      previous_state_known: true,
      previous_state_error: null,
      undo: [{ action: "release_execution_role", inputs: { role_name: DEMO_EXECUTION_ROLE.name } }],
    });
    const quarantine = output.quarantine as {
      policy_name: string;
      policy_document: { Statement: { Effect: string; Condition?: object }[] };
      sessions_revoked_before: string;
    };
    expect(quarantine.sessions_revoked_before).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(quarantine.policy_document.Statement.map((s) => s.Effect)).toEqual(["Deny", "Deny"]);
    expect(quarantine.policy_document.Statement[1]?.Condition).toEqual({
      DateLessThan: { "aws:TokenIssueTime": quarantine.sessions_revoked_before },
    });
    expect(Object.keys(afterQuarantine).sort()).toEqual(
      [...Object.keys(before), "TurbineQuarantine"].sort(),
    );
    expect(JSON.parse(afterQuarantine.TurbineQuarantine ?? "")).toEqual(quarantine.policy_document);

    expect(again.output).toMatchObject({ changed: false, undo: [], quarantine });
    expect(released.output).toMatchObject({
      role: { role_name: DEMO_EXECUTION_ROLE.name },
      removed_quarantine: quarantine,
      changed: true,
      undo: [
        {
          action: "quarantine_execution_role",
          inputs: {
            role_name: DEMO_EXECUTION_ROLE.name,
            confirm_role_name: DEMO_EXECUTION_ROLE.name,
          },
        },
      ],
    });
    expect(inlinePolicies(DEMO_EXECUTION_ROLE.name)).toEqual(before);
    expect(releasedAgain.output).toMatchObject({
      changed: false,
      removed_quarantine: null,
      undo: [],
    });
  });

  it("changes nothing when confirm_role_name is not the role's name", async () => {
    // Act
    const run = await runAction("quarantine_execution_role", {
      asset: demoResponderAsset(aws().url),
      inputs: { function_name: "echo", confirm_role_name: "echo" },
    });

    // Assess
    expect(run.exitCode).toBe(2);
    expect(run.error).toMatchObject({ code: "invalid_input", field: "confirm_role_name" });
    expect(run.error?.message).toContain("echo-role");
    expect(inlinePolicies("echo-role")).toEqual({});
  });

  it("quarantines when the read of the policy before is denied, saying the state before is unknown", async () => {
    // Prepare: the responder may put, but not read, role policies.
    const responder = aws().world.roles.find((role) => role.name === "TurbineLambdaResponder");
    const deny: PolicyStatement = {
      effect: "Deny",
      actions: ["iam:GetRolePolicy"],
      resources: ["*"],
    };
    responder?.policy.push(deny);

    // Act
    const run = await runAction("quarantine_execution_role", {
      asset: demoResponderAsset(aws().url),
      inputs: { function_name: "sleeps", confirm_role_name: "sleeps-role" },
    });
    const strict = await runAction("release_execution_role", {
      asset: demoResponderAsset(aws().url),
      inputs: { role_name: "sleeps-role", require_previous_state: true },
    });
    responder?.policy.splice(responder.policy.indexOf(deny), 1);

    // Assess
    expect(run.output).toMatchObject({
      role: { role_arn: DEMO_FUNCTION_ROLES.sleeps },
      changed: true,
      previous: null,
      previous_state_known: false,
      previous_state_error: { code: "access_denied" },
    });
    expect(Object.keys(inlinePolicies("sleeps-role"))).toEqual(["TurbineQuarantine"]);
    expect(strict.error).toMatchObject({ code: "access_denied" });
    expect(Object.keys(inlinePolicies("sleeps-role"))).toEqual(["TurbineQuarantine"]);
  });

  it("says the quarantine may have taken effect when IAM's answer to the put is lost, with the state before", async () => {
    // Prepare: every attempt of the put fails on IAM's side.
    aws().faults.failNext(5, 500, { service: "iam", operation: "PutRolePolicy" });

    // Act
    const run = await runAction("quarantine_execution_role", {
      asset: demoResponderAsset(aws().url),
      inputs: { role_name: "regional-only-role", confirm_role_name: "regional-only-role" },
    });
    aws().faults.clear();

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.error).toMatchObject({
      may_have_changed: true,
      previous: { quarantine: null },
      aws_error_code: "ServiceFailureException",
    });
    expect(run.error?.hint).toContain("quarantine_execution_role");
  });

  it("leaves a same-named policy it did not write alone, and the invoker may not quarantine", async () => {
    // Prepare
    const role = aws().world.roles.find((candidate) => candidate.name === "chatty-role");
    const foreign = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
    });
    if (role !== undefined) {
      role.inlinePolicies = { TurbineQuarantine: foreign };
    }

    // Act
    const release = await runAction("release_execution_role", {
      asset: demoResponderAsset(aws().url),
      inputs: { role_name: "chatty-role" },
    });
    const byInvoker = await runAction("quarantine_execution_role", {
      asset: demoAsset(aws().url),
      inputs: { role_name: "throws-role", confirm_role_name: "throws-role" },
    });

    // Assess
    expect(release.error?.message).toContain("was not written by quarantine_execution_role");
    expect(role?.inlinePolicies).toEqual({ TurbineQuarantine: foreign });
    expect(byInvoker.error).toMatchObject({ code: "access_denied" });
    expect(byInvoker.error?.message).toContain("iam:PutRolePolicy");
    expect(inlinePolicies("throws-role")).toEqual({});
  });
});
