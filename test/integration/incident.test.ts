/**
 * The incident walk a responder runs on the demo's exposed `public-webhook`, each step
 * through the entry as Turbine runs it: assess the exposure, contain it (throttle,
 * remove the public statements, close the URL, stop the trigger, tag the quarantine),
 * and assess again. Each contain step must return the state before it, for the undo.
 */
import { describe, expect, it } from "vitest";
import { demoAsset, INTRUDER_USER, PUBLIC_WEBHOOK } from "../../local-aws/defaultWorld.js";
import { demoRuns, runAction, useLocalAws } from "./harness.js";

interface Finding {
  severity: string;
  kind: string;
  containment: { action: string; inputs: Record<string, unknown> };
}

describe("the incident walk on public-webhook", () => {
  const aws = useLocalAws();

  const { respond } = demoRuns(aws);

  /** Anyone with AWS keys: the user no demo role trusts and no identity policy allows. */
  const intruderInvoke = () =>
    runAction("invoke_function", {
      asset: {
        ...demoAsset(aws().url),
        access_key: INTRUDER_USER.accessKeyId,
        secret_key: INTRUDER_USER.secretAccessKey,
        role_arn: undefined,
        external_id: undefined,
      },
      inputs: { function_name: PUBLIC_WEBHOOK.name, payload: { from: "anyone" } },
    });

  const webhook = { function_name: PUBLIC_WEBHOOK.name };

  it("assesses it exposed, contains it step by step (each step returning the state before), and assesses it closed", async () => {
    // Assess: exposed three ways, and a trigger worth knowing about.
    const first = await respond("assess_function_exposure", webhook);
    expect(first.exitCode).toBe(0);
    expect(first.output).toMatchObject({
      function_arn: PUBLIC_WEBHOOK.arn,
      exposed: true,
      reserved_concurrent_executions: null,
    });
    const findings = first.output?.findings as Finding[];
    expect(
      findings.map(({ severity, kind, containment }) => ({ severity, kind, containment })),
    ).toEqual([
      {
        severity: "high",
        kind: "resource_policy",
        containment: {
          action: "remove_permission",
          inputs: { ...webhook, statement_id: PUBLIC_WEBHOOK.publicStatementId },
        },
      },
      {
        severity: "high",
        kind: "resource_policy",
        containment: {
          action: "remove_permission",
          inputs: { ...webhook, statement_id: PUBLIC_WEBHOOK.urlStatementId },
        },
      },
      {
        severity: "high",
        kind: "function_url",
        containment: {
          action: "update_function_url_config",
          inputs: { ...webhook, auth_type: "AWS_IAM" },
        },
      },
      {
        // The demo URL allows CORS from any origin: any web page can call it.
        severity: "medium",
        kind: "function_url",
        containment: {
          action: "update_function_url_config",
          inputs: { ...webhook, auth_type: "AWS_IAM" },
        },
      },
      {
        severity: "info",
        kind: "event_source_mapping",
        containment: {
          action: "update_event_source_mapping",
          inputs: { uuid: PUBLIC_WEBHOOK.eventSourceMappingUuid, enabled: false },
        },
      },
    ]);
    // As assessed, anyone may run it.
    const openRuns = aws().runCount(PUBLIC_WEBHOOK.name);
    const open = await intruderInvoke();
    expect(open.exitCode).toBe(0);
    expect(aws().runCount(PUBLIC_WEBHOOK.name)).toBe(openRuns + 1);

    // Contain 1: reserved concurrency 0; an invocation is then throttled and does not run.
    const throttle = await respond("put_function_concurrency", {
      ...webhook,
      reserved_concurrent_executions: 0,
    });
    expect(throttle.exitCode).toBe(0);
    expect(throttle.output).toMatchObject({
      reserved_concurrent_executions: 0,
      previous: { reserved_concurrent_executions: null },
    });
    const runsBefore = aws().runCount(PUBLIC_WEBHOOK.name);
    const throttled = await respond("invoke_function", webhook);
    expect(throttled.exitCode).toBe(1);
    expect(throttled.error).toMatchObject({
      code: "throttled",
      aws_error_code: "TooManyRequestsException",
      http_status: 429,
    });
    expect(throttled.error?.message).toContain("ReservedFunctionConcurrentInvocationLimitExceeded");
    expect(aws().runCount(PUBLIC_WEBHOOK.name)).toBe(runsBefore);

    // Contain 2: every public statement the assessment named, each returned as it was.
    const removals = findings.filter((f) => f.containment.action === "remove_permission");
    const removed = [];
    for (const { containment } of removals) {
      removed.push(await respond(containment.action, containment.inputs));
    }
    expect(removed.map((run) => run.exitCode)).toEqual([0, 0]);
    expect(
      removed.map((run) => (run.output?.previous as { statement: unknown } | undefined)?.statement),
    ).toEqual([
      {
        sid: PUBLIC_WEBHOOK.publicStatementId,
        effect: "Allow",
        principal: "*",
        action: ["lambda:InvokeFunction"],
        resource: [PUBLIC_WEBHOOK.arn],
        conditions: {},
      },
      {
        sid: PUBLIC_WEBHOOK.urlStatementId,
        effect: "Allow",
        principal: "*",
        action: ["lambda:InvokeFunctionUrl"],
        resource: [PUBLIC_WEBHOOK.arn],
        conditions: { StringEquals: { "lambda:FunctionUrlAuthType": "NONE" } },
      },
    ]);
    // Anyone is now refused before the throttle is even reached.
    const refused = await intruderInvoke();
    expect(refused.exitCode).toBe(1);
    expect(refused.error).toMatchObject({ code: "access_denied", http_status: 403 });
    expect(refused.error?.message).toContain("lambda:InvokeFunction");

    // Contain 3: the URL requires signed callers.
    const url = await respond("update_function_url_config", { ...webhook, auth_type: "AWS_IAM" });
    expect(url.exitCode).toBe(0);
    expect(url.output).toMatchObject({
      function_url: PUBLIC_WEBHOOK.url,
      auth_type: "AWS_IAM",
      previous: { configured: true, function_url: PUBLIC_WEBHOOK.url, auth_type: "NONE" },
    });

    // Contain 4: the trigger stops.
    const trigger = await respond("update_event_source_mapping", {
      uuid: PUBLIC_WEBHOOK.eventSourceMappingUuid,
      enabled: false,
    });
    expect(trigger.exitCode).toBe(0);
    expect(trigger.output).toMatchObject({
      event_source_mapping: { event_source_arn: PUBLIC_WEBHOOK.queueArn, state: "Disabling" },
      previous: { state: "Enabled", enabled: true },
    });

    // Contain 5: mark the quarantine.
    const tag = await respond("tag_function", {
      ...webhook,
      tags: { quarantine: "true", case: "SW-1234" },
    });
    expect(tag.exitCode).toBe(0);
    expect(tag.output).toMatchObject({
      tags: { owner: "web-team", exposure: "public", quarantine: "true", case: "SW-1234" },
      previous: { tags: { owner: "web-team", exposure: "public" } },
    });

    // Assess again: nothing left open, and the throttle shows.
    const second = await respond("assess_function_exposure", webhook);
    expect(second.exitCode).toBe(0);
    expect(second.output).toMatchObject({
      exposed: false,
      findings: [],
      reserved_concurrent_executions: 0,
      checked: { policy_statements: 0, function_urls: 1, event_source_mappings: 1 },
    });
  });
});
