/**
 * Measures the connector against the local AWS endpoint and prints the figures:
 * - in one process (as a long-lived host would run it), many invokes through the
 *   action's code on one executor: latency percentiles, AssumeRole calls, memory growth;
 * - as Turbine runs it, one process per action: wall time per run of the entry.
 *
 *   npm run bench [-- --invokes 500 --processes 10]
 */
import { parseArgs } from "node:util";
import { demoAsset } from "../local-aws/defaultWorld.js";
import { startLocalAws } from "../local-aws/LocalAws.js";
import { invokeFunctionAction } from "../src/actions/invoke_function/invoke_function.js";
import { assetSchema } from "../src/asset/schema.js";
import { Executor } from "../src/aws/executor.js";
import { runEntryProcess } from "./lib/runEntryProcess.js";

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
const inputs = { function_name: "echo", payload: { indicator: "198.51.100.7" } };
const document = JSON.stringify({ asset, inputs });
const executor = new Executor(assetSchema.parse(asset));
const parsedInputs = invokeFunctionAction.inputs.parse(inputs);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const ms = (n: number) => `${n.toFixed(1)} ms`;

try {
  // Warm up once so the first AssumeRole and module loading are not in the figures.
  await invokeFunctionAction.run(parsedInputs, executor);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const assumesBefore = aws.assumeRoleCount();
  const latencies: number[] = [];
  for (let i = 0; i < invokes; i++) {
    const started = performance.now();
    const output = await invokeFunctionAction.run(parsedInputs, executor);
    latencies.push(performance.now() - started);
    if (output.status_code !== 200) {
      throw new Error(`invoke ${i} answered ${output.status_code}`);
    }
  }
  const rssAfter = process.memoryUsage().rss;
  latencies.sort((a, b) => a - b);
  process.stdout.write(
    [
      `in-process, ${invokes} sequential invokes of echo through one executor (assumed role):`,
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
  executor.destroy();
  await aws.close();
}
