/**
 * Load: many synchronous invokes through one asset (one Executor, one process) against
 * the local endpoint in this process, with throttling at random, and what came back.
 *
 *   npm run load                      # 10,000 invokes, 64 at once, 1% throttled
 *   npm run load -- --quick           # 500 invokes, 32 at once, 1% throttled
 *   npm run load -- --invokes 2000 --concurrency 16 --throttle-rate 0.05 --seed 7 --json
 *
 * Exits 1 when an invoke was lost (did not return its own payload), a function ran
 * twice, or the role was assumed more than once per credential lifetime.
 */
import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { demoAsset } from "../local-aws/defaultWorld.js";
import { startLocalAws } from "../local-aws/LocalAws.js";
import { assetSchema } from "../src/asset/schema.js";
import { type LoadFigures, type LoadOptions, runLoad } from "./load/runLoad.js";

const FULL: LoadOptions = { invokes: 10_000, concurrency: 64, throttleRate: 0.01, seed: 1 };
const QUICK: LoadOptions = { invokes: 500, concurrency: 32, throttleRate: 0.01, seed: 1 };

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    invokes: { type: "string" },
    concurrency: { type: "string" },
    "throttle-rate": { type: "string" },
    seed: { type: "string" },
    json: { type: "boolean", default: false },
  },
});

const base = values.quick ? QUICK : FULL;
const options: LoadOptions = {
  invokes: positiveInteger("invokes", values.invokes, base.invokes),
  concurrency: positiveInteger("concurrency", values.concurrency, base.concurrency),
  throttleRate: rate(values["throttle-rate"], base.throttleRate),
  seed: positiveInteger("seed", values.seed, base.seed),
};

const aws = await startLocalAws();
let figures: LoadFigures;
try {
  figures = await runLoad(aws, assetSchema.parse(demoAsset(aws.url)), options);
} finally {
  await aws.close();
}

const problems = [
  ...(figures.lost === 0 ? [] : [`${figures.lost} invoke(s) lost`]),
  ...(figures.ranTwice === 0 ? [] : [`${figures.ranTwice} run(s) beyond one per invoke`]),
  ...(figures.runs === figures.invokes
    ? []
    : [`${figures.runs} run(s) at the endpoint for ${figures.invokes} invokes`]),
  // The run is far shorter than the role's session (3600 s), so one AssumeRole in all.
  ...(figures.assumeRoleAtEndpoint === 1 ? [] : [`${figures.assumeRoleAtEndpoint} AssumeRole`]),
];

if (values.json) {
  console.log(JSON.stringify({ ...figures, machine: machine(), problems }, null, 2));
} else {
  const failed = Object.entries(figures.failed)
    .map(([code, count]) => `${code} ${count}`)
    .join(", ");
  console.log(
    [
      `load: ${figures.invokes} invokes, concurrency ${figures.concurrency}, throttle rate ${figures.throttleRate}`,
      `  machine            ${machine()}`,
      `  returned           ${figures.returned}`,
      `  lost               ${figures.lost}${failed === "" ? "" : ` (failed: ${failed})`}${figures.mixedUp === 0 ? "" : `, ${figures.mixedUp} with another's payload`}`,
      `  runs at endpoint   ${figures.runs}`,
      `  run twice          ${figures.ranTwice}`,
      `  throttles          ${figures.throttlesInjected} injected, ${figures.throttled} answered 429`,
      `  invoke requests    ${figures.invokeRequests}`,
      `  AssumeRole         ${figures.assumeRoleAtEndpoint} at the endpoint, ${figures.assumeRoleByExecutor} by the executor`,
      `  wall time          ${(figures.wallMs / 1000).toFixed(1)} s`,
      `  throughput         ${figures.invokesPerSecond.toFixed(0)} invokes/s`,
      problems.length === 0 ? "ok" : `FAILED: ${problems.join("; ")}`,
    ].join("\n"),
  );
}
process.exitCode = problems.length === 0 ? 0 : 1;

function machine(): string {
  const cpu = cpus();
  return `Node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, ${Math.round(totalmem() / 2 ** 30)} GB`;
}

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) {
    return fallback;
  }
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`--${name} must be a positive integer, got ${text}`);
  }
  return value;
}

function rate(text: string | undefined, fallback: number): number {
  if (text === undefined) {
    return fallback;
  }
  const value = Number(text);
  if (!(value >= 0 && value <= 1)) {
    throw new RangeError(`--throttle-rate must be from 0 to 1, got ${text}`);
  }
  return value;
}
