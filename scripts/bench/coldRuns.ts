import { join } from "node:path";
import { ENTRY_PATH } from "../lib/runEntryProcess.js";
import type { ReleaseBuild } from "./previousRelease.js";
import { cleanEnvironment, type ProcessSpec, runTimed, type TimedRun } from "./runTimed.js";

/** Who runs in the cold-start comparison. */
export type ColdKey = "connector" | "previous" | "raw-sdk" | "boto3" | "floor";

/** One contender of the cold-start comparison: a whole process, start to finish. */
export interface ColdContender {
  key: ColdKey;
  /** What it is, for the table. */
  label: string;
  /** How to start it; undefined when it is skipped. */
  spec: ProcessSpec | undefined;
  /** Why it is skipped. */
  skipped?: string;
  /** Whether it prints a `::set-output` line. */
  printsOutput: boolean;
}

/** The timings of one contender: start to `::set-output` and start to exit, per run. */
export interface ColdResult {
  key: ColdKey;
  label: string;
  skipped?: string | undefined;
  toOutputMs: number[];
  toExitMs: number[];
}

/** What every contender is given: the asset, the function and its event. */
export interface ColdJob {
  asset: Record<string, string>;
  functionName: string;
  event: Record<string, unknown>;
}

const BENCH_DIR = import.meta.dirname;

/**
 * Asset fields added since the previous release, which it refuses as unknown; none is
 * used by an invoke (the IAM endpoint serves other actions).
 */
const NEWER_THAN_PREVIOUS_RELEASE = new Set(["iam_endpoint_url"]);

/**
 * The contenders, all on the Node that runs the benchmark: the entry as Turbine runs
 * it (flat document, ASSET_KEYS), the previous release (explicit document, its only
 * form), the raw SDK v3 script, the boto3 script (skipped without `python`), and the
 * floor: the same two requests signed and sent with Node's built-ins alone.
 */
export function coldContenders(
  job: ColdJob,
  release: ReleaseBuild,
  python: { command: string } | { skipped: string },
): ColdContender[] {
  const inputs = { function_name: job.functionName, payload: job.event };
  const scriptEnv = cleanEnvironment({ BENCH_ASSET: JSON.stringify(job.asset) });
  const eventText = JSON.stringify(job.event);
  return [
    {
      key: "connector",
      label: "connector: node dist/main.js invoke_function",
      printsOutput: true,
      spec: {
        command: process.execPath,
        args: [ENTRY_PATH, "invoke_function"],
        env: cleanEnvironment({ ASSET_KEYS: Object.keys(job.asset).join(",") }),
        stdin: JSON.stringify({ ...job.asset, ...inputs }),
      },
    },
    {
      key: "previous",
      label: `(a) previous release ${release.revision}`,
      printsOutput: true,
      spec: {
        command: process.execPath,
        args: [release.entry, "invoke_function"],
        env: cleanEnvironment(),
        stdin: JSON.stringify({
          asset: Object.fromEntries(
            Object.entries(job.asset).filter(([key]) => !NEWER_THAN_PREVIOUS_RELEASE.has(key)),
          ),
          inputs,
        }),
      },
    },
    {
      key: "raw-sdk",
      label: "(b) raw SDK v3 script (raw-sdk.mjs)",
      printsOutput: true,
      spec: {
        command: process.execPath,
        args: [join(BENCH_DIR, "raw-sdk.mjs"), job.functionName],
        env: scriptEnv,
        stdin: eventText,
      },
    },
    "skipped" in python
      ? {
          key: "boto3",
          label: "(c) boto3 script (boto3_invoke.py)",
          printsOutput: true,
          spec: undefined,
          skipped: python.skipped,
        }
      : {
          key: "boto3",
          label: "(c) boto3 script (boto3_invoke.py)",
          printsOutput: true,
          spec: {
            command: python.command,
            args: [join(BENCH_DIR, "boto3_invoke.py"), job.functionName],
            env: scriptEnv,
            stdin: eventText,
          },
        },
    {
      key: "floor",
      label: "(d) the floor: built-ins only (floor.mjs)",
      printsOutput: true,
      spec: {
        command: process.execPath,
        args: [join(BENCH_DIR, "floor.mjs"), job.functionName],
        env: scriptEnv,
        stdin: eventText,
      },
    },
  ];
}

/**
 * Runs every contender `runs` times, round-robin (each round starting one contender
 * further on, so none is always first after another), after one untimed round that
 * warms the file cache. Every run must succeed and echo the event back.
 */
export async function measureColdRuns(
  contenders: readonly ColdContender[],
  job: ColdJob,
  runs: number,
  progress: (line: string) => void,
): Promise<ColdResult[]> {
  const active = contenders.filter((contender) => contender.spec !== undefined);
  const results = new Map<ColdKey, ColdResult>(
    contenders.map((contender) => [
      contender.key,
      {
        key: contender.key,
        label: contender.label,
        skipped: contender.skipped,
        toOutputMs: [],
        toExitMs: [],
      },
    ]),
  );
  for (let round = -1; round < runs; round++) {
    for (let i = 0; i < active.length; i++) {
      const contender = active[(i + Math.max(round, 0)) % active.length] as ColdContender;
      const run = await runTimed(contender.spec as ProcessSpec);
      const problem = checkRun(contender, run, job);
      if (problem !== undefined) {
        throw new Error(`cold run of ${contender.label} failed: ${problem}`);
      }
      if (round >= 0) {
        const result = results.get(contender.key) as ColdResult;
        result.toExitMs.push(run.toExitMs);
        result.toOutputMs.push(run.toOutputMs ?? run.toExitMs);
      }
    }
    if (round >= 0) {
      progress(`bench: cold round ${round + 1}/${runs}\n`);
    }
  }
  return contenders.map((contender) => results.get(contender.key) as ColdResult);
}

/** What is wrong with a run, or undefined when it exited 0 and echoed the event back. */
function checkRun(contender: ColdContender, run: TimedRun, job: ColdJob): string | undefined {
  if (run.exitCode !== 0) {
    return `exit code ${run.exitCode}; stderr: ${run.stderr.trim().slice(-2000)}`;
  }
  if (!contender.printsOutput) {
    return undefined;
  }
  return checkOutput(run.stdout, job.event);
}

/**
 * What is wrong with a `::set-output` line of an echo invocation, or undefined when
 * it reports status 200 and the event sent.
 */
export function checkOutput(stdout: string, event: unknown): string | undefined {
  const prefix = "::set-output ";
  if (!stdout.startsWith(prefix)) {
    return `no ::set-output line; stdout: ${stdout.slice(0, 500)}`;
  }
  const output = JSON.parse(stdout.slice(prefix.length)) as {
    status_code?: unknown;
    payload?: { event?: unknown };
  };
  if (output.status_code !== 200) {
    return `status_code ${String(output.status_code)}`;
  }
  if (JSON.stringify(output.payload?.event) !== JSON.stringify(event)) {
    return "the function did not answer with the event sent";
  }
  return undefined;
}
