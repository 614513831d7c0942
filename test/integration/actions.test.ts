/**
 * Every action of the action list run as Turbine runs it (the document on standard input,
 * the `::set-output` or `::set-error` line back) against the local AWS endpoint, with
 * the invoker's asset to inspect and the responder's to contain and provision. Cases
 * that change something work on a fresh copy of the exposed demo function, a fresh
 * function or a fresh layer, so they pass in any order. Also checks every recorded
 * example of docs/examples against the action's schemas.
 */

import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import {
  DEMO_EXECUTION_ROLE,
  DEMO_LAYER,
  DEMO_REGION,
  DEMO_ROLE,
  demoAsset,
  demoResponderAsset,
  PUBLIC_WEBHOOK,
} from "../../local-aws/defaultWorld.js";
import type { FunctionDefinition } from "../../local-aws/World.js";
import { loadActions } from "../../src/actions/actionList.js";
import { runConnector } from "../../src/runConnector.js";
import { OUTPUT_PREFIX, parseErrorLine } from "../../src/turbine/contract.js";
import { HANDLER_ZIP_BASE64, handlerZip, type LocalServer, startLocalServer } from "../fixtures.js";
import {
  type ActionRun,
  addTrigger,
  DEMO,
  demoRuns,
  runAction,
  useLocalAws,
  webhookTemplate,
} from "./harness.js";

/** Every declared action, loaded, by id. */
const ACTIONS = new Map((await loadActions()).map(({ action }) => [action.name, action]));

const ACCOUNT = DEMO.account;
const functionArn = (name: string) => `arn:aws:lambda:${DEMO_REGION}:${ACCOUNT}:function:${name}`;

/** What the runs' waits skipped: the endpoint and the runs read real time plus this. */
let skippedMs = 0;
const now = () => Date.now() + skippedMs;

describe("every action through the entry, against the local AWS endpoint", () => {
  const aws = useLocalAws({ now, stateTransitionMs: 300 });

  /** Runs `action` with the invoker's asset, in Turbine's flat form with ASSET_KEYS. */
  const inspect = (action: string, inputs: Record<string, unknown>) => {
    const asset = demoAsset(aws().url);
    return runAction(action, { ...asset, ...inputs }, { ASSET_KEYS: Object.keys(asset).join(",") });
  };

  /** Runs `action` with the responder's asset, in the explicit `{asset, inputs}` form. */
  const { respond } = demoRuns(aws);

  let copies = 0;

  /**
   * A fresh copy of `public-webhook` (public statement, URL with auth NONE, an SQS
   * trigger), for a case that changes it.
   */
  function exposedCopy(): { name: string; arn: string; uuid: string } {
    copies += 1;
    const name = `contained-${copies}`;
    const arn = functionArn(name);
    const template = webhookTemplate();
    const url = template.urls?.[""];
    if (url === undefined) {
      throw new Error(`the demo world lost ${PUBLIC_WEBHOOK.name}'s URL`);
    }
    const copy: FunctionDefinition = {
      ...template,
      name,
      policies: {
        "": (template.policies?.[""] ?? []).map((statement) => ({ ...statement, Resource: arn })),
      },
      urls: {
        "": {
          ...url,
          url: `https://${`copy${copies}`.padEnd(32, "x")}.lambda-url.${DEMO_REGION}.on.aws/`,
        },
      },
    };
    aws().world.functions.push(copy);
    return { name, arn, uuid: addTrigger(aws().world, name) };
  }

  describe("run and inspect, with the invoker's asset", () => {
    it.each([
      {
        action: "invoke_function",
        inputs: { function_name: "echo", payload: { indicator: "198.51.100.7" } },
        expected: {
          status_code: 200,
          executed_version: "$LATEST",
          payload: { event: { indicator: "198.51.100.7" } },
          function_error: null,
        },
      },
      {
        action: "test_connection",
        inputs: { function_name: "echo" },
        expected: { ok: true, account: ACCOUNT, role_assumed: true, invoke_permitted: true },
      },
      {
        action: "list_functions",
        inputs: { name_contains: "PUBLIC" },
        expected: {
          functions: [
            {
              name: PUBLIC_WEBHOOK.name,
              arn: PUBLIC_WEBHOOK.arn,
              runtime: "nodejs20.x",
              role: DEMO_EXECUTION_ROLE.arn,
              state: null,
            },
          ],
          count: 1,
          truncated: false,
          next_marker: null,
        },
      },
      {
        action: "get_function",
        inputs: { function_name: PUBLIC_WEBHOOK.name },
        expected: {
          function: { name: PUBLIC_WEBHOOK.name, state: "Active" },
          execution_role: DEMO_EXECUTION_ROLE.arn,
          reserved_concurrent_executions: null,
          tags: { owner: "web-team", exposure: "public" },
          layers: [{ arn: `${DEMO_LAYER.arn}:2` }],
          vpc: { vpc_id: "vpc-0fedcba9876543210" },
          environment: { names: ["FORWARD_TO"], variables: { FORWARD_TO: "***" } },
          code_location: null,
        },
      },
      {
        action: "get_function",
        inputs: { function_name: "enrich-indicator", include_environment_values: true },
        expected: {
          environment: { variables: { FEED_NAME: "local-demo-feed" }, values_masked: false },
        },
      },
      {
        action: "list_versions_by_function",
        inputs: { function_name: "echo" },
        expected: {
          versions: [{ version: "$LATEST" }, { version: "1" }, { version: "2" }],
          count: 3,
        },
      },
      {
        action: "list_aliases",
        inputs: { function_name: "echo" },
        expected: {
          aliases: [
            { name: "live", function_version: "2", routing_weights: { "1": 0.1 } },
            { name: "previous", function_version: "1", routing_weights: {} },
          ],
          count: 2,
        },
      },
      {
        action: "get_policy",
        inputs: { function_name: PUBLIC_WEBHOOK.name },
        expected: {
          has_policy: true,
          statements: [
            { sid: PUBLIC_WEBHOOK.publicStatementId, principal: "*", conditions: {} },
            { sid: PUBLIC_WEBHOOK.urlStatementId, action: ["lambda:InvokeFunctionUrl"] },
          ],
          policy: { Statement: expect.any(Array) },
        },
      },
      {
        action: "get_policy",
        inputs: { function_name: "echo" },
        expected: { has_policy: false, statements: [], policy: null },
      },
      {
        action: "get_function_url_config",
        inputs: { function_name: PUBLIC_WEBHOOK.name },
        expected: { configured: true, function_url: PUBLIC_WEBHOOK.url, auth_type: "NONE" },
      },
      {
        action: "get_function_url_config",
        inputs: { function_name: "echo" },
        expected: { configured: false, function_url: null, auth_type: null },
      },
      {
        action: "get_account_settings",
        inputs: {},
        expected: { account_limit: { concurrent_executions: 1000 } },
      },
      {
        action: "list_event_source_mappings",
        inputs: { function_name: "enrich-indicator" },
        expected: {
          event_source_mappings: [
            { uuid: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", state: "Enabled", batch_size: 10 },
            { uuid: "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b", state: "Enabled", batch_size: 100 },
          ],
          count: 2,
        },
      },
      {
        action: "assess_function_exposure",
        inputs: { function_name: "echo" },
        expected: {
          exposed: false,
          complete: true,
          findings: [],
          checked: { qualifiers: ["live", "previous", "1", "2"], qualifiers_truncated: false },
        },
      },
      {
        action: "list_layer_versions",
        inputs: { layer_name: DEMO_LAYER.name },
        expected: {
          layer_versions: [
            { version_number: 2, arn: DEMO_LAYER.versionArns[1] },
            { version_number: 1, arn: DEMO_LAYER.versionArns[0] },
          ],
          count: 2,
        },
      },
    ])("$action $inputs", async ({ action, inputs, expected }) => {
      const run = await inspect(action, inputs);

      expect(run.error).toBeUndefined();
      expect(run.exitCode).toBe(0);
      expect(run.output).toMatchObject(expected);
    });

    it.each([
      ["list_aliases", { function_name: PUBLIC_WEBHOOK.name }],
      ["list_functions", {}],
    ])("%s: a marker AWS refuses is named as the marker input", async (action, inputs) => {
      const run = await inspect(action, { ...inputs, marker: "not-a-marker-of-this-list" });

      expect(run.exitCode).toBe(2);
      expect(run.error).toMatchObject({ code: "invalid_input", field: "marker" });
      expect(run.error?.message).toMatch(/^marker: AWS refused it/);
      expect(run.error?.hint).toContain("next_marker");
    });

    it("list_layers: the demo layer with its latest version", async () => {
      const run = await inspect("list_layers", {});

      expect(run.exitCode).toBe(0);
      expect(run.output?.layers).toContainEqual({
        name: DEMO_LAYER.name,
        arn: DEMO_LAYER.arn,
        latest_layer_version: expect.objectContaining({
          version_number: 2,
          arn: DEMO_LAYER.versionArns[1],
        }),
      });
    });

    it("assess_function_exposure: the exposed copy's statements, URL and trigger, each with its containment", async () => {
      const fn = exposedCopy();

      const run = await inspect("assess_function_exposure", { function_name: fn.name });

      expect(run.exitCode).toBe(0);
      expect(run.output).toMatchObject({ function_arn: fn.arn, exposed: true });
      const containments = ((run.output?.findings ?? []) as { containment: unknown }[]).map(
        (finding) => finding.containment,
      );
      expect(containments).toEqual([
        {
          action: "remove_permission",
          inputs: { function_name: fn.name, statement_id: PUBLIC_WEBHOOK.publicStatementId },
        },
        {
          action: "remove_permission",
          inputs: { function_name: fn.name, statement_id: PUBLIC_WEBHOOK.urlStatementId },
        },
        {
          action: "update_function_url_config",
          inputs: { function_name: fn.name, auth_type: "AWS_IAM" },
        },
        // CORS allow_origins * on the open URL: closed the same way.
        {
          action: "update_function_url_config",
          inputs: { function_name: fn.name, auth_type: "AWS_IAM" },
        },
        { action: "update_event_source_mapping", inputs: { uuid: fn.uuid, enabled: false } },
      ]);
    });
  });

  describe("contain, with the responder's asset: each returns the state before, and undoing with it restores it", () => {
    it("put_function_concurrency 0, then delete_function_concurrency", async () => {
      const fn = exposedCopy();

      const put = await respond("put_function_concurrency", {
        function_name: fn.name,
        reserved_concurrent_executions: 0,
      });
      const during = await inspect("get_function", { function_name: fn.name });
      const lifted = await respond("delete_function_concurrency", { function_name: fn.name });
      const after = await inspect("get_function", { function_name: fn.name });

      expect(put.exitCode).toBe(0);
      expect(put.output).toEqual({
        previous_state_known: true,
        previous_state_error: null,
        function_name: fn.name,
        reserved_concurrent_executions: 0,
        changed: true,
        previous: { reserved_concurrent_executions: null },
        undo: [{ action: "delete_function_concurrency", inputs: { function_name: fn.name } }],
      });
      expect(during.output?.reserved_concurrent_executions).toBe(0);
      expect(lifted.exitCode).toBe(0);
      expect(lifted.output).toEqual({
        previous_state_known: true,
        previous_state_error: null,
        function_name: fn.name,
        reserved_concurrent_executions: null,
        changed: true,
        previous: { reserved_concurrent_executions: 0 },
        undo: [
          {
            action: "put_function_concurrency",
            inputs: { function_name: fn.name, reserved_concurrent_executions: 0 },
          },
        ],
      });
      expect(after.output?.reserved_concurrent_executions).toBeNull();
    });

    it("remove_permission, then add_permission from its undo", async () => {
      const fn = exposedCopy();

      const removed = await respond("remove_permission", {
        function_name: fn.name,
        statement_id: PUBLIC_WEBHOOK.publicStatementId,
      });
      const during = await inspect("get_policy", { function_name: fn.name });
      const [undo] = (removed.output?.undo ?? []) as {
        action: string;
        inputs: Record<string, unknown>;
      }[];
      const restored = await respond(undo?.action ?? "", undo?.inputs ?? {});
      const after = await inspect("get_policy", { function_name: fn.name });

      expect(removed.exitCode).toBe(0);
      expect(removed.output).toMatchObject({
        statement_id: PUBLIC_WEBHOOK.publicStatementId,
        changed: true,
        previous: {
          revision_id: expect.any(String),
          statement: {
            sid: PUBLIC_WEBHOOK.publicStatementId,
            effect: "Allow",
            principal: "*",
            action: ["lambda:InvokeFunction"],
            resource: [fn.arn],
            conditions: {},
          },
        },
      });
      expect(sids(during.output)).toEqual([PUBLIC_WEBHOOK.urlStatementId]);
      expect(restored.exitCode).toBe(0);
      expect(restored.output).toMatchObject({
        changed: true,
        statement: (removed.output?.previous as { statement: unknown } | undefined)?.statement,
        previous: { revision_id: during.output?.revision_id, statement: null },
      });
      expect(sids(after.output)).toEqual([
        PUBLIC_WEBHOOK.urlStatementId,
        PUBLIC_WEBHOOK.publicStatementId,
      ]);
    });

    it("add_permission: a service narrowed to one source, as the policy then reads", async () => {
      const fn = exposedCopy();

      const run = await respond("add_permission", {
        function_name: fn.name,
        statement_id: "s3-intake",
        principal: "s3.amazonaws.com",
        source_arn: "arn:aws:s3:::incoming-artifacts",
        source_account: ACCOUNT,
      });
      const policy = await inspect("get_policy", { function_name: fn.name });

      expect(run.exitCode).toBe(0);
      expect(run.output?.statement).toEqual({
        sid: "s3-intake",
        effect: "Allow",
        principal: { Service: "s3.amazonaws.com" },
        action: ["lambda:InvokeFunction"],
        resource: [fn.arn],
        conditions: {
          StringEquals: { "AWS:SourceAccount": ACCOUNT },
          ArnLike: { "AWS:SourceArn": "arn:aws:s3:::incoming-artifacts" },
        },
      });
      expect(policy.output?.statements).toContainEqual(run.output?.statement);
    });

    it("update_function_url_config to AWS_IAM, then back to the previous auth type", async () => {
      const fn = exposedCopy();

      const closed = await respond("update_function_url_config", {
        function_name: fn.name,
        auth_type: "AWS_IAM",
      });
      const during = await inspect("get_function_url_config", { function_name: fn.name });
      const previous = closed.output?.previous as { auth_type: string };
      const reopened = await respond("update_function_url_config", {
        function_name: fn.name,
        auth_type: previous.auth_type,
      });

      expect(closed.exitCode).toBe(0);
      expect(closed.output).toMatchObject({
        configured: true,
        auth_type: "AWS_IAM",
        previous: { configured: true, auth_type: "NONE", cors: { allow_origins: ["*"] } },
      });
      expect(during.output?.auth_type).toBe("AWS_IAM");
      expect(reopened.output).toMatchObject({
        auth_type: "NONE",
        previous: { auth_type: "AWS_IAM" },
      });
    });

    it("delete_function_url_config: the URL is gone, its configuration returned", async () => {
      const fn = exposedCopy();

      const run = await respond("delete_function_url_config", { function_name: fn.name });
      const after = await inspect("get_function_url_config", { function_name: fn.name });

      expect(run.exitCode).toBe(0);
      expect(run.output).toMatchObject({
        deleted: true,
        changed: true,
        previous: { configured: true, auth_type: "NONE", function_url: expect.any(String) },
      });
      expect(after.output).toMatchObject({ configured: false, function_url: null });
    });

    it("delete_function_url_config again: deleted false, changed false, exit 0", async () => {
      const fn = exposedCopy();

      await respond("delete_function_url_config", { function_name: fn.name });
      const again = await respond("delete_function_url_config", { function_name: fn.name });

      expect(again.exitCode).toBe(0);
      expect(again.output).toMatchObject({
        deleted: false,
        changed: false,
        previous: { configured: false },
        undo: [],
      });
    });

    it("remove_permission again: changed false, exit 0, nothing sent", async () => {
      const fn = exposedCopy();
      const inputs = { function_name: fn.name, statement_id: PUBLIC_WEBHOOK.publicStatementId };

      await respond("remove_permission", inputs);
      const from = aws().requests.length;
      const again = await respond("remove_permission", inputs);

      expect(again.exitCode).toBe(0);
      expect(again.output).toMatchObject({
        changed: false,
        undo: [],
        previous: { statement: null },
      });
      expect(
        aws()
          .requests.slice(from)
          .map((request) => request.action),
      ).not.toContain("RemovePermission");
    });

    it("update_event_source_mapping disables a trigger (Disabling, then Disabled), and re-enables it", async () => {
      const fn = exposedCopy();

      const disabled = await respond("update_event_source_mapping", {
        uuid: fn.uuid,
        enabled: false,
      });
      skippedMs += 300;
      const during = await inspect("list_event_source_mappings", { function_name: fn.name });
      const enabled = await respond("update_event_source_mapping", {
        uuid: fn.uuid,
        enabled: (disabled.output?.previous as { enabled: boolean } | undefined)?.enabled,
      });

      expect(disabled.exitCode).toBe(0);
      expect(disabled.output).toMatchObject({
        event_source_mapping: { uuid: fn.uuid, state: "Disabling", function_arn: fn.arn },
        changed: true,
        previous: { state: "Enabled", enabled: true },
      });
      expect(during.output?.event_source_mappings).toMatchObject([
        { uuid: fn.uuid, state: "Disabled" },
      ]);
      expect(enabled.output).toMatchObject({
        event_source_mapping: { state: "Enabling" },
        previous: { state: "Disabled", enabled: false },
      });
    });

    it("tag_function marks a quarantine, untag_function lifts it", async () => {
      const fn = exposedCopy();

      const tagged = await respond("tag_function", {
        function_name: fn.name,
        tags: { quarantine: "true", exposure: "contained" },
      });
      const untagged = await respond("untag_function", {
        function_name: fn.name,
        tag_keys: ["quarantine"],
      });
      const after = await inspect("get_function", { function_name: fn.name });

      expect(tagged.exitCode).toBe(0);
      expect(tagged.output).toEqual({
        previous_state_known: true,
        previous_state_error: null,
        function_name: fn.name,
        arn: fn.arn,
        tags: { owner: "web-team", exposure: "contained", quarantine: "true" },
        changed: true,
        previous: { tags: { owner: "web-team", exposure: "public" } },
        undo: [
          {
            action: "untag_function",
            inputs: { function_name: fn.name, tag_keys: ["quarantine"] },
          },
          {
            action: "tag_function",
            inputs: { function_name: fn.name, tags: { exposure: "public" } },
          },
        ],
      });
      expect(untagged.exitCode).toBe(0);
      expect(untagged.output).toMatchObject({
        tags: { owner: "web-team", exposure: "contained" },
        previous: { tags: { owner: "web-team", exposure: "contained", quarantine: "true" } },
      });
      expect(after.output?.tags).toEqual({ owner: "web-team", exposure: "contained" });
    });

    it("delete_function: deleted, with what it was; the function is then not found", async () => {
      const fn = exposedCopy();

      const run = await respond("delete_function", {
        function_name: fn.name,
        confirm_function_name: fn.name,
      });
      const after = await inspect("get_function", { function_name: fn.name });

      expect(run.exitCode).toBe(0);
      expect(run.output).toMatchObject({
        deleted: true,
        qualifier: null,
        previous: {
          function: { name: fn.name, arn: fn.arn },
          tags: { exposure: "public" },
          reserved_concurrent_executions: null,
        },
      });
      expect(after.exitCode).toBe(1);
      expect(after.error?.code).toBe("not_found");
    });
  });

  describe("provision, with the responder's asset", () => {
    const FILE_TOKEN = "platform-file-api-token";
    const stored = new Map<string, Uint8Array>([["zip-6630f1c2a9", handlerZip()]]);
    const fetched: string[] = [];
    let files: LocalServer;

    beforeAll(async () => {
      // Turbine's file API as the connector uses it: GET /files/<id>?token=<IPC_API_TOKEN>.
      files = await startLocalServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const id = /^\/files\/([^/]+)$/.exec(url.pathname)?.[1] ?? "";
        fetched.push(id);
        const bytes = stored.get(id);
        if (url.searchParams.get("token") !== FILE_TOKEN) {
          res.writeHead(401).end();
        } else if (bytes === undefined) {
          res.writeHead(404).end();
        } else {
          res.writeHead(200, { "content-type": "application/zip" }).end(bytes);
        }
      });
    });

    afterAll(async () => {
      await files.close();
    });

    const fileEnv = () => ({ IPC_API_URI: files.url, IPC_API_TOKEN: FILE_TOKEN });
    const ZIP_FILE = { file: "zip-6630f1c2a9", file_name: "handler.zip" };
    const ZIP_SHA256 = createHash("sha256").update(handlerZip()).digest("base64");
    let created = 0;
    const newName = (prefix: string) => {
      created += 1;
      return `${prefix}-${created}`;
    };

    it("create_function from base64 text waits until the function is Active", async () => {
      const name = newName("triage-helper");
      const from = aws().requests.length;

      const run = await runWithClock("create_function", {
        asset: demoResponderAsset(aws().url),
        inputs: {
          function_name: name,
          runtime: "python3.12",
          handler: "app.handler",
          execution_role_arn: DEMO_EXECUTION_ROLE.arn,
          zip_file_base64: HANDLER_ZIP_BASE64,
          tags: { owner: "soc" },
        },
      });

      expect(run.exitCode).toBe(0);
      expect(run.output).toMatchObject({
        function: { name, arn: functionArn(name), runtime: "python3.12", state: "Active" },
        state: "Active",
        active: true,
        waited_seconds: 1,
      });
      expect(
        aws()
          .requests.slice(from)
          .map((request) => request.action)
          .filter((action) => action !== "AssumeRole"),
      ).toEqual(["CreateFunction", "GetFunctionConfiguration"]);
    });

    it("create_function from a Turbine file, fetched from the platform's file API", async () => {
      const name = newName("triage-helper");

      const run = await runWithClock(
        "create_function",
        {
          asset: demoResponderAsset(aws().url),
          inputs: {
            function_name: name,
            runtime: "python3.12",
            handler: "app.handler",
            execution_role_arn: DEMO_EXECUTION_ROLE.arn,
            zip_file: ZIP_FILE,
          },
        },
        fileEnv(),
      );
      const described = await inspect("get_function", { function_name: name });

      expect(run.exitCode).toBe(0);
      expect(run.output).toMatchObject({ state: "Active", active: true });
      expect(fetched).toContain(ZIP_FILE.file);
      expect(described.output?.function).toMatchObject({
        code_size: handlerZip().byteLength,
        code_sha256: ZIP_SHA256,
      });
    });

    it("publish_layer_version from a Turbine file", async () => {
      const layer = newName("triage-libs");

      const run = await runAction(
        "publish_layer_version",
        {
          asset: demoResponderAsset(aws().url),
          inputs: { layer_name: layer, zip_file: ZIP_FILE, compatible_runtimes: ["python3.12"] },
        },
        fileEnv(),
      );

      expect(run.exitCode).toBe(0);
      expect(run.output).toMatchObject({
        layer_name: layer,
        layer_arn: `arn:aws:lambda:${DEMO_REGION}:${ACCOUNT}:layer:${layer}`,
        layer_version: { version_number: 1, compatible_runtimes: ["python3.12"] },
      });
      const published = aws().world.layers?.find((l) => l.name === layer)?.versions[0];
      expect(published?.codeSha256).toBe(ZIP_SHA256);
    });

    it("delete_layer_version: a version published from base64 text, then gone", async () => {
      const layer = newName("triage-libs");
      await respond("publish_layer_version", {
        layer_name: layer,
        zip_file_base64: HANDLER_ZIP_BASE64,
        description: "to delete",
      });

      const run = await respond("delete_layer_version", { layer_name: layer, version_number: 1 });
      const after = await inspect("list_layer_versions", { layer_name: layer });

      expect(run.exitCode).toBe(0);
      expect(run.output).toMatchObject({
        layer_name: layer,
        version_number: 1,
        deleted: true,
        previous: { version_number: 1, description: "to delete" },
      });
      expect(after.output).toMatchObject({ layer_versions: [], count: 0 });
    });
  });

  describe("failures name what to fix", () => {
    it("access denied: the invoker's role may not throttle; the error names the IAM action and the ARN", async () => {
      const run = await inspect("put_function_concurrency", {
        function_name: PUBLIC_WEBHOOK.name,
        reserved_concurrent_executions: 0,
      });

      expect(run.exitCode).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.error).toMatchObject({
        code: "access_denied",
        aws_error_code: "AccessDeniedException",
        http_status: 403,
      });
      expect(run.error?.message).toContain("lambda:PutFunctionConcurrency");
      expect(run.error?.message).toContain(PUBLIC_WEBHOOK.arn);
      expect(run.error?.hint).toContain(DEMO_ROLE.arn);
      expect(
        aws().world.functions.find((fn) => fn.name === PUBLIC_WEBHOOK.name)?.reservedConcurrency,
      ).toBeUndefined();
    });

    it.each([
      {
        action: "get_function",
        inputs: { function_name: "no-such-function" },
        names: "no-such-function",
      },
      {
        action: "update_event_source_mapping",
        inputs: { uuid: "00000000-0000-4000-8000-000000000000", enabled: false },
        names: "00000000-0000-4000-8000-000000000000",
      },
      {
        action: "delete_layer_version",
        inputs: { layer_name: "no-such-layer", version_number: 1 },
        names: "no-such-layer",
      },
    ])("not found: $action names what and the region", async ({ action, inputs, names }) => {
      const run = await respond(action, inputs);

      expect(run.exitCode).toBe(1);
      expect(run.error).toMatchObject({ code: "not_found", http_status: 404 });
      expect(run.error?.message).toContain(names);
      expect(run.error?.message).toContain(DEMO_REGION);
    });

    it("invalid input: delete_function with another confirm_function_name exits 2, sends nothing, deletes nothing", async () => {
      const fn = exposedCopy();
      const from = aws().requests.length;

      const run = await respond("delete_function", {
        function_name: fn.name,
        confirm_function_name: PUBLIC_WEBHOOK.name,
      });
      const sent = aws().requests.length - from;
      const after = await inspect("get_function", { function_name: fn.name });

      expect(run.exitCode).toBe(2);
      expect(run.error).toMatchObject({ code: "invalid_input", field: "confirm_function_name" });
      expect(run.error?.message).toContain("confirm_function_name");
      expect(sent).toBe(0);
      expect(after.exitCode).toBe(0);
      expect(after.output?.function).toMatchObject({ name: fn.name });
    });

    it("invalid input: create_function with two code sources names the second", async () => {
      const run = await respond("create_function", {
        function_name: "two-sources",
        runtime: "python3.12",
        handler: "app.handler",
        execution_role_arn: DEMO_EXECUTION_ROLE.arn,
        zip_file_base64: HANDLER_ZIP_BASE64,
        s3_bucket: "soc-deployments",
        s3_key: "two-sources.zip",
      });

      expect(run.exitCode).toBe(2);
      expect(run.error).toMatchObject({ code: "invalid_input", field: "s3_bucket" });
    });
  });
});

describe("the recorded examples in docs/examples", () => {
  const dir = resolve(import.meta.dirname, "..", "..", "docs", "examples");
  const examples = readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .map((file) => ({
      action: basename(file, ".json"),
      example: JSON.parse(readFileSync(resolve(dir, file), "utf8")) as {
        inputs: unknown;
        output: unknown;
      },
    }));

  it("cover every action", () => {
    expect(examples.map((e) => e.action).sort()).toEqual([...ACTIONS.keys()].sort());
  });

  describe.each(examples)("$action", ({ action, example }) => {
    const definition = ACTIONS.get(action);

    it("has inputs the action's input schema accepts", () => {
      expect(definition && z.safeParse(definition.inputs, example.inputs).error).toBeUndefined();
    });

    it("has an output the action's output schema accepts", () => {
      expect(definition && z.safeParse(definition.output, example.output).error).toBeUndefined();
    });
  });
});

/** The statement ids of a get_policy output. */
function sids(output: Record<string, unknown> | undefined): (string | null)[] {
  return ((output?.statements ?? []) as { sid: string | null }[]).map((s) => s.sid);
}

/** Variables that change where and how the connector connects (as the harness clears them). */
const NETWORK_VARIABLE = /^(https?_proxy|no_proxy|all_proxy|aws_.*|node_extra_ca_certs)$/i;

/**
 * {@link runAction}, except that the run's waits (create_function's polls for Active)
 * move the shared clock instead of sleeping: the endpoint sees the time pass at once.
 */
async function runWithClock(
  action: string,
  document: unknown,
  env: Record<string, string> = {},
): Promise<ActionRun> {
  for (const key of Object.keys(process.env).filter((k) => NETWORK_VARIABLE.test(k))) {
    vi.stubEnv(key, undefined);
  }
  let result: Awaited<ReturnType<typeof runConnector>>;
  try {
    result = await runConnector(action, JSON.stringify(document), {
      env,
      executor: {
        now,
        sleep: async (ms) => {
          skippedMs += ms;
        },
      },
    });
  } finally {
    vi.unstubAllEnvs();
  }
  const { exitCode, stdout, stderr } = result;
  return {
    exitCode,
    stdout,
    stderr,
    output: stdout.startsWith(OUTPUT_PREFIX)
      ? (JSON.parse(stdout.slice(OUTPUT_PREFIX.length)) as Record<string, unknown>)
      : undefined,
    error: parseErrorLine(stderr.trimEnd().split("\n").at(-1) ?? ""),
  };
}
