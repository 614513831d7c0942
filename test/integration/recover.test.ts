/**
 * The recovery actions through the entry against the local AWS endpoint, over real HTTP:
 * freeze a function as a version, roll its aliases back, cut its asynchronous
 * destinations, change its configuration and redeploy its code. Each change is checked in
 * the endpoint's state after it runs and after the steps of its `undo` (round trip).
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  DEMO_EXECUTION_ROLE,
  DEMO_REGION,
  defaultWorld,
  demoResponderAsset,
} from "../../local-aws/defaultWorld.js";
import type { FunctionDefinition } from "../../local-aws/World.js";
import { fakeTime, HANDLER_ZIP_BASE64, manualClock } from "../fixtures.js";
import { type ActionRun, DEMO, demoRuns, runAction, useLocalAws } from "./harness.js";

const ACCOUNT = DEMO.account;
const QUEUE = `arn:aws:sqs:${DEMO_REGION}:210987654321:exfil-results`;
const SECRET_VALUE = "sk-live-0f1e2d3c4b5a69788796a5b4";

interface UndoStep {
  action: string;
  inputs: Record<string, unknown>;
}

/** A copy of the demo's `echo` (versions 1 and 2, aliases live → 2 and previous → 1) under a fresh name. */
function echoCopy(name: string, overrides: Partial<FunctionDefinition> = {}): FunctionDefinition {
  const template = defaultWorld().functions.find((fn) => fn.name === "echo");
  if (template === undefined) {
    throw new Error("the demo world lost echo");
  }
  return {
    ...structuredClone(template),
    name,
    policies: {},
    urls: {},
    environment: { API_TOKEN: SECRET_VALUE, LOG_LEVEL: "info" },
    role: DEMO_EXECUTION_ROLE.arn,
    ...overrides,
  };
}

/** Runs every step of an undo, in order, and returns their runs. */
async function runUndo(
  respond: (action: string, inputs: Record<string, unknown>) => Promise<ActionRun>,
  run: ActionRun,
): Promise<ActionRun[]> {
  const steps = (run.output?.undo ?? []) as UndoStep[];
  const runs = [];
  for (const step of steps) {
    runs.push(await respond(step.action, step.inputs));
  }
  return runs;
}

describe("recovery actions through the entry, with state checked after each change and its undo", () => {
  const aws = useLocalAws({ stateTransitionMs: 0 });
  const { respond } = demoRuns(aws);
  let made = 0;
  function fresh(overrides: Partial<FunctionDefinition> = {}): FunctionDefinition {
    made += 1;
    const fn = echoCopy(`recover-${made}`, overrides);
    aws().world.functions.push(fn);
    return fn;
  }
  const served = (from: number) =>
    aws()
      .requests.slice(from)
      .map((request) => request.action);

  describe("publish_version", () => {
    it("freezes $LATEST as the next version, publishes nothing new on a re-run, and its undo deletes it", async () => {
      const fn = fresh();

      const published = await respond("publish_version", { function_name: fn.name });
      const again = await respond("publish_version", { function_name: fn.name });
      const during = [...(fn.versions ?? [])];
      const undone = await runUndo(respond, published);

      expect(published.error).toBeUndefined();
      expect(published.output).toMatchObject({
        changed: true,
        function: { version: "3", name: fn.name },
        previous: { published_versions: ["1", "2"] },
        previous_state_known: true,
      });
      expect(again.output).toMatchObject({ changed: false, function: { version: "3" }, undo: [] });
      expect(during).toEqual(["1", "2", "3"]);
      expect(undone.map((run) => run.error)).toEqual([undefined]);
      expect(fn.versions).toEqual(["1", "2"]);
    });

    it("publishes nothing when $LATEST's code is not the package code_sha256 names", async () => {
      const fn = fresh();

      const run = await respond("publish_version", {
        function_name: fn.name,
        code_sha256: createHash("sha256").update("other package").digest("base64"),
      });

      expect(run.error).toMatchObject({ aws_error_code: "InvalidParameterValueException" });
      expect(run.error?.hint).toContain("code_sha256");
      expect(fn.versions).toEqual(["1", "2"]);
    });
  });

  describe("aliases", () => {
    it("get_alias returns the version an alias points to and its revision", async () => {
      const fn = fresh({ aliasRouting: { live: { "1": 0.2 } } });

      const run = await respond("get_alias", { function_name: fn.name, alias_name: "live" });

      expect(run.output).toEqual({
        function_name: fn.name,
        alias: {
          name: "live",
          arn: `arn:aws:lambda:${DEMO_REGION}:${ACCOUNT}:function:${fn.name}:live`,
          function_version: "2",
          description: "",
          routing_weights: { "1": 0.2 },
          revision_id: expect.any(String),
        },
      });
    });

    it("update_alias rolls an alias back to a known-good version, and its undo points it forward again", async () => {
      const fn = fresh({ aliasRouting: { live: { "1": 0.2 } } });
      const alias = (name: string) =>
        respond("get_alias", { function_name: fn.name, alias_name: name });
      const before = (await alias("live")).output?.alias as Record<string, unknown>;

      const rolledBack = await respond("update_alias", {
        function_name: fn.name,
        alias_name: "live",
        function_version: "1",
        routing_weights: {},
        revision_id: before.revision_id,
      });
      const again = await respond("update_alias", {
        function_name: fn.name,
        alias_name: "live",
        function_version: "1",
        routing_weights: {},
      });
      const during = { version: fn.aliases?.live, routing: fn.aliasRouting?.live };
      const undone = await runUndo(respond, rolledBack);
      const after = (await alias("live")).output?.alias as Record<string, unknown>;

      expect(rolledBack.error).toBeUndefined();
      expect(rolledBack.output).toMatchObject({
        changed: true,
        alias: { function_version: "1", routing_weights: {} },
        previous: { alias: { function_version: "2", routing_weights: { "1": 0.2 } } },
      });
      expect(again.output).toMatchObject({ changed: false, undo: [] });
      expect(during).toEqual({ version: "1", routing: {} });
      expect(undone.map((run) => run.error)).toEqual([undefined]);
      expect({ ...after, revision_id: null }).toEqual({ ...before, revision_id: null });
    });

    it("update_alias refuses a stale revision_id and changes nothing", async () => {
      const fn = fresh();

      const run = await respond("update_alias", {
        function_name: fn.name,
        alias_name: "live",
        function_version: "1",
        revision_id: "stale-revision",
      });

      expect(run.error).toMatchObject({ aws_error_code: "PreconditionFailedException" });
      expect(run.error?.hint).toContain("get_alias");
      expect(fn.aliases?.live).toBe("2");
    });

    it("create_alias makes an alias, changes nothing on a re-run, and its undo deletes it", async () => {
      const fn = fresh();

      const created = await respond("create_alias", {
        function_name: fn.name,
        alias_name: "known-good",
        function_version: "1",
        description: "before the incident",
      });
      const again = await respond("create_alias", {
        function_name: fn.name,
        alias_name: "known-good",
        function_version: "1",
        description: "before the incident",
      });
      const during = fn.aliases?.["known-good"];
      const undone = await runUndo(respond, created);
      const after = await respond("get_alias", {
        function_name: fn.name,
        alias_name: "known-good",
      });

      expect(created.output).toMatchObject({
        changed: true,
        alias: { name: "known-good", function_version: "1", description: "before the incident" },
        previous: { function_name: fn.name, alias: null },
      });
      expect(again.output).toMatchObject({ changed: false, undo: [] });
      expect(during).toBe("1");
      expect(undone.map((run) => run.error)).toEqual([undefined]);
      expect(after.error).toMatchObject({ code: "not_found" });
    });

    it("delete_alias removes an alias, and its undo re-creates it as it was", async () => {
      const fn = fresh({
        aliasRouting: { live: { "1": 0.5 } },
        aliasDescriptions: { live: "production" },
      });
      const before = (await respond("get_alias", { function_name: fn.name, alias_name: "live" }))
        .output?.alias as Record<string, unknown>;

      const deleted = await respond("delete_alias", { function_name: fn.name, alias_name: "live" });
      const again = await respond("delete_alias", { function_name: fn.name, alias_name: "live" });
      const during = fn.aliases?.live;
      const undone = await runUndo(respond, deleted);
      const after = (await respond("get_alias", { function_name: fn.name, alias_name: "live" }))
        .output?.alias as Record<string, unknown>;

      expect(deleted.output).toMatchObject({ changed: true, previous: { alias: before } });
      expect(again.output).toMatchObject({ changed: false, previous: { alias: null }, undo: [] });
      expect(during).toBeUndefined();
      expect(undone.map((run) => run.error)).toEqual([undefined]);
      expect({ ...after, revision_id: null }).toEqual({ ...before, revision_id: null });
    });
  });

  describe("asynchronous destinations", () => {
    const get = (name: string) =>
      respond("get_function_event_invoke_config", { function_name: name });

    it("get_function_event_invoke_config says when a function has no settings", async () => {
      const fn = fresh();

      const run = await get(fn.name);

      expect(run.output).toEqual({
        function_name: fn.name,
        qualifier: null,
        event_invoke_config: {
          configured: false,
          maximum_retry_attempts: null,
          maximum_event_age_in_seconds: null,
          on_success_destination: null,
          on_failure_destination: null,
          last_modified: null,
        },
      });
    });

    it("put_function_event_invoke_config cuts the destinations, and its undo puts them back", async () => {
      const fn = fresh({
        eventInvokeConfigs: {
          "": { maximumRetryAttempts: 1, onSuccess: QUEUE, lastModified: Date.UTC(2026, 0, 2) },
        },
      });
      const before = (await get(fn.name)).output?.event_invoke_config as Record<string, unknown>;

      const cut = await respond("put_function_event_invoke_config", {
        function_name: fn.name,
        maximum_retry_attempts: 0,
      });
      const again = await respond("put_function_event_invoke_config", {
        function_name: fn.name,
        maximum_retry_attempts: 0,
      });
      const during = (await get(fn.name)).output?.event_invoke_config;
      const undone = await runUndo(respond, cut);
      const after = (await get(fn.name)).output?.event_invoke_config as Record<string, unknown>;

      expect(before).toMatchObject({
        configured: true,
        on_success_destination: QUEUE,
        last_modified: "2026-01-02T00:00:00.000Z",
      });
      expect(cut.output).toMatchObject({
        changed: true,
        previous: { event_invoke_config: before },
      });
      expect(again.output).toMatchObject({ changed: false, undo: [] });
      expect(during).toMatchObject({ on_success_destination: null, maximum_retry_attempts: 0 });
      expect(undone.map((run) => run.error)).toEqual([undefined]);
      expect({ ...after, last_modified: null }).toEqual({ ...before, last_modified: null });
    });

    it("put_function_event_invoke_config on a function without settings is undone by deleting them", async () => {
      const fn = fresh();

      const put = await respond("put_function_event_invoke_config", {
        function_name: fn.name,
        on_failure_destination: QUEUE,
      });
      const undone = await runUndo(respond, put);

      expect(put.output).toMatchObject({
        changed: true,
        undo: [{ action: "delete_function_event_invoke_config" }],
      });
      expect(undone.map((run) => run.error)).toEqual([undefined]);
      expect(fn.eventInvokeConfigs?.[""]).toBeUndefined();
    });

    it("delete_function_event_invoke_config removes the settings, and its undo restores them", async () => {
      const fn = fresh({
        eventInvokeConfigs: {
          "": {
            maximumEventAgeInSeconds: 3600,
            onFailure: QUEUE,
            lastModified: Date.UTC(2026, 0, 2),
          },
        },
      });
      const before = (await get(fn.name)).output?.event_invoke_config as Record<string, unknown>;

      const deleted = await respond("delete_function_event_invoke_config", {
        function_name: fn.name,
      });
      const again = await respond("delete_function_event_invoke_config", {
        function_name: fn.name,
      });
      const during = fn.eventInvokeConfigs?.[""];
      const undone = await runUndo(respond, deleted);
      const after = (await get(fn.name)).output?.event_invoke_config as Record<string, unknown>;

      expect(deleted.output).toMatchObject({ changed: true });
      expect(again.output).toMatchObject({ changed: false, undo: [] });
      expect(during).toBeUndefined();
      expect(undone.map((run) => run.error)).toEqual([undefined]);
      expect({ ...after, last_modified: null }).toEqual({ ...before, last_modified: null });
    });
  });

  describe("update_function_configuration", () => {
    /** What the configuration actions can change, read through the entry. */
    async function settingsOf(name: string) {
      const run = await respond("get_function", { function_name: name });
      const output = run.output as {
        function: Record<string, unknown>;
        environment: { names: string[] };
        layers: unknown[];
      };
      const { timeout, memory_size, handler, description, role } = output.function;
      return {
        timeout,
        memory_size,
        handler,
        description,
        role,
        layers: output.layers,
        environment: output.environment.names,
      };
    }

    it("changes the settings and the dead-letter target, and its undo restores them all", async () => {
      const fn = fresh({ deadLetterTargetArn: QUEUE, description: "webhook" });
      const before = await settingsOf(fn.name);

      const changed = await respond("update_function_configuration", {
        function_name: fn.name,
        timeout: 30,
        memory_size: 512,
        handler: "index.handler",
        description: "contained",
        remove_dead_letter_target: true,
      });
      const during = await settingsOf(fn.name);
      const undone = await runUndo(respond, changed);
      const after = await settingsOf(fn.name);

      expect(changed.error).toBeUndefined();
      expect(changed.output).toMatchObject({
        changed: true,
        update_successful: true,
        last_update_status: "Successful",
        function: { timeout: 30, dead_letter_target_arn: null },
        previous: { timeout: before.timeout, dead_letter_target_arn: QUEUE },
        environment_not_restored: [],
      });
      expect(during).toMatchObject({ timeout: 30, memory_size: 512, description: "contained" });
      expect(fn.deadLetterTargetArn).toBe(QUEUE);
      expect(undone.map((run) => run.error)).toEqual([undefined]);
      expect(after).toEqual(before);
    });

    it("sets and removes environment variables without printing a value, and says which its undo cannot restore", async () => {
      const fn = fresh();

      const changed = await respond("update_function_configuration", {
        function_name: fn.name,
        environment_set: { LOG_LEVEL: "debug", QUARANTINED: "true" },
        environment_remove: ["API_TOKEN"],
      });
      const during = { ...fn.environment };
      const undone = await runUndo(respond, changed);

      expect(changed.error).toBeUndefined();
      expect(changed.output).toMatchObject({
        changed: true,
        function: { environment_names: ["LOG_LEVEL", "QUARANTINED"] },
        previous: { environment_names: ["API_TOKEN", "LOG_LEVEL"] },
        environment_not_restored: ["API_TOKEN", "LOG_LEVEL"],
        undo: [
          {
            action: "update_function_configuration",
            inputs: { function_name: fn.name, environment_remove: ["QUARANTINED"] },
          },
        ],
      });
      for (const run of [changed, ...undone]) {
        expect(run.stdout + run.stderr).not.toContain(SECRET_VALUE);
        expect(run.stdout + run.stderr).not.toContain('"info"');
      }
      expect(during).toEqual({ LOG_LEVEL: "debug", QUARANTINED: "true" });
      expect(undone.map((run) => run.error)).toEqual([undefined]);
      expect(fn.environment).toEqual({ LOG_LEVEL: "debug" });
    });

    it("changes nothing on a re-run of a change already in place", async () => {
      const fn = fresh();
      const from = aws().requests.length;

      const run = await respond("update_function_configuration", {
        function_name: fn.name,
        environment_set: { LOG_LEVEL: "info" },
        timeout: fn.timeoutSeconds,
      });

      expect(run.output).toMatchObject({ changed: false, undo: [] });
      expect(served(from)).not.toContain("UpdateFunctionConfiguration");
    });

    it("refuses a stale revision_id and changes nothing", async () => {
      const fn = fresh();

      const run = await respond("update_function_configuration", {
        function_name: fn.name,
        timeout: 60,
        revision_id: "stale-revision",
      });

      expect(run.error).toMatchObject({ aws_error_code: "PreconditionFailedException" });
      expect(fn.timeoutSeconds).not.toBe(60);
    });
  });

  describe("update_function_code", () => {
    const zipSha256 = createHash("sha256")
      .update(Buffer.from(HANDLER_ZIP_BASE64, "base64"))
      .digest("base64");

    it("sends nothing when the zip is not the package expected_sha256 names", async () => {
      const fn = fresh();
      const from = aws().requests.length;

      const run = await respond("update_function_code", {
        function_name: fn.name,
        zip_file_base64: HANDLER_ZIP_BASE64,
        expected_sha256: createHash("sha256").update("reviewed package").digest("hex"),
      });

      expect(run.error).toMatchObject({ code: "invalid_input", field: "expected_sha256" });
      expect(served(from)).toEqual([]);
      expect(fn.codePackage).toBeUndefined();
    });

    it("deploys the reviewed package and publishes it, naming the code before by its hash", async () => {
      const fn = fresh();
      const before = await respond("get_function", { function_name: fn.name });
      const beforeSha256 = (before.output?.function as { code_sha256?: string } | undefined)
        ?.code_sha256;

      const run = await respond("update_function_code", {
        function_name: fn.name,
        zip_file_base64: HANDLER_ZIP_BASE64,
        expected_sha256: zipSha256,
        publish: true,
      });
      const again = await respond("update_function_code", {
        function_name: fn.name,
        zip_file_base64: HANDLER_ZIP_BASE64,
      });

      expect(run.error).toBeUndefined();
      expect(run.output).toMatchObject({
        changed: true,
        published_version: "3",
        update_successful: true,
        function: { code_sha256: zipSha256 },
        previous: { code_sha256: beforeSha256 },
      });
      expect(fn.codePackage?.sha256).toBe(zipSha256);
      expect(fn.versions).toEqual(["1", "2", "3"]);
      expect(again.output).toMatchObject({ changed: false });
    });
  });
});

describe("the update actions wait for LastUpdateStatus, by an injected clock", () => {
  const clock = manualClock(Date.now());
  const aws = useLocalAws({ now: clock.now, stateTransitionMs: 4000 });
  const respond = (action: string, inputs: Record<string, unknown>) =>
    runAction(
      action,
      { asset: demoResponderAsset(aws().url), inputs },
      {},
      { executor: fakeTime(clock) },
    );

  it("waits while the update is InProgress and reports Successful", async () => {
    const fn = echoCopy("waited-update");
    aws().world.functions.push(fn);

    const run = await respond("update_function_configuration", {
      function_name: fn.name,
      timeout: 20,
    });

    expect(run.error).toBeUndefined();
    expect(run.output).toMatchObject({
      last_update_status: "Successful",
      update_successful: true,
      waited_seconds: 4,
    });
  });

  it("reports Failed with AWS's reason, and keeps the undo", async () => {
    const fn = echoCopy("failed-update", {
      failNextUpdate: { reasonCode: "EniLimitExceeded", reason: "The ENI limit was reached." },
    });
    aws().world.functions.push(fn);

    const run = await respond("update_function_code", {
      function_name: fn.name,
      zip_file_base64: HANDLER_ZIP_BASE64,
    });

    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({
      last_update_status: "Failed",
      last_update_status_reason: "The ENI limit was reached.",
      last_update_status_reason_code: "EniLimitExceeded",
      update_successful: false,
      changed: true,
    });
  });

  it("stops waiting at wait_seconds and says the update is still in progress", async () => {
    const fn = echoCopy("slow-update");
    aws().world.functions.push(fn);

    const run = await respond("update_function_configuration", {
      function_name: fn.name,
      memory_size: 256,
      wait_seconds: 2,
    });

    expect(run.output).toMatchObject({
      last_update_status: "InProgress",
      update_successful: false,
      waited_seconds: 2,
      undo: [{ action: "update_function_configuration", inputs: { memory_size: 128 } }],
    });
  });
});

describe("recovery without the read of the state before, and with its answer lost", () => {
  const aws = useLocalAws({ stateTransitionMs: 0 });
  const RECOVER_ONLY = {
    name: "recover-only",
    accessKeyId: "AKIARECOVERONLY00001",
    secretAccessKey: "recoverOnlySecretKey00000000000000000001",
  };
  const recoverOnly = (action: string, inputs: Record<string, unknown>) =>
    runAction(action, {
      asset: {
        access_key: RECOVER_ONLY.accessKeyId,
        secret_key: RECOVER_ONLY.secretAccessKey,
        region_name: DEMO_REGION,
        endpoint_url: aws().url,
        sts_endpoint_url: aws().url,
      },
      inputs,
    });
  let made = 0;
  function fresh(overrides: Partial<FunctionDefinition> = {}): FunctionDefinition {
    if (!aws().world.users.some((user) => user.name === RECOVER_ONLY.name)) {
      aws().world.users.push({
        ...RECOVER_ONLY,
        // Every recover change, none of the reads before them.
        policy: [
          {
            effect: "Allow",
            actions: [
              "lambda:PublishVersion",
              "lambda:CreateAlias",
              "lambda:UpdateAlias",
              "lambda:DeleteAlias",
              "lambda:PutFunctionEventInvokeConfig",
              "lambda:DeleteFunctionEventInvokeConfig",
              "lambda:UpdateFunctionConfiguration",
              "lambda:UpdateFunctionCode",
            ],
            resources: [`arn:aws:lambda:*:${ACCOUNT}:function:*`],
          },
        ],
      });
    }
    made += 1;
    const fn = echoCopy(`blind-${made}`, {
      eventInvokeConfigs: { "": { onSuccess: QUEUE, lastModified: Date.UTC(2026, 0, 2) } },
      ...overrides,
    });
    aws().world.functions.push(fn);
    return fn;
  }

  it.each([
    {
      action: "update_alias",
      inputs: { alias_name: "live", function_version: "1", routing_weights: {} },
      check: (fn: FunctionDefinition) => fn.aliases?.live,
      changedTo: "1",
    },
    {
      action: "delete_alias",
      inputs: { alias_name: "previous" },
      check: (fn: FunctionDefinition) => fn.aliases?.previous,
      changedTo: undefined,
    },
    {
      action: "create_alias",
      inputs: { alias_name: "known-good", function_version: "1" },
      check: (fn: FunctionDefinition) => fn.aliases?.["known-good"],
      changedTo: "1",
      // CreateAlias fails on an alias that exists: what it made, its undo may remove unread.
      undo: [{ action: "delete_alias" }],
    },
    {
      action: "put_function_event_invoke_config",
      inputs: { maximum_retry_attempts: 0 },
      check: (fn: FunctionDefinition) => fn.eventInvokeConfigs?.[""]?.onSuccess,
      changedTo: undefined,
    },
    {
      action: "delete_function_event_invoke_config",
      inputs: {},
      check: (fn: FunctionDefinition) => fn.eventInvokeConfigs?.[""],
      changedTo: undefined,
    },
    {
      action: "publish_version",
      inputs: {},
      check: (fn: FunctionDefinition) => fn.versions,
      changedTo: ["1", "2", "3"],
    },
    {
      action: "update_function_configuration",
      inputs: { timeout: 42 },
      check: (fn: FunctionDefinition) => fn.timeoutSeconds,
      changedTo: 42,
    },
    {
      action: "update_function_code",
      inputs: { zip_file_base64: HANDLER_ZIP_BASE64 },
      check: (fn: FunctionDefinition) => fn.codePackage?.sizeBytes,
      changedTo: Buffer.from(HANDLER_ZIP_BASE64, "base64").length,
    },
  ])("$action recovers anyway, saying the state before is unknown and why", async (row) => {
    const fn = fresh();

    const run = await recoverOnly(row.action, { function_name: fn.name, ...row.inputs });

    expect(run.error).toBeUndefined();
    expect(run.output).toMatchObject({
      changed: true,
      previous: null,
      undo: row.undo ?? [],
      previous_state_known: false,
      previous_state_error: { code: "access_denied" },
    });
    expect(row.check(fn)).toEqual(row.changedTo);
  });

  it("update_function_configuration fails closed on an environment change, which needs the read", async () => {
    const fn = fresh();

    const run = await recoverOnly("update_function_configuration", {
      function_name: fn.name,
      environment_remove: ["API_TOKEN"],
    });

    expect(run.error).toMatchObject({ code: "access_denied" });
    expect(run.error?.message).toContain("lambda:GetFunctionConfiguration");
    expect(fn.environment).toEqual({ API_TOKEN: SECRET_VALUE, LOG_LEVEL: "info" });
    expect(run.stdout + run.stderr).not.toContain(SECRET_VALUE);
  });

  it("with require_previous_state a change fails and changes nothing", async () => {
    const fn = fresh();

    const run = await recoverOnly("update_alias", {
      function_name: fn.name,
      alias_name: "live",
      function_version: "1",
      require_previous_state: true,
    });

    expect(run.error).toMatchObject({ code: "access_denied" });
    expect(run.error?.message).toContain("lambda:GetAlias");
    expect(fn.aliases?.live).toBe("2");
  });

  it("a version published whose answer was lost says it may have been made, with the versions before", async () => {
    const fn = echoCopy("lost-publish");
    aws().world.functions.push(fn);
    aws().faults.failNext(1, 503, { operation: "PublishVersion" });

    const run = await runAction("publish_version", {
      asset: demoResponderAsset(aws().url),
      inputs: { function_name: fn.name },
    });

    expect(run.error).toMatchObject({
      may_have_changed: true,
      previous: { function_name: fn.name, published_versions: ["1", "2"] },
    });
    expect(run.error?.hint).toContain("list_versions_by_function");
  });
});
