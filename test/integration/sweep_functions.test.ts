/**
 * sweep_functions over real HTTP against the local endpoint, through the connector as
 * Turbine runs it (in-process): two accounts (the second by AssumeRole, chained from the
 * asset's own role), four regions, a region a service control policy denies, a throttled
 * region, and the whole sweep's deadline.
 */
import { describe, expect, it } from "vitest";
import {
  DEMO_ACCOUNT_ID,
  DEMO_FUNCTION_ROLES,
  DEMO_ROLE,
  DEMO_USER,
  demoAsset,
  PUBLIC_WEBHOOK,
} from "../../local-aws/defaultWorld.js";
import type { LocalAws } from "../../local-aws/LocalAws.js";
import {
  AUDIT_ACCOUNT_ID,
  AUDIT_PUBLIC_FUNCTION,
  AUDIT_ROLE,
  SWEEP_REGIONS,
  sweepWorld,
} from "../../local-aws/sweepWorld.js";
import type { ExecutorOptions } from "../../src/aws/executor.js";
import { runConnector } from "../../src/runConnector.js";
import { OUTPUT_PREFIX, parseErrorLine } from "../../src/turbine/contract.js";
import { manualClock } from "../fixtures.js";
import { useLocalAws } from "./harness.js";

interface Unread {
  account_id: string | null;
  role_arn: string | null;
  region: string | null;
  function_name: string | null;
  stage: string;
  check: string | null;
  what: string | null;
  code: string;
  message: string;
}

interface Finding {
  rank: number;
  severity: string;
  check: string;
  kind: string;
  account_id: string;
  region: string;
  function_name: string;
  containment: {
    action: string;
    inputs: Record<string, unknown>;
    asset: { region_name: string; role_arn: string | null };
  } | null;
  remedy: string | null;
}

/** One sweep through the connector, its progress lines kept apart from its output. */
async function sweep(
  aws: LocalAws,
  inputs: Record<string, unknown>,
  executor: ExecutorOptions = {},
) {
  const progress: string[] = [];
  const result = await runConnector(
    "sweep_functions",
    JSON.stringify({ asset: demoAsset(aws.url), inputs }),
    { env: {}, executor: { progress: (line) => progress.push(line), ...executor } },
  );
  const output = result.stdout.startsWith(OUTPUT_PREFIX)
    ? (JSON.parse(result.stdout.slice(OUTPUT_PREFIX.length)) as Record<string, unknown>)
    : undefined;
  return {
    ...result,
    progress,
    error: parseErrorLine(result.stderr.trimEnd().split("\n").at(-1) ?? ""),
    output,
    findings: (output?.findings ?? []) as Finding[],
    unread: (output?.unread_targets ?? []) as Unread[],
  };
}

describe("sweep_functions over two accounts and four regions", () => {
  const aws = useLocalAws({ world: sweepWorld({ functionsPerRegion: 3, describeRegions: true }) });

  it("finds the exposed functions of both accounts, every region of each enabled one, with one AssumeRole per account", async () => {
    const assumedBefore = aws().assumeRoleCount();
    const from = aws().requests.length;

    const run = await sweep(aws(), { regions: "all", role_arns: [AUDIT_ROLE.arn] });

    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({
      complete: true,
      unread_targets: [],
      deadline_reached: false,
    });
    expect(run.output?.accounts).toEqual([
      {
        account_id: DEMO_ACCOUNT_ID,
        role_arn: null,
        regions: [...SWEEP_REGIONS].sort(),
        regions_source: "ec2:DescribeRegions",
        regions_source_error: null,
      },
      {
        account_id: AUDIT_ACCOUNT_ID,
        role_arn: AUDIT_ROLE.arn,
        regions: [...SWEEP_REGIONS].sort(),
        regions_source: "ec2:DescribeRegions",
        regions_source_error: null,
      },
    ]);
    // The asset's role, then the audit role assumed by that role's session: role chaining.
    expect(aws().assumeRoleCount() - assumedBefore).toBe(2);
    const assumed = aws()
      .requests.slice(from)
      .filter((request) => request.action === "AssumeRole");
    expect(assumed.map((request) => request.principalArn)).toEqual([
      DEMO_USER.arn,
      expect.stringMatching(`^arn:aws:sts::${DEMO_ACCOUNT_ID}:assumed-role/${DEMO_ROLE.name}/`),
    ]);
    const listed = aws()
      .requests.slice(from)
      .filter((request) => request.action === "ListFunctions");
    expect(new Set(listed.map((request) => request.region))).toEqual(new Set(SWEEP_REGIONS));

    const high = run.findings.filter((finding) => finding.severity === "high");
    expect(
      high.map((finding) => [finding.account_id, finding.region, finding.function_name]),
    ).toEqual(
      expect.arrayContaining([
        [DEMO_ACCOUNT_ID, "us-east-1", PUBLIC_WEBHOOK.name],
        [AUDIT_ACCOUNT_ID, AUDIT_PUBLIC_FUNCTION.region, AUDIT_PUBLIC_FUNCTION.name],
      ]),
    );
    expect(run.findings.map((finding) => finding.rank)).toEqual(
      run.findings.map((_, index) => index + 1),
    );
    const intake = high.find((finding) => finding.function_name === AUDIT_PUBLIC_FUNCTION.name);
    expect(intake?.containment).toEqual({
      action: "remove_permission",
      inputs: {
        function_name: AUDIT_PUBLIC_FUNCTION.arn,
        statement_id: AUDIT_PUBLIC_FUNCTION.statementId,
      },
      asset: { region_name: AUDIT_PUBLIC_FUNCTION.region, role_arn: AUDIT_ROLE.arn },
    });
    const counts = run.output?.counts as {
      by_severity: Record<string, number>;
      accounts: { account_id: string; functions: number }[];
      regions: { region: string }[];
    };
    expect(counts.by_severity.high).toBe(high.length);
    expect(counts.accounts.map((row) => row.account_id)).toEqual([
      DEMO_ACCOUNT_ID,
      AUDIT_ACCOUNT_ID,
    ]);
    expect(counts.regions.map((row) => row.region)).toEqual([...SWEEP_REGIONS].sort());
    expect(run.output?.functions_checked).toBe(
      aws().world.functions.length + (aws().world.accounts?.[0]?.functions.length ?? 0),
    );
    // Without the platform's file API the report is inline, and says so.
    expect(run.output?.report).toMatchObject({
      file_api: false,
      json: null,
      csv: null,
      truncated: false,
    });

    // Progress goes to its own stream, one line per region; standard output holds only the result.
    expect(run.stdout.split("\n").filter((line) => line !== "")).toHaveLength(1);
    expect(run.progress.filter((line) => line.includes("function(s) to check"))).toHaveLength(8);
    const secrets = [DEMO_USER.secretAccessKey, DEMO_ROLE.externalId];
    for (const secret of secrets) {
      expect(run.stdout).not.toContain(secret);
      expect(run.progress.join("\n")).not.toContain(secret);
    }
  });

  it("lists a region a service control policy denies as unread, and still sweeps the others", async () => {
    aws().world.deniedRegions = ["us-west-2"];
    try {
      const run = await sweep(aws(), { regions: [...SWEEP_REGIONS], name_contains: "sweep" });

      expect(run.exitCode).toBe(0);
      expect(run.output?.complete).toBe(false);
      expect(run.unread).toEqual([
        {
          account_id: DEMO_ACCOUNT_ID,
          role_arn: null,
          region: "us-west-2",
          function_name: null,
          stage: "list_functions",
          check: null,
          what: null,
          code: "access_denied",
          message: expect.stringContaining("explicit deny in a service control policy"),
        },
      ]);
      expect(run.output?.functions_checked).toBe(9);
    } finally {
      aws().world.deniedRegions = [];
    }
  });

  it("masks the asset's secrets in what it reports unread, whatever the answer echoed", async () => {
    // Three failures: the first try and both of its retries.
    aws().faults.failNext(3, 500, {
      operation: "ListFunctions",
      message: `upstream saw key ${DEMO_USER.secretAccessKey} and id ${DEMO_ROLE.externalId}`,
    });

    const run = await sweep(aws(), { regions: ["eu-west-1"], name_contains: "sweep" });

    expect(run.output?.complete).toBe(false);
    expect(run.unread).toHaveLength(1);
    expect(run.unread[0]?.message).toContain("upstream saw key *** and id ***");
    expect(run.stdout).not.toContain(DEMO_USER.secretAccessKey);
    expect(run.stdout).not.toContain(DEMO_ROLE.externalId);
  });

  it("sends a read that failed on the way again, so one 503 leaves no gap", async () => {
    aws().faults.failNext(1, 503, { operation: "GetFunction" });

    const run = await sweep(aws(), { regions: ["eu-west-1"], name_contains: "sweep" });

    expect(run.output).toMatchObject({ complete: true, unread_targets: [], functions_checked: 3 });
  });

  it("lists an account whose role cannot be assumed as unread, region by region, and still sweeps the asset's", async () => {
    const missing = `arn:aws:iam::${AUDIT_ACCOUNT_ID}:role/NoSuchRole`;

    const run = await sweep(aws(), {
      regions: ["us-east-1", "eu-west-1"],
      role_arns: [missing],
      name_contains: "webhook",
    });

    expect(run.exitCode).toBe(0);
    expect(run.output?.complete).toBe(false);
    expect(run.unread.map((entry) => [entry.role_arn, entry.region, entry.code])).toEqual([
      [missing, "eu-west-1", "assume_role_failed"],
      [missing, "us-east-1", "assume_role_failed"],
    ]);
    expect(run.findings.some((finding) => finding.function_name === PUBLIC_WEBHOOK.name)).toBe(
      true,
    );
  });

  it("sweeps only the roles' accounts when include_asset_account is false", async () => {
    const from = aws().requests.length;

    const run = await sweep(aws(), {
      regions: "all",
      include_asset_account: false,
      role_arns: [AUDIT_ROLE.arn],
      name_contains: "intake",
    });

    expect(run.output?.accounts).toMatchObject([
      { account_id: AUDIT_ACCOUNT_ID, regions_source: "ec2:DescribeRegions" },
    ]);
    expect(run.findings.map((finding) => finding.account_id)).toEqual([AUDIT_ACCOUNT_ID]);
    const lambdaCallers = aws()
      .requests.slice(from)
      .filter((request) => request.service === "lambda")
      .map((request) => request.principalArn);
    expect(lambdaCallers.every((arn) => arn?.includes(`:assumed-role/${AUDIT_ROLE.name}/`))).toBe(
      true,
    );
  });
});

describe("sweep_functions when EC2 DescribeRegions is denied", () => {
  const aws = useLocalAws({ world: sweepWorld() });

  it("falls back to the SDK's partition data, names the refusal, and sweeps every region of it", async () => {
    const run = await sweep(aws(), { regions: "all", name_contains: "webhook" });

    expect(run.exitCode).toBe(0);
    const [account] = (run.output?.accounts ?? []) as {
      regions: string[];
      regions_source: string;
      regions_source_error: { code: string; message: string } | null;
    }[];
    expect(account?.regions_source).toBe("sdk_partition_data");
    expect(account?.regions_source_error?.message).toContain("DescribeRegions");
    expect(account?.regions).toEqual(expect.arrayContaining([...SWEEP_REGIONS]));
    expect(account?.regions.length).toBeGreaterThan(20);
    expect(run.output?.complete).toBe(true);
    expect(run.findings[0]?.function_name).toBe(PUBLIC_WEBHOOK.name);
  });
});

describe("sweep_functions in a throttled region", () => {
  // One clock for the endpoint's rate limit and the connector's back-off: the pool's
  // pauses move it, so the limit refills without anything really waiting.
  const clock = manualClock(Date.now());
  const aws = useLocalAws({
    world: sweepWorld({ functionsPerRegion: 12 }),
    now: clock.now,
    rateLimit: { requestsPerSecond: 2, burst: 4, regions: ["us-west-2"] },
  });
  const time = {
    now: clock.now,
    sleep: async (ms: number) => clock.advance(ms),
  };

  it("backs off for every task of the throttled region and completes, each call there sent again after the pause", async () => {
    const from = aws().requests.length;

    const run = await sweep(
      aws(),
      { regions: ["us-east-1", "us-west-2"], name_contains: "sweep" },
      time,
    );

    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({ complete: true, unread_targets: [], functions_checked: 24 });
    const throttling = run.output?.throttling as {
      retries: number;
      given_up: number;
      narrowest_concurrency: number;
    };
    const refused = aws()
      .requests.slice(from)
      .filter((request) => request.errorCode === "TooManyRequestsException");
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused.map((request) => request.region))).toEqual(new Set(["us-west-2"]));
    // A function's check sends three reads at once: one back-off may answer two 429s.
    expect(throttling.retries).toBeGreaterThan(0);
    expect(throttling.retries).toBeLessThanOrEqual(refused.length);
    expect(throttling.given_up).toBe(0);
    expect(throttling.narrowest_concurrency).toBeLessThan(16);
  });

  it("lists what stays throttled after every back-off as unread, with the throttling error", async () => {
    // The connector's clock moves, the endpoint's does not: the limit never refills.
    const frozen = manualClock(clock.now());
    const stuck = { now: frozen.now, sleep: async (ms: number) => frozen.advance(ms) };
    const before = clock.now();

    const run = await sweep(
      aws(),
      { regions: ["us-west-2"], name_contains: "sweep-us-west-2-001" },
      stuck,
    );

    expect(clock.now()).toBe(before);
    expect(run.exitCode).toBe(0);
    expect(run.output?.complete).toBe(false);
    expect(run.unread.length).toBeGreaterThan(0);
    expect(
      run.unread.every((entry) => entry.code === "throttled" && entry.region === "us-west-2"),
    ).toBe(true);
  });
});

describe("sweep_functions at its deadline", () => {
  const aws = useLocalAws({ world: sweepWorld({ functionsPerRegion: 4 }) });

  it("returns what it read by the deadline and lists the rest as unread, never a silent gap", async () => {
    // Every function's first read answers after the sweep's deadline of 1 s.
    aws().faults.delayNext(100, 3000, { operation: "GetFunction" });
    try {
      const run = await sweep(aws(), {
        regions: ["us-west-2", "eu-west-1"],
        name_contains: "sweep",
        timeout_seconds: 1,
      });

      expect(run.exitCode).toBe(0);
      expect(run.output).toMatchObject({
        complete: false,
        deadline_reached: true,
        functions_checked: 0,
      });
      expect(run.unread).toHaveLength(8);
      expect(
        run.unread.every((entry) => entry.stage === "deadline" && entry.code === "request_timeout"),
      ).toBe(true);
      expect(run.unread.map((entry) => entry.function_name)).toContain("sweep-eu-west-1-001");
    } finally {
      aws().faults.clear();
    }
  });
});

describe("sweep_functions with the security check", () => {
  // Four functions of the demo account: public-webhook (open to anyone), admin-only
  // (AdministratorAccess on its role), echo (versions and aliases), and enrich-indicator,
  // whose execution role IAM refuses to show the sweep.
  const aws = useLocalAws({ world: sweepWorld({ securityReads: true }) });
  const kept = ["public-webhook", "admin-only", "echo", "enrich-indicator"];
  const unreadableRole = DEMO_FUNCTION_ROLES["enrich-indicator"] ?? "";

  it("ranks the posture findings with their containment, and leaves the function whose role IAM denies incomplete, never clean", async () => {
    const world = aws().world;
    world.functions = world.functions.filter((fn) => kept.includes(fn.name));
    const invoker = world.roles.find((role) => role.name === DEMO_ROLE.name);
    invoker?.policy.push({ effect: "Deny", actions: ["iam:*"], resources: [unreadableRole] });
    const from = aws().requests.length;

    const run = await sweep(aws(), { regions: ["us-east-1"], checks: ["security"] });

    expect(run.exitCode).toBe(0);
    expect(run.output).toMatchObject({ checks: ["security"], complete: false });
    // Every read of the role that IAM refused is listed, for that function and check only.
    expect(run.unread.length).toBeGreaterThan(0);
    for (const entry of run.unread) {
      expect(entry).toMatchObject({
        account_id: DEMO_ACCOUNT_ID,
        region: "us-east-1",
        function_name: "enrich-indicator",
        stage: "check",
        check: "security",
        code: "access_denied",
      });
      expect(entry.what).toMatch(/^execution_role: .*role enrich-indicator-role/);
    }
    const iamRefused = aws()
      .requests.slice(from)
      .filter((request) => request.service === "iam" && request.status === 403);
    expect(iamRefused.length).toBe(run.unread.length);
    // Only the functions whose every read was made count as checked.
    expect(run.output?.functions_checked).toBe(3);

    const admin = run.findings.find(
      (finding) => finding.function_name === "admin-only" && finding.kind === "role_policy",
    );
    expect(admin).toMatchObject({
      severity: "high",
      check: "security",
      containment: {
        action: "put_function_concurrency",
        inputs: {
          function_name: `arn:aws:lambda:us-east-1:${DEMO_ACCOUNT_ID}:function:admin-only`,
          reserved_concurrent_executions: 0,
        },
        asset: { region_name: "us-east-1", role_arn: null },
      },
    });
    const webhook = run.findings.filter((finding) => finding.function_name === PUBLIC_WEBHOOK.name);
    expect(webhook).toContainEqual(
      expect.objectContaining({
        severity: "high",
        kind: "resource_policy",
        containment: expect.objectContaining({ action: "remove_permission" }),
      }),
    );
    // recursion Allow: a finding no connector action closes, with what to do instead.
    expect(webhook).toContainEqual(
      expect.objectContaining({
        kind: "recursion_allowed",
        containment: null,
        remedy: expect.stringContaining("Terminate"),
      }),
    );
    // Ranked: every high before any medium before any info, ranks 1, 2, 3, ….
    const order = ["critical", "high", "medium", "low", "info"];
    const severities = run.findings.map((finding) => order.indexOf(finding.severity));
    expect(severities).toEqual([...severities].sort((a, b) => a - b));
    expect(run.findings.map((finding) => finding.rank)).toEqual(
      run.findings.map((_, index) => index + 1),
    );
    expect(run.findings.some((finding) => finding.kind === "could_not_check")).toBe(false);
    const counts = run.output?.counts as { by_severity: Record<string, number> };
    expect(counts.by_severity.high).toBe(
      run.findings.filter((finding) => finding.severity === "high").length,
    );
  });

  it("reads an execution role that several functions share from IAM once per sweep, and judges it for each", async () => {
    const world = aws().world;
    const shared = DEMO_FUNCTION_ROLES["admin-only"] ?? "";
    world.functions = world.functions.filter((fn) => kept.includes(fn.name));
    for (const fn of world.functions) {
      fn.role = shared;
    }
    const from = aws().requests.length;

    const run = await sweep(aws(), { regions: ["us-east-1"], checks: ["security"] });

    expect(run.output).toMatchObject({ complete: true, functions_checked: kept.length });
    const listed = aws()
      .requests.slice(from)
      .filter(
        (request) => request.service === "iam" && request.action === "ListAttachedRolePolicies",
      );
    expect(listed).toHaveLength(1);
    const judged = run.findings.filter((finding) => finding.kind === "role_policy");
    expect(new Set(judged.map((finding) => finding.function_name))).toEqual(new Set(kept));
  });

  it("sends a check whose read AWS throttled or failed on the way again, instead of reporting a gap", async () => {
    aws().faults.throttleNext(1, { operation: "GetFunctionRecursionConfig", retryAfterSeconds: 0 });
    aws().faults.failNext(1, 503, { operation: "ListFunctionEventInvokeConfigs" });
    const from = aws().requests.length;

    const run = await sweep(aws(), {
      regions: ["us-east-1"],
      checks: ["security"],
      name_contains: "admin-only",
    });

    const refused = aws()
      .requests.slice(from)
      .filter((request) => request.status === 429 || request.status === 503);
    expect(refused.map((request) => request.action).sort()).toEqual([
      "GetFunctionRecursionConfig",
      "ListFunctionEventInvokeConfigs",
    ]);
    expect(run.output).toMatchObject({
      complete: true,
      unread_targets: [],
      functions_checked: 1,
      throttling: { retries: 1 },
    });
  });
});
