import type { z } from "zod";
import { secretAssetKeys } from "../../asset/schema.js";
import type { Executor } from "../../aws/executor.js";
import { ConnectorError } from "../../errors.js";
import { MAX_TEXT_LENGTH, maskSecrets, secretsIn } from "../../redaction.js";
import { defineCustomAction } from "../defineAction.js";
import { listFunctionsAction } from "../list_functions/list_functions.js";
import { type CheckName, SWEEP_CHECKS, sweepShared } from "./checks.js";
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

type Output = z.input<typeof sweepFunctionsOutput>;
type Where = Omit<Unread, "code" | "message">;
type Check = (typeof SWEEP_CHECKS)[CheckName];
type CheckResult = Awaited<ReturnType<Check["run"]>>;
type Masked = <T extends { message: string }>(entry: T) => T;

/**
 * Runs the sweep: the accounts' regions, then one ListFunctions walk per account and
 * region and one task per function and check, all on one pool with one back-off.
 *
 * @example
 * ```ts
 * const report = await sweepFunctions(sweepFunctionsInputs.parse({ regions: ["us-east-1", "us-west-2"] }), executor);
 * ```
 */
export async function sweepFunctions(inputs: SweepInputs, executor: Executor): Promise<Output> {
  const sweep = new Sweep(inputs, executor);
  sweep.queueAccounts();
  await sweep.pool.run();
  return sweep.report();
}

/** One sweep's state: its accounts, pool and what its tasks collected. */
class Sweep {
  readonly pool: SweepPool;
  private readonly started: number;
  private readonly since: number | undefined;
  private readonly home: string;
  private readonly checks: (readonly [CheckName, Check])[];
  private readonly accounts: Account[];
  private readonly executors = new Map<string, Executor>();
  private readonly shared = sweepShared();
  private readonly collected: Collected = {
    findings: [],
    checked: new Map(),
    unread: [],
    pending: new Map(),
    listedRegions: 0,
    totalRegions: 0,
  };
  private nextId = 0;
  private done = 0;

  constructor(
    private readonly inputs: SweepInputs,
    private readonly executor: Executor,
  ) {
    this.started = executor.now();
    this.since =
      inputs.modified_since === undefined
        ? undefined
        : sinceInstant(inputs.modified_since, this.started);
    this.home = executor.asset.region_name;
    this.checks = inputs.checks.map((name) => [name, SWEEP_CHECKS[name]] as const);
    const roles = [
      ...(inputs.include_asset_account ? [null] : []),
      ...new Set(inputs.role_arns ?? []),
    ];
    this.accounts = roles.map((roleArn) => ({
      role_arn: roleArn,
      account_id: accountOfRole(roleArn ?? executor.asset.role_arn),
      home: this.scoped(this.home, roleArn),
      regions: undefined,
    }));
    this.pool = new SweepPool({
      concurrency: inputs.concurrency,
      now: executor.now,
      sleep: executor.sleep,
      deadlineAt: this.started + inputs.timeout_seconds * 1000,
    });
  }

  /** One executor per account and region; the pool backs off for every call at once, so the SDK's own retries are off. */
  private scoped(region: string, roleArn: string | null): Executor {
    const key = `${roleArn ?? ""} ${region}`;
    let regional = this.executors.get(key);
    if (regional === undefined) {
      regional = this.executor.within({ region, roleArn: roleArn ?? undefined, maxAttempts: 1 });
      this.executors.set(key, regional);
    }
    return regional;
  }

  /** Queues work described by `where`; whatever it throws is recorded as unread there. */
  private enqueue(where: Where, work: () => Promise<void>): void {
    const id = this.nextId++;
    // AWS counts its quotas per account and region: the pool backs off and paces each apart.
    const scope = `${where.role_arn ?? ""} ${where.region ?? this.home}`;
    this.collected.pending.set(id, where);
    const settle = () => this.collected.pending.delete(id);
    this.pool.add(
      async () => {
        await work();
        settle();
      },
      (error) => {
        settle();
        this.collected.unread.push({ ...where, ...describeError(error) });
      },
      scope,
    );
  }

  /** Where a task of the account works: a region, a function and a check when it has them. */
  private where(account: Account, at: Partial<Where> & Pick<Where, "stage">): Where {
    return {
      account_id: account.account_id,
      role_arn: account.role_arn,
      region: null,
      function_name: null,
      check: null,
      what: null,
      ...at,
    };
  }

  /** The first tasks: each account's regions, each of which then lists its functions. */
  queueAccounts(): void {
    for (const account of this.accounts) {
      this.enqueue(this.where(account, { stage: "regions" }), async () => {
        account.regions =
          this.inputs.regions === "all"
            ? await enabledRegions(account.home)
            : { regions: this.inputs.regions ?? [this.home], source: "inputs", error: null };
        this.collected.totalRegions += account.regions.regions.length;
        for (const region of account.regions.regions) {
          this.listRegion(account, region, undefined);
        }
      });
    }
  }

  private listRegion(account: Account, region: string, marker: string | undefined): void {
    this.enqueue(this.where(account, { region, stage: "list_functions" }), () =>
      this.listPage(account, region, marker),
    );
  }

  /** One chunk of a region's functions: the rest of the region queued first, then each function's checks. */
  private async listPage(account: Account, region: string, marker: string | undefined) {
    const regional = this.scoped(region, account.role_arn);
    const { name_contains } = this.inputs;
    const page = await listFunctionsAction.run(
      listFunctionsAction.inputs.parse({
        max_items: LIST_CHUNK,
        ...(marker === undefined ? {} : { marker }),
        ...(name_contains === undefined ? {} : { name_contains }),
      }),
      regional,
    );
    const since = this.since;
    const functions = page.functions.filter(
      (fn) =>
        since === undefined ||
        (fn.last_modified !== null && lambdaInstant(fn.last_modified) >= since),
    );
    account.account_id ??= accountOfFunction(page.functions[0]?.arn);
    if (page.next_marker !== null) {
      this.listRegion(account, region, page.next_marker);
    } else {
      this.collected.listedRegions += 1;
    }
    this.executor.progress(
      `sweep_functions: ${account.account_id ?? "asset account"} ${region}: ${functions.length} function(s) to check${page.next_marker === null ? "" : " (more to list)"}; ${this.collected.listedRegions}/${this.collected.totalRegions} region(s) listed`,
    );
    for (const fn of functions) {
      for (const [name, check] of this.checks) {
        this.checkFunction(account, region, regional, fn, name, check);
      }
    }
  }

  private checkFunction(
    account: Account,
    region: string,
    regional: Executor,
    fn: { name: string; arn: string },
    name: CheckName,
    check: Check,
  ): void {
    const accountId = accountOfFunction(fn.arn) ?? account.account_id ?? "";
    const where = {
      ...this.where(account, { function_name: fn.name, stage: "check" }),
      account_id: accountId,
      region,
      check: name,
    };
    this.enqueue(where, async () => {
      const result = await check.run(fn.arn, regional, this.shared);
      this.record(where, account, fn, result);
    });
  }

  /** A check's findings, and every read it could not make as unread there: never clean. */
  private record(
    where: Where & { account_id: string; region: string; check: CheckName },
    account: Account,
    fn: { name: string; arn: string },
    { findings, incomplete }: CheckResult,
  ): void {
    const { account_id, region, check } = where;
    for (const finding of findings) {
      this.collected.findings.push({
        severity: finding.severity,
        check,
        account_id,
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
    for (const read of incomplete) {
      this.collected.unread.push({ ...where, ...read });
    }
    const entry = this.collected.checked.get(fn.arn) ?? { account_id, region, checks: 0 };
    entry.checks += incomplete.length === 0 ? 1 : 0;
    this.collected.checked.set(fn.arn, entry);
    this.done += 1;
    if (this.done % PROGRESS_EVERY === 0) {
      this.executor.progress(
        `sweep_functions: ${this.done} function check(s) done, ${this.collected.findings.length} finding(s) so far`,
      );
    }
  }

  /** After the pool: what the deadline left unread, the ranked findings, counts and the stored report. */
  async report(): Promise<Output> {
    this.markDeadline();
    const ranked = rankFindings(this.collected.findings);
    const fullyChecked = [...this.collected.checked.values()].filter(
      (entry) => entry.checks === this.checks.length,
    );
    const masked = this.masker();
    const unread = this.collected.unread.map(masked).sort(byPlace);
    const { stats } = this.pool;
    const summary = {
      complete: unread.length === 0,
      checks: this.inputs.checks,
      accounts: this.accountSummaries(masked),
      findings_count: ranked.length,
      counts: countFindings(ranked, fullyChecked),
      functions_checked: fullyChecked.length,
      unread_targets: unread,
      throttling: {
        retries: stats.throttle_retries,
        given_up: stats.throttle_give_ups,
        narrowest_concurrency: stats.narrowest_concurrency,
      },
      deadline_reached: stats.deadline_reached,
    };
    const stored = await storeReport({ ...summary, findings: ranked }, ranked, {
      env: this.executor.env,
      limitBytes: this.inputs.output_limit_bytes,
      stamp: new Date(this.started).toISOString().replace(/[:.]/g, "-"),
    });
    const report = { ...stored, error: stored.error === null ? null : masked(stored.error) };
    this.executor.progress(
      `sweep_functions: done: ${summary.functions_checked} function(s) checked, ${ranked.length} finding(s), ${unread.length} unread`,
    );
    return {
      ...summary,
      findings: ranked.slice(0, INLINE_FINDINGS),
      findings_truncated: ranked.length > INLINE_FINDINGS || report.truncated,
      report,
      elapsed_ms: Math.max(0, Math.round(this.executor.now() - this.started)),
    };
  }

  /** Every task the deadline left undone is unread, said so. */
  private markDeadline(): void {
    const message = `The sweep's deadline of ${this.inputs.timeout_seconds} s passed before this was read.`;
    for (const where of this.collected.pending.values()) {
      this.collected.unread.push({ ...where, stage: "deadline", code: "request_timeout", message });
    }
    this.collected.pending.clear();
  }

  /**
   * The messages come from AWS and from whatever answered instead: like a failure's, they
   * are masked for every secret of the asset, the environment and the sessions obtained.
   */
  private masker(): Masked {
    const secrets = [
      ...secretsIn({ asset: this.executor.asset }, secretAssetKeys(), this.executor.env),
      ...this.executor.obtainedSecrets(),
    ];
    return (entry) => ({ ...entry, message: maskSecrets(entry.message, secrets, MAX_TEXT_LENGTH) });
  }

  private accountSummaries(masked: Masked): Output["accounts"] {
    return this.accounts.map((account) => ({
      account_id: account.account_id,
      role_arn: account.role_arn,
      regions: account.regions?.regions ?? [],
      regions_source:
        account.regions?.source ??
        (this.inputs.regions === "all" ? "sdk_partition_data" : "inputs"),
      regions_source_error:
        account.regions?.error === undefined || account.regions.error === null
          ? null
          : masked(account.regions.error),
    }));
  }
}

/** Unread entries by account, region and function. */
function byPlace(a: Where, b: Where): number {
  return (
    (a.account_id ?? "").localeCompare(b.account_id ?? "") ||
    (a.region ?? "").localeCompare(b.region ?? "") ||
    (a.function_name ?? "").localeCompare(b.function_name ?? "")
  );
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
