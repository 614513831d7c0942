import {
  type FunctionConfiguration,
  LambdaClient,
  ListFunctionsCommand,
  type Runtime,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { listFunctionsAction } from "../../../../src/actions/list_functions/list_functions.js";
import { ACCOUNT_ID, listPage, REGION, useActionRun } from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

function configuration(name: string, runtime = "python3.12"): FunctionConfiguration {
  return {
    FunctionName: name,
    FunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${name}`,
    Runtime: runtime as Runtime,
    Handler: "app.handler",
    LastModified: "2026-11-01T10:00:00.000+0000",
    MemorySize: 128,
    Timeout: 30,
    Role: `arn:aws:iam::${ACCOUNT_ID}:role/${name}-role`,
  };
}

/** A fake ListFunctions over `names`, paging by Marker = index, honouring MaxItems. */
function serve(all: FunctionConfiguration[]): void {
  lambdaMock
    .on(ListFunctionsCommand)
    .callsFake((input: { Marker?: string; MaxItems?: number }) =>
      listPage("Functions", all, input, 50),
    );
}

describe("list_functions", () => {
  const { run } = useActionRun(listFunctionsAction, {
    mock: lambdaMock,
    executorOptions: () => ({}),
  });
  const names = Array.from({ length: 120 }, (_, i) => `fn-${String(i).padStart(3, "0")}`);

  it("collects every page and says the list is complete", async () => {
    serve(names.map((name) => configuration(name)));

    const output = await run({});

    expect(output.count).toBe(120);
    expect(output.functions.map((f) => f.name)).toEqual(names);
    expect(output).toMatchObject({ truncated: false, next_marker: null });
    expect(lambdaMock).toHaveReceivedCommandTimes(ListFunctionsCommand, 3);
    expect(output.functions[0]).toEqual({
      name: "fn-000",
      arn: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:fn-000`,
      runtime: "python3.12",
      handler: "app.handler",
      last_modified: "2026-11-01T10:00:00.000Z",
      state: null,
      memory_size: 128,
      timeout: 30,
      role: `arn:aws:iam::${ACCOUNT_ID}:role/fn-000-role`,
    });
  });

  it("stops at max_items without overshooting, and resumes exactly after the last item", async () => {
    serve(names.map((name) => configuration(name)));

    const first = await run({ max_items: 70 });
    const rest = await run({ max_items: 1000, marker: first.next_marker });

    expect(first).toMatchObject({ count: 70, truncated: true, next_marker: "70" });
    expect(
      lambdaMock.commandCalls(ListFunctionsCommand).map((c) => c.args[0].input.MaxItems),
    ).toEqual([50, 20, 50]);
    expect([...first.functions, ...rest.functions].map((f) => f.name)).toEqual(names);
    expect(rest).toMatchObject({ truncated: false, next_marker: null });
  });

  it("filters by name_contains (case-insensitive) and runtime across pages", async () => {
    serve(
      names.map((name, i) =>
        configuration(
          i % 10 === 0 ? `Enrich-${name}` : name,
          i % 20 === 0 ? "nodejs22.x" : "python3.12",
        ),
      ),
    );

    const output = await run({ name_contains: "enrich", runtime: "nodejs22.x" });

    expect(output.functions.map((f) => f.name)).toEqual(
      names.filter((_, i) => i % 20 === 0).map((name) => `Enrich-${name}`),
    );
    expect(output.truncated).toBe(false);
  });
});

describe("list_functions modified_since", () => {
  const NOW = Date.parse("2026-11-03T10:00:00Z");
  const { run } = useActionRun(listFunctionsAction, {
    mock: lambdaMock,
    executorOptions: () => ({ now: () => NOW }),
  });
  /** Functions changed 1 hour, 30 hours, 3 days and 10 days before NOW, listed oldest first. */
  const changed = [
    ["ten-days", "2026-10-24T10:00:00.000+0000"],
    ["three-days", "2026-10-31T10:00:00.000+0000"],
    ["one-hour", "2026-11-03T09:00:00.000+0000"],
    ["thirty-hours", "2026-11-02T04:00:00.000+0000"],
  ].map(([name, at]) => ({ ...configuration(name ?? ""), LastModified: at }));

  it.each([
    ["24h", ["one-hour"], "2026-11-02T10:00:00.000Z"],
    ["2d", ["one-hour", "thirty-hours"], "2026-11-01T10:00:00.000Z"],
    ["7d", ["one-hour", "thirty-hours", "three-days"], "2026-10-27T10:00:00.000Z"],
    ["90m", ["one-hour"], "2026-11-03T08:30:00.000Z"],
    [
      "2026-10-31T10:00:00Z",
      ["one-hour", "thirty-hours", "three-days"],
      "2026-10-31T10:00:00.000Z",
    ],
    ["2026-10-31", ["one-hour", "thirty-hours", "three-days"], "2026-10-31T00:00:00.000Z"],
  ])("%s keeps only what changed since then, newest first", async (since, names, cutoff) => {
    serve(changed);

    const output = await run({ modified_since: since });

    expect(output.functions.map((f) => f.name)).toEqual(names);
    expect(output).toMatchObject({ count: names.length, modified_since: cutoff });
  });

  it("keeps AWS's order and says null without modified_since", async () => {
    serve(changed);

    const output = await run({});

    expect(output.functions.map((f) => f.name)).toEqual(changed.map((f) => f.FunctionName));
    expect(output.modified_since).toBeNull();
  });

  it.each(["yesterday", "24", "0h", "-1d", "24 h", "3651d", "2026-13-45", "2026-10-31T25:00:00Z"])(
    "refuses %j, naming the forms it takes",
    (since) => {
      const parsed = listFunctionsAction.inputs.safeParse({ modified_since: since });

      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toContain("ISO 8601 time");
      expect(parsed.error?.issues[0]?.path).toEqual(["modified_since"]);
    },
  );
});
