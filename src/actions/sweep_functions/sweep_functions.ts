import type { z } from "zod";
import { secretAssetKeys } from "../../asset/schema.js";
import type { Executor } from "../../aws/executor.js";
import { ConnectorError } from "../../errors.js";
import { MAX_TEXT_LENGTH, maskSecrets, secretsIn } from "../../redaction.js";
import { defineCustomAction } from "../defineAction.js";
import { listFunctionsAction } from "../list_functions/list_functions.js";
import { type CheckName, SWEEP_CHECKS } from "./checks.js";
import { lambdaInstant, type SweepInputs, sinceInstant, sweepFunctionsInputs } from "./inputs.js";
import { INLINE_FINDINGS, type SweepFinding, sweepFunctionsOutput, type Unread } from "./output.js";
import { SweepPool } from "./pool.js";
import { type AccountRegions, enabledRegions } from "./regions.js";
import { countFindings, rankFindings, storeReport } from "./report.js";

/**
 * Functions listed per ListFunctions walk (two pages); a region with more is walked on
 * from its marker, in a task queued ahead of the checks of the functions just listed, so
 * that a large region's checks start after its first pages instead of its last.
 */
const LIST_CHUNK = 100;
/** A progress line every this many functions checked. */
const PROGRESS_EVERY = 100;

/** sweep_functions: every function of every region and account, judged, ranked and counted. */
export const sweepFunctionsAction = defineCustomAction({
  name: "sweep_functions",
  title: "Sweep Functions",
  description:
    "Check every function of several regions and accounts at once (exposure: who can invoke it and how; security: the posture judge of assess_function_security), rank the findings with the action that closes each, count them by severity, account and region, store the whole report as JSON and CSV files, and list every account, region or function that could not be read.",
  inputs: sweepFunctionsInputs,
  output: sweepFunctionsOutput,
  iamActions: [
    "ec2:DescribeRegions",
    "sts:AssumeRole",
    "lambda:ListFunctions",
    ...new Set(Object.values(SWEEP_CHECKS).flatMap((check) => check.iamActions)),
  ],
  why: "It fans out over accounts, regions and functions through a shared, throttle-aware pool, and runs each function's check (itself declared reads) there.",
  run: sweepFunctions,
});

/** One account to sweep: the asset's own, or one reached by assuming a role. */
interface Account {
  role_arn: string | null;
  /** Known from the role's ARN, or from the first function ARN listed in it. */
  account_id: string | null;
  /** An executor of the account in the asset's region, for DescribeRegions. */
  home: Executor;
  regions: AccountRegions | undefined;
}

/** What a sweep collects while it runs. */
interface Collected {
  findings: Omit<SweepFinding, "rank">[];
  /** Each function with a check done, by ARN: how many of its checks ended. */
  checked: Map<string, { account_id: string; region: string; checks: number }>;
  unread: Unread[];
  /** Work not yet ended, by description: what the deadline leaves unread. */
  pending: Map<number, Omit<Unread, "code" | "message">>;
  listedRegions: number;
  totalRegions: number;
}

/**
 * Runs the sweep: the accounts' regions, then one ListFunctions walk per account and
 * region and one task per function and check, all on one pool with one back-off.
 *
 * @example
 * ```ts
 * const report = await sweepFunctions(sweepFunctionsInputs.parse({ regions: ["us-east-1", "us-west-2"] }), executor);
 * ```
 */
export async function sweepFunctions(
  inputs: SweepInputs,
  executor: Executor,
): Promise<z.input<typeof sweepFunctionsOutput>> {
  const started = executor.now();
  const deadlineAt = started + inputs.timeout_seconds * 1000;
  const since =
    inputs.modified_since === undefined ? undefined : sinceInstant(inputs.modified_since, started);
  const home = executor.asset.region_name;
  // The pool backs off for every call at once, so the SDK's own retries are off here.
  const executors = new Map<string, Executor>();
  const scoped = (region: string, roleArn: string | null) => {
    const key = `${roleArn ?? ""} ${region}`;
    let regional = executors.get(key);
    if (regional === undefined) {
      regional = executor.within({ region, roleArn: roleArn ?? undefined, maxAttempts: 1 });
      executors.set(key, regional);
    }
    return regional;
  };
  const accounts: Account[] = [
    ...(inputs.include_asset_account
      ? [
          {
            role_arn: null,
            account_id: accountOfRole(executor.asset.role_arn),
            home: scoped(home, null),
          },
        ]
      : []),
    ...[...new Set(inputs.role_arns ?? [])].map((roleArn) => ({
      role_arn: roleArn,
      account_id: accountOfRole(roleArn),
      home: scoped(home, roleArn),
    })),
  ].map((account) => ({ ...account, regions: undefined }));
  const collected: Collected = {
    findings: [],
    checked: new Map(),
    unread: [],
    pending: new Map(),
    listedRegions: 0,
    totalRegions: 0,
  };
  const pool = new SweepPool({
    concurrency: inputs.concurrency,
    now: executor.now,
    sleep: executor.sleep,
    deadlineAt,
  });
  let nextId = 0;
  /** Queues work described by `where`; whatever it throws is recorded as unread there. */
  const enqueue = (where: Omit<Unread, "code" | "message">, work: () => Promise<void>) => {
    const id = nextId++;
    // AWS counts its quotas per account and region: the pool backs off and paces each apart.
    const scope = `${where.role_arn ?? ""} ${where.region ?? home}`;
    collected.pending.set(id, where);
    const settle = () => collected.pending.delete(id);
    pool.add(
      async () => {
        await work();
        settle();
      },
      (error) => {
        settle();
        collected.unread.push({ ...where, ...describeError(error) });
      },
      scope,
    );
  };
  const checks = inputs.checks.map((name) => [name, SWEEP_CHECKS[name]] as const);

  for (const account of accounts) {
    enqueue(
      {
        account_id: account.account_id,
        role_arn: account.role_arn,
        region: null,
        function_name: null,
        stage: "regions",
        check: null,
        what: null,
      },
      async () => {
        account.regions =
          inputs.regions === "all"
            ? await enabledRegions(account.home)
            : { regions: inputs.regions ?? [home], source: "inputs", error: null };
        collected.totalRegions += account.regions.regions.length;
        for (const region of account.regions.regions) {
          listRegion(account, region, undefined);
        }
      },
    );
  }

  function listRegion(account: Account, region: string, marker: string | undefined): void {
    const regional = scoped(region, account.role_arn);
    enqueue(
      {
        account_id: account.account_id,
        role_arn: account.role_arn,
        region,
        function_name: null,
        stage: "list_functions",
        check: null,
        what: null,
      },
      async () => {
        const page = await listFunctionsAction.run(
          listFunctionsAction.inputs.parse({
            max_items: LIST_CHUNK,
            ...(marker === undefined ? {} : { marker }),
            ...(inputs.name_contains === undefined ? {} : { name_contains: inputs.name_contains }),
          }),
          regional,
        );
        const functions = page.functions.filter(
          (fn) =>
            since === undefined ||
            (fn.last_modified !== null && lambdaInstant(fn.last_modified) >= since),
        );
        account.account_id ??= accountOfFunction(page.functions[0]?.arn);
        if (page.next_marker !== null) {
          listRegion(account, region, page.next_marker);
        } else {
          collected.listedRegions += 1;
        }
        executor.progress(
          `sweep_functions: ${account.account_id ?? "asset account"} ${region}: ${functions.length} function(s) to check${page.next_marker === null ? "" : " (more to list)"}; ${collected.listedRegions}/${collected.totalRegions} region(s) listed`,
        );
        for (const fn of functions) {
          for (const [name, check] of checks) {
            checkFunction(account, region, regional, fn, name, check.run);
          }
        }
      },
    );
  }

  let done = 0;
  function checkFunction(
    account: Account,
    region: string,
    regional: Executor,
    fn: { name: string; arn: string },
    name: CheckName,
    run: (typeof SWEEP_CHECKS)[CheckName]["run"],
  ): void {
    const accountId = accountOfFunction(fn.arn) ?? account.account_id ?? "";
    const where = {
      account_id: accountId,
      role_arn: account.role_arn,
      region,
      function_name: fn.name,
      stage: "check",
      check: name,
      what: null,
    } as const;
    enqueue(where, async () => {
      const { findings, incomplete } = await run(fn.arn, regional);
      for (const finding of findings) {
        collected.findings.push({
          severity: finding.severity,
          check: name,
          account_id: accountId,
          region,
          function_name: fn.name,
          function_arn: fn.arn,
          kind: finding.kind,
          qualifier: finding.qualifier,
          what: finding.what,
          why: finding.why,
          containment:
            finding.containment === null
              ? null
              : {
                  action: finding.containment.action,
                  inputs: finding.containment.inputs,
                  asset: { region_name: region, role_arn: account.role_arn },
                },
          remedy: finding.remedy,
        });
      }
      // A read the check could not make leaves the function unread there: never clean.
      for (const read of incomplete) {
        collected.unread.push({ ...where, ...read });
      }
      const entry = collected.checked.get(fn.arn) ?? { account_id: accountId, region, checks: 0 };
      entry.checks += incomplete.length === 0 ? 1 : 0;
      collected.checked.set(fn.arn, entry);
      done += 1;
      if (done % PROGRESS_EVERY === 0) {
        executor.progress(
          `sweep_functions: ${done} function check(s) done, ${collected.findings.length} finding(s) so far`,
        );
      }
    });
  }

  await pool.run();
  const timeoutMessage = `The sweep's deadline of ${inputs.timeout_seconds} s passed before this was read.`;
  for (const where of collected.pending.values()) {
    collected.unread.push({
      ...where,
      stage: "deadline",
      code: "request_timeout",
      message: timeoutMessage,
    });
  }
  collected.pending.clear();

  const ranked = rankFindings(collected.findings);
  const fullyChecked = [...collected.checked.values()].filter(
    (entry) => entry.checks === checks.length,
  );
  const counts = countFindings(ranked, fullyChecked);
  // The messages come from AWS and from whatever answered instead: like a failure's, they
  // are masked for every secret of the asset, the environment and the sessions obtained.
  const secrets = [
    ...secretsIn({ asset: executor.asset }, secretAssetKeys(), executor.env),
    ...executor.obtainedSecrets(),
  ];
  const masked = <T extends { message: string }>(entry: T): T => ({
    ...entry,
    message: maskSecrets(entry.message, secrets, MAX_TEXT_LENGTH),
  });
  const unread = collected.unread
    .map(masked)
    .sort(
      (a, b) =>
        (a.account_id ?? "").localeCompare(b.account_id ?? "") ||
        (a.region ?? "").localeCompare(b.region ?? "") ||
        (a.function_name ?? "").localeCompare(b.function_name ?? ""),
    );
  const summary = {
    complete: unread.length === 0,
    checks: inputs.checks,
    accounts: accounts.map((account) => ({
      account_id: account.account_id,
      role_arn: account.role_arn,
      regions: account.regions?.regions ?? [],
      regions_source:
        account.regions?.source ?? (inputs.regions === "all" ? "sdk_partition_data" : "inputs"),
      regions_source_error:
        account.regions?.error === undefined || account.regions.error === null
          ? null
          : masked(account.regions.error),
    })),
    findings_count: ranked.length,
    counts,
    functions_checked: fullyChecked.length,
    unread_targets: unread,
    throttling: {
      retries: pool.stats.throttle_retries,
      given_up: pool.stats.throttle_give_ups,
      narrowest_concurrency: pool.stats.narrowest_concurrency,
    },
    deadline_reached: pool.stats.deadline_reached,
  };
  const stored = await storeReport({ ...summary, findings: ranked }, ranked, {
    env: executor.env,
    limitBytes: inputs.output_limit_bytes,
    stamp: new Date(started).toISOString().replace(/[:.]/g, "-"),
  });
  const report = { ...stored, error: stored.error === null ? null : masked(stored.error) };
  executor.progress(
    `sweep_functions: done: ${summary.functions_checked} function(s) checked, ${ranked.length} finding(s), ${collected.unread.length} unread`,
  );
  return {
    ...summary,
    findings: ranked.slice(0, INLINE_FINDINGS),
    findings_truncated: ranked.length > INLINE_FINDINGS || report.truncated,
    report,
    elapsed_ms: Math.max(0, Math.round(executor.now() - started)),
  };
}

/** The error's code and message as the output prints them; never a secret (the executor's errors carry none). */
function describeError(error: unknown): { code: string; message: string } {
  return error instanceof ConnectorError
    ? { code: error.code, message: error.message }
    : { code: "internal_error", message: error instanceof Error ? error.message : String(error) };
}

function accountOfRole(roleArn: string | undefined | null): string | null {
  return /^arn:[^:]+:iam::(\d{12}):role\//.exec(roleArn ?? "")?.[1] ?? null;
}

function accountOfFunction(arn: string | undefined): string | null {
  return /^arn:[^:]+:lambda:[^:]+:(\d{12}):function:/.exec(arn ?? "")?.[1] ?? null;
}
