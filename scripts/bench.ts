/**
 * The connector side by side with the previous release, a raw AWS SDK v3 script, a
 * boto3 script and the floor (the same requests with Node's built-ins alone), against
 * the local AWS endpoint, on the Node that runs this script; then runs after a rejected
 * code cache. Prints the table to stdout (progress and SDK
 * notices go to stderr) and writes docs/benchmarks.md and docs/benchmarks.svg.
 *
 *   npm run bench [-- --runs 15 --invokes 1000 --quick --no-write]
 *   BENCH_NODES="22-previous 24" npm run bench
 *
 * Expects a built dist/ (the npm script builds first).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { demoAsset } from "../local-aws/defaultWorld.js";
import { type LocalAws, startLocalAws } from "../local-aws/LocalAws.js";
import { assess } from "./bench/assess.js";
import { measureCacheRuns } from "./bench/cacheRuns.js";
import { coldContenders, measureColdRuns } from "./bench/coldRuns.js";
import { writeEvidenceDocs } from "./bench/evidenceDocs.js";
import { evidenceRows, measureEvidence } from "./bench/evidenceRuns.js";
import { type Measurements, summarise } from "./bench/figures.js";
import { textTable } from "./bench/formatTable.js";
import { measurePeakMemory } from "./bench/peakMemory.js";
import { buildPreviousRelease, REPO_ROOT } from "./bench/previousRelease.js";
import { killRunningChildren } from "./bench/runTimed.js";
import { measureWarmInvokes } from "./bench/warmInvokes.js";
import { writeBenchmarkDocs } from "./bench/writeBenchmarkDocs.js";
import { ENTRY_PATH } from "./lib/runEntryProcess.js";

// Whatever the SDK or a dependency logs goes to stderr: stdout carries only the table.
console.log = console.error;
console.info = console.error;
console.debug = console.error;

const USAGE =
  "usage: npm run bench -- [--runs N] [--invokes N] [--quick] [--no-write] [--evidence]";

function parseOptions() {
  try {
    return parseArgs({
      options: {
        runs: { type: "string" },
        invokes: { type: "string" },
        quick: { type: "boolean", default: false },
        "no-write": { type: "boolean", default: false },
        evidence: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return process.exit(2);
  }
}

const values = parseOptions();
if (values.help) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(0);
}

function count(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    process.stderr.write(
      `--${flag} must be a whole number of at least 1, got '${value}'\n${USAGE}\n`,
    );
    process.exit(2);
  }
  return Number(value);
}

const runs = count("runs", values.runs, values.quick ? 3 : 15);
const invokes = count("invokes", values.invokes, values.quick ? 50 : 1000);
const memoryRuns = values.quick ? 1 : 3;
const warmup = values.quick ? 5 : 25;
const began = performance.now();
const loadAtStart = loadavg()[0] ?? 0;
const progress = (line: string) => process.stderr.write(line);
const elapsed = () => `${((performance.now() - began) / 1000).toFixed(0)} s`;

if (!existsSync(ENTRY_PATH)) {
  process.stderr.write(`${ENTRY_PATH} is missing: run \`npm run build\` first\n`);
  process.exit(2);
}

/** `python3` when it imports boto3, or why the boto3 row is skipped. */
function findBoto3(): Promise<{ command: string } | { skipped: string }> {
  return new Promise((done) => {
    const child = spawn("python3", ["-c", "import boto3"], { stdio: "ignore" });
    child.on("error", () => done({ skipped: "python3 with boto3 not found" }));
    child.on("close", (code) =>
      done(code === 0 ? { command: "python3" } : { skipped: "python3 with boto3 not found" }),
    );
  });
}

if (values.evidence) {
  // The evidence benchmark alone: a 50 MiB package, its memory and throughput.
  const evidence = await measureEvidence(values.quick ? 1 : 3, progress);
  process.stdout.write(`${textTable(evidenceRows(evidence))}\n`);
  if (!values["no-write"]) {
    const file = writeEvidenceDocs(evidence, join(REPO_ROOT, "docs"));
    progress(`bench: wrote ${relative(REPO_ROOT, file)}\n`);
  }
  process.exit(0);
}

const python = await findBoto3();
const release = await buildPreviousRelease(progress);
progress(
  `bench: previous release ${release.revision} at ${relative(REPO_ROOT, release.entry)}, dependencies: ${release.dependencies}\n`,
);
// Lambda reuses a warm execution environment; a fresh worker per invocation would put
// its start (tens of ms) into every contender's figure alike, the floor's too.
const aws: LocalAws = await startLocalAws({ warmEnvironments: true });
let closing: Promise<void> | undefined;
const shutDown = () => {
  killRunningChildren();
  closing ??= aws.close();
  return closing;
};
for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
] as const) {
  process.once(signal, () => {
    process.stderr.write(`bench: ${signal}, stopping\n`);
    void shutDown().finally(() => process.exit(code));
  });
}

const asset = demoAsset(aws.url);
const job = { asset, functionName: "echo", event: { indicator: "198.51.100.7" } };
let measurements: Measurements;
try {
  progress(
    `bench: Node ${process.version}, ${runs} cold runs per contender, ${invokes} warm invokes per side\n`,
  );
  const cold = await measureColdRuns(coldContenders(job, release, python), job, runs, progress);
  progress(`bench: cold runs done at ${elapsed()}; ${invokes} warm invokes per side\n`);
  const warm = await measureWarmInvokes(aws, { ...job, invokes, warmup });
  progress(`bench: warm invokes done at ${elapsed()}\n`);
  const memory = await measurePeakMemory(asset, job.functionName, memoryRuns, progress);
  progress(`bench: memory runs done at ${elapsed()}\n`);
  const cache = await measureCacheRuns(job, memoryRuns, progress);
  progress(`bench: cache runs done at ${elapsed()}\n`);
  measurements = {
    previousRelease: `${release.revision} (${release.commit.slice(0, 7)})`,
    runs,
    cold,
    warm,
    memory,
    cache,
    loadAtStart,
  };
} finally {
  await shutDown();
}

const figures = summarise(measurements);
const assessment = assess(figures);
const goals = assessment.rows.filter((row) => row.result !== "");
process.stdout.write(
  [
    `Benchmark, Node ${figures.nodeVersion}, ${figures.machine.cpu} (${figures.machine.cores} cores, ${figures.machine.memoryGiB} GiB), ${figures.date}`,
    "",
    textTable(assessment.rows),
    `Goals met: ${goals.filter((row) => row.result === "PASS").length} of ${goals.length}.`,
    "",
  ].join("\n"),
);
if (!values["no-write"]) {
  const written = writeBenchmarkDocs(figures, join(REPO_ROOT, "docs"));
  progress(`bench: wrote ${written.map((file) => relative(REPO_ROOT, file)).join(" and ")}\n`);
}
