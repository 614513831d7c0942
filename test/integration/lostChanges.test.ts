/**
 * Changes whose answer is lost after they took effect, and changes made by a role that
 * may change but not read, through the entry against the local AWS endpoint. The
 * endpoint's reset fault strikes after the change was applied (the world changed), as a
 * dropped connection after AWS acted would.
 */
import { describe, expect, it } from "vitest";
import { DEMO_REGION, PUBLIC_WEBHOOK } from "../../local-aws/defaultWorld.js";
import type { FunctionDefinition } from "../../local-aws/World.js";
import { DEMO, demoRuns, runAction, useLocalAws, webhookTemplate } from "./harness.js";

/** Keys of a user who may contain (change) but not read what it changes. */
const CONTAIN_ONLY = {
  name: "contain-only",
  accessKeyId: "AKIACONTAINONLY00001",
  secretAccessKey: "containOnlySecretKey0000000000000000000001",
};

describe("a change whose answer was lost, and a change without the read", () => {
  const aws = useLocalAws({ stateTransitionMs: 0 });
  const { inspect, respond } = demoRuns(aws);

  let made = 0;

  /** A fresh copy of the public webhook: a public statement, a public URL, 5 reserved. */
  function exposedCopy(): string {
    made += 1;
    const name = `lost-${made}`;
    const arn = `arn:aws:lambda:${DEMO_REGION}:${DEMO.account}:function:${name}`;
    const template = webhookTemplate();
    const copy: FunctionDefinition = {
      ...template,
      name,
      reservedConcurrency: 5,
      policies: {
        "": (template.policies?.[""] ?? []).map((statement) => ({ ...statement, Resource: arn })),
      },
    };
    aws().world.functions.push(copy);
    return name;
  }

  describe("the answer is reset after the change took effect", () => {
    it.each([
      {
        action: "remove_permission",
        operation: "RemovePermission" as const,
        inputs: (name: string) => ({ function_name: name, statement_id: "public-invoke" }),
        previous: { statement: { sid: "public-invoke", principal: "*" } },
        checkWith: "get_policy",
      },
      {
        action: "delete_function_url_config",
        operation: "DeleteFunctionUrlConfig" as const,
        inputs: (name: string) => ({ function_name: name }),
        previous: { configured: true, auth_type: "NONE" },
        checkWith: "get_function_url_config",
      },
      {
        action: "add_permission",
        operation: "AddPermission" as const,
        inputs: (name: string) => ({
          function_name: name,
          statement_id: "partner",
          principal: "210987654321",
        }),
        previous: { revision_id: expect.any(String), statement: null },
        checkWith: "get_policy",
      },
      {
        action: "delete_function",
        operation: "DeleteFunction" as const,
        inputs: (name: string) => ({ function_name: name, confirm_function_name: name }),
        previous: { function: { state: "Active" }, reserved_concurrent_executions: 5 },
        checkWith: "get_function",
      },
      {
        // Idempotent, so retried: every attempt loses its answer.
        action: "put_function_concurrency",
        operation: "PutFunctionConcurrency" as const,
        inputs: (name: string) => ({ function_name: name, reserved_concurrent_executions: 0 }),
        previous: { reserved_concurrent_executions: 5 },
        checkWith: "get_function",
        resets: 3,
      },
    ])(
      "$action says it may have changed, carries the state before, and asks to check with $checkWith",
      async ({ action, operation, inputs, previous, checkWith, resets }) => {
        const name = exposedCopy();
        aws().faults.resetNext(resets ?? 1, "after", { operation });

        const run = await respond(action, inputs(name));

        expect(run.exitCode).toBe(1);
        expect(run.error).toMatchObject({ may_have_changed: true, previous });
        expect(run.error?.message).toContain("may have taken effect, but its answer was lost");
        expect(run.error?.hint).toContain(`Check with ${checkWith}`);
        expect(run.error?.hint).not.toMatch(/DNS|firewall|again later/);
      },
    );

    it("keeps the first read when an idempotent change is re-sent after its answer was lost", async () => {
      const name = exposedCopy();
      aws().faults.resetNext(1, "after", { operation: "PutFunctionConcurrency" });

      const run = await respond("put_function_concurrency", {
        function_name: name,
        reserved_concurrent_executions: 0,
      });

      expect(run.exitCode).toBe(0);
      expect(run.output).toMatchObject({
        reserved_concurrent_executions: 0,
        previous: { reserved_concurrent_executions: 5 },
        undo: [
          {
            action: "put_function_concurrency",
            inputs: { function_name: name, reserved_concurrent_executions: 5 },
          },
        ],
      });
    });

    it("a re-run after the lost answer succeeds with changed: false", async () => {
      const name = exposedCopy();
      const inputs = { function_name: name, statement_id: "public-invoke" };
      aws().faults.resetNext(1, "after", { operation: "RemovePermission" });

      const lost = await respond("remove_permission", inputs);
      const again = await respond("remove_permission", inputs);

      expect(lost.error?.may_have_changed).toBe(true);
      expect(again.exitCode).toBe(0);
      expect(again.output).toMatchObject({ changed: false });
    });

    it("a 503 to DeleteFunction does not say to run it again later", async () => {
      const name = exposedCopy();
      aws().faults.failNext(1, 503, { operation: "DeleteFunction" });

      const run = await respond("delete_function", {
        function_name: name,
        confirm_function_name: name,
      });

      expect(run.error).toMatchObject({ http_status: 503, may_have_changed: true });
      expect(run.error?.hint).toContain("Check with get_function");
      expect(run.error?.hint).not.toContain("again later");
    });

    it("a change refused before it ran does not say it may have changed", async () => {
      const name = exposedCopy();
      aws().faults.throttleNext(3, { operation: "RemovePermission", retryAfterSeconds: 0 });

      const run = await respond("remove_permission", {
        function_name: name,
        statement_id: "public-invoke",
      });

      expect(run.error?.code).toBe("throttled");
      expect(run.error?.may_have_changed).toBeUndefined();
      expect(run.error?.previous).toBeUndefined();
    });
  });

  describe("a role that may contain but not read", () => {
    const containOnlyAsset = () => ({
      access_key: CONTAIN_ONLY.accessKeyId,
      secret_key: CONTAIN_ONLY.secretAccessKey,
      region_name: DEMO_REGION,
      endpoint_url: aws().url,
      sts_endpoint_url: aws().url,
    });

    function allowContainOnly(): void {
      if (aws().world.users.some((user) => user.name === CONTAIN_ONLY.name)) {
        return;
      }
      aws().world.users.push({
        ...CONTAIN_ONLY,
        policy: [
          {
            effect: "Allow",
            actions: ["lambda:PutFunctionConcurrency", "lambda:RemovePermission"],
            resources: [`arn:aws:lambda:*:${DEMO.account}:function:*`],
          },
        ],
      });
    }

    it.each([
      {
        action: "put_function_concurrency",
        inputs: (name: string) => ({ function_name: name, reserved_concurrent_executions: 0 }),
        check: async (name: string) =>
          (await inspect("get_function", { function_name: name })).output
            ?.reserved_concurrent_executions,
        contained: 0,
      },
      {
        action: "remove_permission",
        inputs: (name: string) => ({ function_name: name, statement_id: "public-invoke" }),
        check: async (name: string) =>
          (
            ((await inspect("get_policy", { function_name: name })).output?.statements ?? []) as {
              sid: string;
            }[]
          ).map((statement) => statement.sid),
        contained: [PUBLIC_WEBHOOK.urlStatementId],
      },
    ])(
      "$action contains anyway, saying the state before is unknown and why",
      async ({ action, inputs, check, contained }) => {
        allowContainOnly();
        const name = exposedCopy();

        const run = await runAction(action, { asset: containOnlyAsset(), inputs: inputs(name) });

        expect(run.error).toBeUndefined();
        expect(run.output).toMatchObject({
          changed: true,
          previous: null,
          previous_state_known: false,
          previous_state_error: { code: "access_denied" },
        });
        expect(await check(name)).toEqual(contained);
      },
    );

    it("with require_previous_state it fails and changes nothing", async () => {
      allowContainOnly();
      const name = exposedCopy();

      const run = await runAction("put_function_concurrency", {
        asset: containOnlyAsset(),
        inputs: {
          function_name: name,
          reserved_concurrent_executions: 0,
          require_previous_state: true,
        },
      });
      const after = await inspect("get_function", { function_name: name });

      expect(run.error?.code).toBe("access_denied");
      expect(run.error?.message).toContain("lambda:GetFunctionConcurrency");
      expect(after.output?.reserved_concurrent_executions).toBe(5);
    });
  });
});
