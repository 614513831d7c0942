/**
 * The sweep benchmark: sweep_functions over 2,000 functions in 4 regions of the local
 * endpoint at concurrency 16, with AWS-like throttling and answer latency, against the
 * same sweep at concurrency 1 (the same calls, one function at a time). Prints the
 * figures to stdout (progress to stderr) and writes the "sweep" section of
 * docs/benchmarks.md.
 *
 *   node --import tsx scripts/bench/sweep.ts [--functions 2000] [--no-write]
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { demoAsset } from "../../local-aws/defaultWorld.js";
import { SWEEP_REGIONS } from "../../local-aws/sweepWorld.js";
import { runConnector } from "../../src/runConnector.js";
import { OUTPUT_PREFIX } from "../../src/turbine/contract.js";
import { alignedMarkdownTable } from "./formatTable.js";
import { withSection } from "./keptSections.js";
import { REPO_ROOT } from "./previousRelease.js";

// Whatever the SDK logs goes to stderr: stdout carries only the figures.
console.log = console.error;
console.info = console.error;

const { values } = parseArgs({
  options: {
    functions: { type: "string", default: "2000" },
    "no-write": { type: "boolean", default: false },
  },
});
const total = Number(values.functions);
if (!Number.isInteger(total) || total < SWEEP_REGIONS.length) {
  process.stderr.write(`--functions must be a whole number of at least ${SWEEP_REGIONS.length}\n`);
  process.exit(2);
}

/** What the endpoint does like AWS: a token bucket per account, region and operation, and latency. */
const RATE = { requestsPerSecond: 50, burst: 10 };
const LATENCY_MS = 20;
const CONCURRENCY = 16;
const GOAL = 0.15;

interface SweepRun {
  wallMs: number;
  /** CPU time of the benchmark's process (the connector) over the sweep, and of the endpoint's. */
  connectorCpuMs: number;
  endpointCpuMs: number;
  calls: number;
  throttled: number;
  retries: number;
  functionsChecked: number;
  findings: number;
  complete: boolean;
}

/** The endpoint in a child process: its URL, the Lambda calls it served, and how to stop it. */
async function startEndpoint(functions: number): Promise<{
  url: string;
  lambdaCalls: () => Promise<{ errorCode?: string }[]>;
  /** Stops it; resolves with the CPU time it spent serving, in ms. */
  stop: () => Promise<number>;
}> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(import.meta.dirname, "sweepEndpoint.ts"),
      String(functions / SWEEP_REGIONS.length),
      String(RATE.requestsPerSecond),
      String(RATE.burst),
      String(LATENCY_MS),
    ],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, "line")) as [string];
  const url = line.trim();
  const cpuLine = new Promise<number>((resolve) => {
    lines.on("line", (next: string) => {
      const ms = /^cpu_ms (\d+)$/.exec(next.trim())?.[1];
      if (ms !== undefined) {
        resolve(Number(ms));
      }
    });
    lines.on("close", () => resolve(Number.NaN));
  });
  return {
    url,
    lambdaCalls: async () => {
      const state = (await (await fetch(`${url}/__local/state`)).json()) as {
        requests: { service: string; errorCode?: string }[];
      };
      return state.requests.filter((request) => request.service === "lambda");
    },
    stop: async () => {
      child.stdin.end();
      const cpuMs = await cpuLine;
      await once(child, "exit");
      return cpuMs;
    },
  };
}

/** One sweep through the connector, in this process, on a fresh endpoint (fresh rate buckets). */
async function sweepOnce(concurrency: number, functions = total): Promise<SweepRun> {
  const endpoint = await startEndpoint(functions);
  let stopped = false;
  try {
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    const run = await runConnector(
      "sweep_functions",
      JSON.stringify({
        asset: demoAsset(endpoint.url),
        inputs: {
          regions: [...SWEEP_REGIONS],
          name_contains: "sweep-",
          concurrency,
          timeout_seconds: 3600,
        },
      }),
      { env: {}, executor: { progress: (line) => process.stderr.write(`  ${line}\n`) } },
    );
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuAtStart);
    if (run.exitCode !== 0 || !run.stdout.startsWith(OUTPUT_PREFIX)) {
      throw new Error(`the sweep failed: ${run.stderr.trim()}`);
    }
    const output = JSON.parse(run.stdout.slice(OUTPUT_PREFIX.length)) as {
      complete: boolean;
      functions_checked: number;
      findings_count: number;
      throttling: { retries: number };
    };
    const lambda = await endpoint.lambdaCalls();
    stopped = true;
    const endpointCpuMs = await endpoint.stop();
    return {
      wallMs,
      connectorCpuMs: (cpu.user + cpu.system) / 1000,
      endpointCpuMs,
      calls: lambda.length,
      throttled: lambda.filter((request) => request.errorCode === "TooManyRequestsException")
        .length,
      retries: output.throttling.retries,
      functionsChecked: output.functions_checked,
      findings: output.findings_count,
      complete: output.complete,
    };
  } finally {
    if (!stopped) {
      await endpoint.stop();
    }
  }
}

const loadAtStart = loadavg()[0] ?? 0;
// Untimed: the first sweep of the process loads the SDK and compiles its code; the two
// measured ones then compare the pool with one function at a time, not a cold start.
process.stderr.write(`sweep bench: a warm-up sweep of ${SWEEP_REGIONS.length} functions\n`);
await sweepOnce(CONCURRENCY, SWEEP_REGIONS.length);
process.stderr.write(`sweep bench: ${total} functions, concurrency ${CONCURRENCY}\n`);
const pooled = await sweepOnce(CONCURRENCY);
process.stderr.write(`sweep bench: the same sweep at concurrency 1\n`);
const sequential = await sweepOnce(1);
const ratio = pooled.wallMs / sequential.wallMs;
const loadAtEnd = loadavg()[0] ?? 0;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const pass = ratio <= GOAL && pooled.complete && sequential.complete;
const perCall = (ms: number, run: SweepRun) => `${(ms / run.calls).toFixed(2)} ms`;
const row = (name: string, run: SweepRun) => [
  name,
  seconds(run.wallMs),
  String(run.functionsChecked),
  String(run.calls),
  String(run.throttled),
  String(run.retries),
  run.complete ? "yes" : "no",
  `${seconds(run.connectorCpuMs)} (${perCall(run.connectorCpuMs, run)} a call)`,
  `${seconds(run.endpointCpuMs)} (${perCall(run.endpointCpuMs, run)} a call)`,
];
const table = alignedMarkdownTable(
  [
    "sweep",
    "wall time",
    "functions checked",
    "Lambda calls",
    "throttled (429)",
    "tasks sent again after their region's back-off",
    "complete",
    "connector CPU",
    "endpoint CPU",
  ],
  [row(`concurrency ${CONCURRENCY}`, pooled), row("concurrency 1", sequential)],
).trimEnd();
const date = new Date().toISOString().slice(0, 10);
const cpu = cpus()[0]?.model ?? "unknown CPU";
const body = [
  "## sweep_functions",
  "",
  `${date}, Node ${process.version}, ${cpu} (${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB), load average ${loadAtStart.toFixed(1)} at the start.`,
  "",
  `A sweep (exposure check) of ${total} functions over ${SWEEP_REGIONS.length} regions of the local endpoint (${SWEEP_REGIONS.join(", ")}; in a process of its own, \`scripts/bench/sweepEndpoint.ts\`, as AWS is not in the connector's), through \`runConnector\` in the benchmark's process, with AWS-like throttling on: a token bucket per account, region and operation of ${RATE.requestsPerSecond} requests a second (burst ${RATE.burst}), a 429 \`TooManyRequestsException\` (\`CallerRateLimitExceeded\`, Retry-After) over it, and every control-plane answer held back ${LATENCY_MS} ms, as AWS's take tens of milliseconds. The sequential sweep is the same action at concurrency 1: the same calls, one function at a time (a function's own reads still overlap as assess_function_exposure sends them). Each run has a fresh endpoint, so the buckets start full; an untimed sweep of ${SWEEP_REGIONS.length} functions first loads the SDK, so neither measured sweep pays the process's cold start.`,
  "",
  table,
  "",
  `Ratio, concurrency ${CONCURRENCY} ÷ sequential: **${ratio.toFixed(3)}×** (goal ≤ ${GOAL}×): ${pass ? "PASS" : "FAIL"}.`,
  "",
  `The pooled sweep's own floor, its connector CPU ÷ the sequential wall time: ${(pooled.connectorCpuMs / sequential.wallMs).toFixed(3)}× (the ratio it comes down to when the connector's thread has a core to itself and the endpoint another; the wall-time ratio above is the one that passes or fails).`,
  "",
  `Load average ${loadAtEnd.toFixed(1)} at the end. The ratio measures the pool only on a quiet machine: the sequential sweep is bound by the answers' latency, the pooled one by the CPU of the connector's one thread (its CPU column: signing, the SDK's middleware and parsing, HTTP; the endpoint's is its own process) and by the endpoint's rate limit, so when the cores are shared (a load average above their count) the pooled sweep waits for CPU the sequential one did not need. The pool keeps one queue, back-off and pace per account and region and goes round them: a 429 pauses and paces only the region AWS throttled, so the other regions' quotas stay busy.`,
  "",
  `The rate here is above most of AWS's own: Lambda's control-plane quota is 15 requests a second per API (GetFunction's 100), and at 15 a sweep of ${SWEEP_REGIONS.length} regions is bound to about ${SWEEP_REGIONS.length * 15} functions a second whatever its concurrency; the pool then spends its time in the shared back-off rather than in retries. Run it alone: \`npm run bench:sweep\` (\`-- --functions N --no-write\`).`,
].join("\n");
process.stdout.write(`${body}\n`);
if (!values["no-write"]) {
  const path = join(REPO_ROOT, "docs", "benchmarks.md");
  const previous = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmarks\n";
  writeFileSync(path, withSection(previous, "sweep", body));
  process.stderr.write("sweep bench: wrote docs/benchmarks.md (its sweep section)\n");
}
