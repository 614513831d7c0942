/**
 * The at-scale benchmark (issue 16): invoke_function_batch against a raw SDK promise pool
 * for 1,000 Event invokes; 10,000 RequestResponse items at concurrency 64 with 1% of
 * invokes throttled (lost, run twice, AssumeRole calls, wall time); and the peak memory
 * of the built entry reading a 200 MB stream with max_bytes 6 MB. Prints its table to
 * stdout and, unless --no-write, replaces its own section of docs/benchmarks.md.
 *
 *   node --import tsx scripts/bench/scale.ts [--quick] [--no-write] [--only stream]
 *
 * `--only stream` measures the stream alone and, unless --no-write, replaces only the
 * stream's row of the section (saying when and on which Node it ran).
 *
 * `npm run bench` runs it after the main benchmark, on the same Nodes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { DEMO_ROLE, DEMO_USER, demoAsset } from "../../local-aws/defaultWorld.js";
import { type LocalAws, startLocalAws } from "../../local-aws/LocalAws.js";
import { invokeFunctionBatch } from "../../src/actions/invoke_function_batch/invoke_function_batch.js";
import { invokeFunctionBatchInputs } from "../../src/actions/invoke_function_batch/schema.js";
import { assetSchema } from "../../src/asset/schema.js";
import { Executor } from "../../src/aws/executor.js";
import { ENTRY_PATH } from "../lib/runEntryProcess.js";
import { REPO_ROOT } from "./previousRelease.js";
import { cleanEnvironment, runTimed } from "./runTimed.js";

// Whatever the SDK logs goes to stderr: stdout carries only the table.
console.log = console.error;
console.warn = console.error;

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
    only: { type: "string" },
  },
});
const quick = values.quick;
const EVENT_INVOKES = quick ? 100 : 1000;
const EVENT_CONCURRENCY = 16;
const SYNC_ITEMS = quick ? 500 : 10_000;
const SYNC_CONCURRENCY = 64;
const THROTTLED_SHARE = 0.01;
const RETRY_AFTER_SECONDS = 1;
const MB = 1024 * 1024;
const STREAM_BYTES = 200 * MB;
const MAX_BYTES = 6 * MB;
const PRELOAD = pathToFileURL(join(import.meta.dirname, "report-max-rss.mjs")).href;
const progress = (line: string) => process.stderr.write(`bench scale: ${line}\n`);

/** The figures this benchmark produces. */
interface ScaleFigures {
  nodeVersion: string;
  date: string;
  load: [number, number];
  event: { invokes: number; concurrency: number; connectorPerSecond: number; rawPerSecond: number };
  sync: {
    items: number;
    concurrency: number;
    throttledAtEndpoint: number;
    lost: number;
    ranTwice: number;
    assumeRole: number;
    wallSeconds: number;
    counts: Record<string, number>;
  };
  stream: {
    streamBytes: number;
    maxBytes: number;
    idleKiB: number;
    peakKiB: number;
    /** The median over rounds of the stream's peak minus that round's idle peak. */
    aboveIdleKiB: number;
    /** How far apart the idle runs' peaks are: a difference below it is noise. */
    idleSpreadKiB: number;
    received: number;
  };
}

const executorFor = (aws: LocalAws) =>
  new Executor(assetSchema.parse(demoAsset(aws.url)), { env: {} });

/** 1,000 Event invokes through the batch, then through a raw SDK pool at the same concurrency. */
async function eventThroughput(aws: LocalAws): Promise<ScaleFigures["event"]> {
  const payloads = Array.from({ length: EVENT_INVOKES }, (_, i) => ({
    indicator: `10.0.${i >> 8}.${i & 255}`,
  }));
  const inputs = invokeFunctionBatchInputs.parse({
    function_name: "echo",
    invocation_type: "Event",
    payloads,
    concurrency: EVENT_CONCURRENCY,
  });
  // One untimed round each, so neither side pays for the first connection and AssumeRole.
  const executor = executorFor(aws);
  const raw = await rawClient(aws);
  const rounds: { connector: number[]; raw: number[] } = { connector: [], raw: [] };
  try {
    for (let round = 0; round < 3; round++) {
      for (const side of round % 2 === 0
        ? (["connector", "raw"] as const)
        : (["raw", "connector"] as const)) {
        const started = performance.now();
        if (side === "connector") {
          const output = await invokeFunctionBatch(inputs, executor);
          if (output.counts.succeeded !== EVENT_INVOKES) {
            throw new Error(
              `the batch did not queue every invoke: ${JSON.stringify(output.counts)}`,
            );
          }
        } else {
          await rawPool(raw, payloads, EVENT_CONCURRENCY);
        }
        const seconds = (performance.now() - started) / 1000;
        // The endpoint runs Event invokes after answering: let them finish before the next side.
        await aws.whenIdle();
        if (round > 0) {
          rounds[side].push(EVENT_INVOKES / seconds);
        }
        progress(`event round ${round} ${side}: ${(EVENT_INVOKES / seconds).toFixed(0)} invokes/s`);
      }
    }
  } finally {
    executor.destroy();
    raw.destroy();
  }
  const best = (all: number[]) => Math.max(...all);
  return {
    invokes: EVENT_INVOKES,
    concurrency: EVENT_CONCURRENCY,
    connectorPerSecond: best(rounds.connector),
    rawPerSecond: best(rounds.raw),
  };
}

/** A LambdaClient as a developer would write one: one AssumeRole, then its credentials. */
async function rawClient(aws: LocalAws): Promise<LambdaClient> {
  const keys = { accessKeyId: DEMO_USER.accessKeyId, secretAccessKey: DEMO_USER.secretAccessKey };
  const sts = new STSClient({ endpoint: aws.url, region: "us-east-1", credentials: keys });
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: DEMO_ROLE.arn,
      RoleSessionName: "bench",
      ExternalId: DEMO_ROLE.externalId,
    }),
  );
  sts.destroy();
  return new LambdaClient({
    endpoint: aws.url,
    region: "us-east-1",
    credentials: {
      accessKeyId: Credentials?.AccessKeyId ?? "",
      secretAccessKey: Credentials?.SecretAccessKey ?? "",
      sessionToken: Credentials?.SessionToken ?? "",
    },
  });
}

/** The raw SDK's promise pool: `concurrency` workers taking the next payload. */
async function rawPool(
  client: LambdaClient,
  payloads: unknown[],
  concurrency: number,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < payloads.length) {
      const payload = payloads[next++];
      await client.send(
        new InvokeCommand({
          FunctionName: "echo",
          InvocationType: "Event",
          Payload: JSON.stringify(payload),
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** 10,000 RequestResponse items at concurrency 64, 1% of invokes throttled with Retry-After. */
async function throttledBatch(aws: LocalAws): Promise<ScaleFigures["sync"]> {
  const payloads = Array.from({ length: SYNC_ITEMS }, (_, i) => ({ n: i }));
  const inputs = invokeFunctionBatchInputs.parse({
    function_name: "echo",
    payloads,
    concurrency: SYNC_CONCURRENCY,
    timeout_seconds: 3600,
    output_limit_bytes: 16 * MB,
  });
  const executor = executorFor(aws);
  const runsBefore = aws.runCount("echo");
  const rolesBefore = aws.assumeRoleCount();
  const from = aws.requests.length;
  aws.faults.throttleRate(THROTTLED_SHARE, { retryAfterSeconds: RETRY_AFTER_SECONDS, seed: 16 });
  const started = performance.now();
  let output: Awaited<ReturnType<typeof invokeFunctionBatch>>;
  try {
    output = await invokeFunctionBatch(inputs, executor);
  } finally {
    aws.faults.clear();
    executor.destroy();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const results = output.invocations;
  // Each payload is echoed back: a result that is not its own payload is lost.
  const echoed = new Set(
    results
      .filter((item) => item.status === "succeeded")
      .map((item) => (item.payload as { event: { n: number } }).event.n),
  );
  const ran = aws.runCount("echo") - runsBefore;
  return {
    items: SYNC_ITEMS,
    concurrency: SYNC_CONCURRENCY,
    throttledAtEndpoint: aws.requests
      .slice(from)
      .filter((r) => r.errorCode === "TooManyRequestsException").length,
    lost: SYNC_ITEMS - echoed.size,
    ranTwice: ran - echoed.size,
    assumeRole: aws.assumeRoleCount() - rolesBefore,
    wallSeconds,
    counts: output.counts,
  };
}

/** Peak RSS of the built entry reading a 200 MB stream with max_bytes 6 MB, and of an idle run. */
async function streamMemory(aws: LocalAws): Promise<ScaleFigures["stream"]> {
  const asset = demoAsset(aws.url);
  const peak = async (inputs: Record<string, unknown>) => {
    const run = await runTimed({
      command: process.execPath,
      args: ["--import", PRELOAD, ENTRY_PATH, "invoke_function_stream"],
      env: cleanEnvironment(),
      stdin: JSON.stringify({ asset, inputs }),
    });
    const kib = /^bench-max-rss-kib (\d+)$/m.exec(run.stderr)?.[1];
    if (run.exitCode !== 0 || kib === undefined) {
      throw new Error(`invoke_function_stream failed: ${run.stderr.slice(-1000)}`);
    }
    const output = JSON.parse(run.stdout.slice(run.stdout.indexOf("{"))) as {
      bytes_received: number;
    };
    return { kib: Number(kib), received: output.bytes_received };
  };
  const idle: { kib: number; received: number }[] = [];
  const full: { kib: number; received: number }[] = [];
  for (let i = 0; i < 3; i++) {
    idle.push(
      await peak({ function_name: "stream-chunks", payload: { shape: "text", chunks: 1 } }),
    );
    full.push(
      await peak({
        function_name: "stream-chunks",
        payload: { shape: "bulk", total_bytes: STREAM_BYTES },
        max_bytes: MAX_BYTES,
      }),
    );
    progress(
      `stream round ${i + 1}/3: idle ${idle.at(-1)?.kib} KiB, 200 MB stream ${full.at(-1)?.kib} KiB`,
    );
  }
  // Each round's stream against the idle run just before it; the median of those.
  const aboveIdle = full.map((run, i) => run.kib - (idle[i]?.kib ?? 0)).sort((a, b) => a - b);
  const idleKiB = idle.map((run) => run.kib);
  const median = (all: number[]) => [...all].sort((a, b) => a - b)[1] ?? 0;
  return {
    streamBytes: STREAM_BYTES,
    maxBytes: MAX_BYTES,
    idleKiB: median(idleKiB),
    peakKiB: median(full.map((run) => run.kib)),
    aboveIdleKiB: aboveIdle[1] ?? 0,
    idleSpreadKiB: Math.max(...idleKiB) - Math.min(...idleKiB),
    received: full[0]?.received ?? 0,
  };
}

const SECTION_START = "<!-- scale-bench:start -->";
const SECTION_END = "<!-- scale-bench:end -->";

const pass = (ok: boolean) => (ok ? "**PASS**" : "**FAIL**");

/** The stream's row of the table; `ran` says when and where when the row is run alone. */
function streamRow(stream: ScaleFigures["stream"], ran = ""): string {
  const aboveIdleMiB = stream.aboveIdleKiB / 1024;
  const spreadMiB = stream.idleSpreadKiB / 1024;
  const goalMiB = (2 * stream.maxBytes) / MB;
  // A difference within the idle runs' own spread can neither pass nor fail the goal.
  const memoryResult =
    aboveIdleMiB >= goalMiB ? pass(false) : spreadMiB >= goalMiB ? "inconclusive" : pass(true);
  return `| A ${stream.streamBytes / MB} MB stream read with max_bytes ${stream.maxBytes / MB} MB by the built entry (median of 3; ${stream.received} bytes received${ran}) | peak RSS ${(stream.peakKiB / 1024).toFixed(1)} MiB, idle run ${(stream.idleKiB / 1024).toFixed(1)} MiB: ${aboveIdleMiB.toFixed(1)} MiB above idle (median of each round's difference; idle runs spread over ${spreadMiB.toFixed(1)} MiB) | < ${goalMiB} MiB above idle | ${memoryResult} |`;
}

function render(f: ScaleFigures): string {
  const ratio = f.event.connectorPerSecond / f.event.rawPerSecond;
  const rows = [
    "| measure | figure | goal | result |",
    "| --- | --- | --- | --- |",
    `| ${f.event.invokes} Event invokes at concurrency ${f.event.concurrency}: invoke_function_batch vs a raw SDK promise pool (best of 2 rounds each) | ${f.event.connectorPerSecond.toFixed(0)} vs ${f.event.rawPerSecond.toFixed(0)} invokes/s: ${ratio.toFixed(2)}× | ≥ 0.90× | ${pass(ratio >= 0.9)} |`,
    `| ${f.sync.items} RequestResponse items at concurrency ${f.sync.concurrency}, ${THROTTLED_SHARE * 100}% of invokes throttled (Retry-After ${RETRY_AFTER_SECONDS} s; ${f.sync.throttledAtEndpoint} throttles) | lost ${f.sync.lost}, ran twice ${f.sync.ranTwice}, AssumeRole ${f.sync.assumeRole}, wall time ${f.sync.wallSeconds.toFixed(1)} s | lost 0, twice 0, AssumeRole 1 | ${pass(f.sync.lost === 0 && f.sync.ranTwice === 0 && f.sync.assumeRole === 1)} |`,
    streamRow(f.stream),
  ];
  return [
    SECTION_START,
    `## At scale (issue 16), Node ${f.nodeVersion.replace(/^v/, "")}`,
    "",
    `Run on ${f.date.slice(0, 16).replace("T", " ")} UTC by \`scripts/bench/scale.ts\` · load average ${f.load[0].toFixed(2)} at the start, ${f.load[1].toFixed(2)} at the end.`,
    "",
    ...rows,
    "",
    `Statuses of the throttled batch: ${JSON.stringify(f.sync.counts)}. The local endpoint runs every invocation in a fresh worker thread on the same two cores, which bounds both sides of the Event comparison and most of the batch's wall time. The idle run streams one line through the same entry; both report \`process.resourceUsage().maxRSS\` at exit.`,
    SECTION_END,
    "",
  ].join("\n");
}

/** Replaces the stream's row in this benchmark's section of docs/benchmarks.md. */
function writeStreamRow(row: string): void {
  const path = join(REPO_ROOT, "docs", "benchmarks.md");
  const text = readFileSync(path, "utf8");
  const start = text.indexOf(SECTION_START);
  const end = text.indexOf(SECTION_END);
  const section = start >= 0 && end > start ? text.slice(start, end) : "";
  const old = /^\| A \d+ MB stream read with max_bytes .*$/m.exec(section)?.[0];
  if (old === undefined) {
    throw new Error("docs/benchmarks.md has no stream row to replace: run scale.ts whole");
  }
  writeFileSync(path, text.slice(0, start) + section.replace(old, row) + text.slice(end));
}

/** Replaces this benchmark's section of docs/benchmarks.md (or adds it at the end). */
function writeSection(section: string): void {
  const path = join(REPO_ROOT, "docs", "benchmarks.md");
  const text = readFileSync(path, "utf8");
  const start = text.indexOf(SECTION_START);
  const end = text.indexOf(SECTION_END);
  const next =
    start >= 0 && end > start
      ? `${text.slice(0, start)}${section.trimEnd()}${text.slice(end + SECTION_END.length)}`
      : `${text.trimEnd()}\n\n${section}`;
  writeFileSync(path, next);
}

const aws = await startLocalAws();
const loadAtStart = loadavg()[0] ?? 0;
try {
  progress(`Node ${process.version}`);
  if (values.only === "stream") {
    const stream = await streamMemory(aws);
    progress(JSON.stringify(stream));
    const ran = `; run alone on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, Node ${process.version.replace(/^v/, "")}, load average ${loadAtStart.toFixed(2)}`;
    const row = streamRow(stream, ran);
    process.stdout.write(`${row}\n`);
    if (!values["no-write"]) {
      writeStreamRow(row);
    }
    process.exit(0);
  }
  const event = await eventThroughput(aws);
  const sync = await throttledBatch(aws);
  progress(`throttled batch: ${JSON.stringify(sync)}`);
  const stream = await streamMemory(aws);
  const figures: ScaleFigures = {
    nodeVersion: process.version,
    date: new Date().toISOString(),
    load: [loadAtStart, loadavg()[0] ?? 0],
    event,
    sync,
    stream,
  };
  const section = render(figures);
  process.stdout.write(section);
  if (!values["no-write"]) {
    writeSection(section);
  }
} finally {
  await aws.close();
}
