/**
 * The recover actions on triggers, loop protection and provisioned concurrency, through
 * the entry against the local endpoint: the world's state checked after each change and
 * after the step its undo names.
 */
import { describe, expect, it } from "vitest";
import {
  DEMO_EVENT_SOURCES,
  demoResponderAsset,
  PUBLIC_WEBHOOK,
} from "../../local-aws/defaultWorld.js";
import { runAction, useLocalAws } from "./harness.js";

interface UndoStep {
  action: string;
  inputs: Record<string, unknown>;
}

describe("recover: triggers, loop protection, provisioned concurrency", () => {
  const aws = useLocalAws({ stateTransitionMs: 0 });
  const asset = () => demoResponderAsset(aws().url);
  const run = (action: string, inputs: Record<string, unknown>) =>
    runAction(action, { asset: asset(), inputs });
  const undoOf = (output: Record<string, unknown> | undefined) =>
    ((output?.undo ?? []) as UndoStep[])[0];
  const mapping = (uuid: string) =>
    aws().world.eventSourceMappings?.find((candidate) => candidate.uuid === uuid);

  it("deletes a trigger with its whole mapping, and its undo re-creates it as it was", async () => {
    // Prepare
    const { uuid, eventSourceArn } = DEMO_EVENT_SOURCES.indicatorStream;
    const before = structuredClone(mapping(uuid));

    // Act
    const deleted = await run("delete_event_source_mapping", { uuid });
    const gone = mapping(uuid);
    const again = await run("delete_event_source_mapping", { uuid });
    const undo = undoOf(deleted.output);
    const recreated = await run(undo?.action ?? "", undo?.inputs ?? {});
    const rerun = await run(undo?.action ?? "", undo?.inputs ?? {});

    // Assess
    expect(deleted.error).toBeUndefined();
    expect(deleted.output).toMatchObject({
      uuid,
      changed: true,
      event_source_mapping: { uuid, state: "Deleting", event_source_arn: eventSourceArn },
      previous: { event_source_mapping: { uuid, state: "Enabled", batch_size: 100 } },
      previous_state_known: true,
    });
    expect(undo).toEqual({
      action: "create_event_source_mapping",
      inputs: {
        function_name: "arn:aws:lambda:us-east-1:123456789012:function:enrich-indicator",
        event_source_arn: eventSourceArn,
        enabled: true,
        batch_size: 100,
        maximum_batching_window_in_seconds: 0,
        starting_position: "LATEST",
      },
    });
    expect(gone).toBeUndefined();
    expect(again.output).toMatchObject({ changed: false, event_source_mapping: null, undo: [] });

    expect(recreated.error).toBeUndefined();
    expect(recreated.output).toMatchObject({
      changed: true,
      previous: { event_source_mapping: null },
    });
    const newUuid =
      ((recreated.output?.event_source_mapping ?? {}) as { uuid?: string }).uuid ?? "";
    const { uuid: _old, lastModified: _was, ...kept } = before ?? { uuid: "", lastModified: 0 };
    expect(mapping(newUuid)).toMatchObject(kept);
    expect(undoOf(recreated.output)).toEqual({
      action: "delete_event_source_mapping",
      inputs: { uuid: newUuid },
    });
    expect(rerun.output).toMatchObject({ changed: false, undo: [] });
    expect(
      aws().world.eventSourceMappings?.filter((m) => m.eventSourceArn === eventSourceArn),
    ).toHaveLength(1);
  });

  it("turns loop protection back to Terminate, and its undo allows loops again", async () => {
    // Act
    const read = await run("get_function_recursion_config", { function_name: PUBLIC_WEBHOOK.name });
    const put = await run("put_function_recursion_config", {
      function_name: PUBLIC_WEBHOOK.name,
      recursive_loop: "Terminate",
    });
    const afterPut = aws().world.functions.find(
      (fn) => fn.name === PUBLIC_WEBHOOK.name,
    )?.recursiveLoop;
    const again = await run("put_function_recursion_config", {
      function_name: PUBLIC_WEBHOOK.name,
      recursive_loop: "Terminate",
    });
    const undo = undoOf(put.output);
    await run(undo?.action ?? "", undo?.inputs ?? {});

    // Assess
    expect(read.output).toEqual({ function_name: PUBLIC_WEBHOOK.name, recursive_loop: "Allow" });
    expect(put.output).toMatchObject({
      recursive_loop: "Terminate",
      changed: true,
      previous: { recursive_loop: "Allow" },
    });
    expect(afterPut).toBe("Terminate");
    expect(again.output).toMatchObject({ changed: false, undo: [] });
    expect(undo).toEqual({
      action: "put_function_recursion_config",
      inputs: { function_name: PUBLIC_WEBHOOK.name, recursive_loop: "Allow" },
    });
    expect(aws().world.functions.find((fn) => fn.name === PUBLIC_WEBHOOK.name)?.recursiveLoop).toBe(
      "Allow",
    );
  });

  it("releases an alias's provisioned concurrency, then finds none", async () => {
    // Act
    const live = { function_name: "echo", qualifier: "live" };
    const read = await run("get_provisioned_concurrency_config", live);
    const deleted = await run("delete_provisioned_concurrency_config", live);
    const after = await run("get_provisioned_concurrency_config", live);
    const again = await run("delete_provisioned_concurrency_config", live);
    const latest = await run("get_provisioned_concurrency_config", {
      function_name: "echo",
      qualifier: "$LATEST",
    });

    // Assess
    expect(read.output).toMatchObject({
      provisioned_concurrency: {
        requested_provisioned_concurrent_executions: 5,
        status: "READY",
      },
    });
    expect(deleted.output).toMatchObject({
      changed: true,
      previous: { provisioned_concurrency: { requested_provisioned_concurrent_executions: 5 } },
      undo: [],
    });
    expect(aws().world.functions.find((fn) => fn.name === "echo")?.provisionedConcurrency).toEqual(
      {},
    );
    expect(after.output).toMatchObject({ provisioned_concurrency: null });
    expect(again.output).toMatchObject({
      changed: false,
      previous: { provisioned_concurrency: null },
    });
    expect(latest.exitCode).toBe(2);
    expect(latest.error).toMatchObject({ code: "invalid_input", field: "qualifier" });
  });

  it("lists the running durable executions and stops one, which a re-run leaves alone", async () => {
    // Act
    const listed = await run("list_durable_executions", {
      function_name: "enrich-indicator",
      status: "RUNNING",
    });
    const arn = (
      (listed.output?.durable_executions ?? []) as { durable_execution_arn: string }[]
    )[0]?.durable_execution_arn;
    const stopped = await run("stop_durable_execution", {
      durable_execution_arn: arn,
      reason: "runaway",
    });
    const state = aws().world.durableExecutions?.find((e) => e.name === "enrich-batch")?.status;
    const again = await run("stop_durable_execution", { durable_execution_arn: arn });
    const all = await run("list_durable_executions", { function_name: "enrich-indicator" });

    // Assess
    expect(listed.output).toMatchObject({ count: 1, truncated: false, next_marker: null });
    expect(arn).toBe(
      "arn:aws:lambda:us-east-1:123456789012:function:enrich-indicator:$LATEST/durable-execution/enrich-batch/3f1c9a52-7d4e-4b8a-9e21-5c6d7e8f9a0b",
    );
    expect(stopped.output).toMatchObject({
      changed: true,
      previous: {
        durable_execution: { status: "RUNNING", started_at: "2025-01-02T00:00:00.000Z" },
      },
      undo: [],
    });
    expect(stopped.output?.stopped_at).toMatch(/Z$/);
    expect(state).toBe("STOPPED");
    expect(again.output).toMatchObject({ changed: false, stopped_at: null, undo: [] });
    expect(
      ((all.output?.durable_executions ?? []) as { status: string }[]).map((e) => e.status),
    ).toEqual(["STOPPED", "SUCCEEDED"]);
  });

  it("refuses a change the invoker role may not make, naming the IAM action", async () => {
    // Act
    const refused = await runAction("delete_event_source_mapping", {
      asset: {
        ...demoResponderAsset(aws().url),
        role_arn: "arn:aws:iam::123456789012:role/TurbineLambdaInvoker",
      },
      inputs: { uuid: PUBLIC_WEBHOOK.eventSourceMappingUuid },
    });

    // Assess
    expect(refused.error).toMatchObject({ code: "access_denied" });
    expect(refused.error?.message).toContain("lambda:DeleteEventSourceMapping");
    expect(mapping(PUBLIC_WEBHOOK.eventSourceMappingUuid)).toBeDefined();
  });
});
