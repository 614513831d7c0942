/**
 * Measures the connector against the local AWS endpoint and prints the figures:
 * - in one process (as a long-lived host would run it), many invokes through one
 *   session: latency percentiles, AssumeRole calls, and memory growth;
 * - as Turbine runs it, one process per action: wall time per run of the entry.
 *
 *   npm run bench [-- --invokes 500 --processes 10]
 */
import { parseArgs } from "node:util";
import { demoAsset } from "../local-aws/defaultWorld.js";
import { startLocalAws } from "../local-aws/LocalAws.js";
import { AwsSession } from "../src/aws/awsSession.js";
import { runConnector } from "../src/runConnector.js";
import { runEntryProcess } from "../src/turbine/runEntryProcess.js";

const { values } = parseArgs({
  options: {
    invokes: { type: "string", default: "300" },
    processes: { type: "string", default: "10" },
  },
});
const invokes = Number(values.invokes);
const processes = Number(values.processes);

const aws = await startLocalAws();
const asset = demoAsset(aws.url);
const document = JSON.stringify({
  asset,
  inputs: { function_name: "echo", payload: { indicator: "198.51.100.7" } },
});

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const ms = (n: number) => `${n.toFixed(1)} ms`;

try {
  // Warm up once so the first AssumeRole and module loading are not in the figures.
  await runConnector("invoke_function", document);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const assumesBefore = aws.assumeRoleCount();
  const latencies: number[] = [];
  for (let i = 0; i < invokes; i++) {
    const started = performance.now();
    const result = await runConnector("invoke_function", document);
    latencies.push(performance.now() - started);
    if (result.exitCode !== 0) {
      throw new Error(`invoke ${i} failed: ${result.stderr}`);
    }
  }
  const rssAfter = process.memoryUsage().rss;
  latencies.sort((a, b) => a - b);
  process.stdout.write(
    [
      `in-process, ${invokes} sequential invokes of echo through one assumed-role session:`,
      `  latency p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, max ${ms(latencies.at(-1) ?? Number.NaN)}`,
      `  AssumeRole calls during the run: ${aws.assumeRoleCount() - assumesBefore}`,
      `  RSS ${(rssBefore / 2 ** 20).toFixed(1)} MiB -> ${(rssAfter / 2 ** 20).toFixed(1)} MiB`,
      "",
    ].join("\n"),
  );

  const walls: number[] = [];
  for (let i = 0; i < processes; i++) {
    const started = performance.now();
    const run = await runEntryProcess("invoke_function", document);
    walls.push(performance.now() - started);
    if (run.exitCode !== 0) {
      throw new Error(`process run ${i} failed: ${run.stderr}`);
    }
  }
  walls.sort((a, b) => a - b);
  process.stdout.write(
    [
      `as Turbine runs it, ${processes} runs of node dist/main.js (AssumeRole + Invoke each):`,
      `  wall time p50 ${ms(percentile(walls, 50))}, max ${ms(walls.at(-1) ?? Number.NaN)}`,
      "",
    ].join("\n"),
  );
} finally {
  AwsSession.destroyAll();
  await aws.close();
}
