import { REJECTING_OPTIONS } from "./cacheRuns.js";
import type { BenchFigures } from "./figures.js";

/** One line of the results table. */
export interface TableRow {
  measure: string;
  contender: string;
  figure: string;
  /** The connector's figure divided by this contender's, e.g. `0.38×`; `—` where none applies. */
  ratio: string;
  goal: string;
  result: "PASS" | "FAIL" | "";
}

/** One bar of the chart: a ratio of the connector to a contender, against its goal if any. */
export interface ChartBar {
  metric: string;
  ratio: number;
  /** The largest ratio that meets the goal; undefined for a comparison without a goal. */
  goal: number | undefined;
}

/** The figures judged against the goals. */
export interface Assessment {
  rows: TableRow[];
  bars: ChartBar[];
  /** AssumeRole calls during the warm invokes, for the chart's caption. */
  assumeRoleCalls: number;
  passed: boolean;
}

/** Largest warm per-invoke ratio to the raw SDK, and peak memory ratio to it. */
const WARM_GOAL = 1.05;
const MEMORY_GOAL = 1.1;
/** Largest cold-run ratio to the boto3 script, on every Node. */
const BOTO3_GOAL = 0.27;

/**
 * The cold-start goal against the previous release: 0.4× on Node 22 and later, 0.5× on
 * Node 20 and 21, whose own start is slower.
 */
export function coldGoalFor(nodeVersion: string): number {
  const major = Number(/^v?(\d+)/.exec(nodeVersion)?.[1] ?? "0");
  return major >= 22 ? 0.4 : 0.5;
}

/** Milliseconds with a sensible precision. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) {
    return "n/a";
  }
  return `${ms.toFixed(ms < 10 ? 2 : ms < 100 ? 1 : 0)} ms`;
}

/**
 * A ratio as `0.38×`; with a third decimal when two would make it look equal to
 * `goal`, so that `1.051×` is not shown as a failed `1.05×` against `≤ 1.05×`.
 */
export function formatRatio(ratio: number, goal?: number): string {
  if (!Number.isFinite(ratio)) {
    return "n/a";
  }
  const digits = goal !== undefined && ratio.toFixed(2) === goal.toFixed(2) ? 3 : 2;
  return `${ratio.toFixed(digits)}×`;
}

/** A difference in milliseconds, signed: `+1.20 ms`. */
function signedMs(ms: number): string {
  return `${ms < 0 ? "−" : "+"}${formatMs(Math.abs(ms))}`;
}

function verdict(ok: boolean): "PASS" | "FAIL" {
  return ok ? "PASS" : "FAIL";
}

/** Judges `figures` against the goals and lays them out as table rows and chart bars. */
export function assess(figures: BenchFigures): Assessment {
  const rows: TableRow[] = [];
  const bars: ChartBar[] = [];
  let passed = true;

  const connectorCold = figures.cold.find((figure) => figure.key === "connector");
  const coldBase = connectorCold?.medianToOutputMs ?? Number.NaN;
  const coldGoal = coldGoalFor(figures.nodeVersion);
  const coldMeasure = `Cold run, start to ::set-output (median of ${figures.runs})`;
  for (const figure of figures.cold) {
    if (figure.skipped !== undefined) {
      rows.push({
        measure: coldMeasure,
        contender: figure.label,
        figure: `skipped: ${figure.skipped}`,
        ratio: "—",
        goal: "—",
        result: "",
      });
      continue;
    }
    const shown = `${formatMs(figure.medianToOutputMs)} (exit ${formatMs(figure.medianToExitMs)})`;
    const ratio = coldBase / figure.medianToOutputMs;
    const goalOf: Partial<Record<string, number>> = { previous: coldGoal, boto3: BOTO3_GOAL };
    const row: TableRow = {
      measure: coldMeasure,
      contender: figure.label,
      figure: shown,
      ratio: figure.key === "connector" ? "—" : formatRatio(ratio, goalOf[figure.key]),
      goal: "—",
      result: "",
    };
    if (figure.key === "previous") {
      const ok = ratio <= coldGoal;
      passed &&= ok;
      row.goal = `≤ ${formatRatio(coldGoal)} on Node ${figures.nodeVersion.split(".")[0]?.slice(1)}`;
      row.result = verdict(ok);
      bars.push({ metric: "Cold run vs previous release", ratio, goal: coldGoal });
    } else if (figure.key === "raw-sdk") {
      bars.push({ metric: "Cold run vs raw SDK script", ratio, goal: undefined });
    } else if (figure.key === "boto3") {
      const ok = ratio <= BOTO3_GOAL;
      passed &&= ok;
      const floor = figures.cold.find((other) => other.key === "floor");
      const floorRatio =
        floor === undefined || floor.skipped !== undefined
          ? ""
          : ` (floor ${formatRatio(floor.medianToOutputMs / figure.medianToOutputMs)})`;
      row.ratio = `${formatRatio(ratio, BOTO3_GOAL)}${floorRatio}`;
      row.goal = `≤ ${formatRatio(BOTO3_GOAL)}`;
      row.result = verdict(ok);
      bars.push({ metric: "Cold run vs boto3 script", ratio, goal: BOTO3_GOAL });
    } else if (figure.key === "floor") {
      bars.push({ metric: "Cold run vs the floor", ratio, goal: undefined });
    }
    rows.push(row);
  }

  const { warm } = figures;
  const warmMeasure = `Warm invoke, ${warm.invokes} sequential in one process`;
  const warmRatio = warm.connector.medianMs / warm.raw.medianMs;
  const warmOk = warmRatio <= WARM_GOAL;
  passed &&= warmOk;
  rows.push(
    {
      measure: warmMeasure,
      contender: "connector: invokeFunctionAction.run on one Executor",
      figure: `median ${formatMs(warm.connector.medianMs)}, p95 ${formatMs(warm.connector.p95Ms)}`,
      ratio: "—",
      goal: "—",
      result: "",
    },
    {
      measure: warmMeasure,
      contender: "raw SDK: LambdaClient.send(InvokeCommand)",
      figure: `median ${formatMs(warm.raw.medianMs)}, p95 ${formatMs(warm.raw.p95Ms)}`,
      ratio: `${formatRatio(warmRatio, WARM_GOAL)} (${signedMs(warm.connector.medianMs - warm.raw.medianMs)}; p95 ${formatRatio(warm.connector.p95Ms / warm.raw.p95Ms)})`,
      goal: `≤ ${formatRatio(WARM_GOAL)}`,
      result: verdict(warmOk),
    },
  );
  bars.push({ metric: "Warm invoke vs raw SDK (median)", ratio: warmRatio, goal: WARM_GOAL });

  const stsOk = figures.sts.atEndpoint === 1 && figures.sts.byExecutor === 1;
  passed &&= stsOk;
  rows.push({
    measure: `AssumeRole calls during the ${warm.invokes} warm invokes`,
    contender: "connector",
    figure: `${figures.sts.atEndpoint} at the endpoint, ${figures.sts.byExecutor} by the executor`,
    ratio: "—",
    goal: "exactly 1",
    result: verdict(stsOk),
  });

  const { memory } = figures;
  const memoryMeasure = `Peak RSS, ${(memory.payloadBytes / 2 ** 20).toFixed(2)} MiB payload round trip (median of ${memory.runs})`;
  const memoryRatio = memory.connectorMiB / memory.rawMiB;
  const memoryOk = memoryRatio <= MEMORY_GOAL;
  passed &&= memoryOk;
  rows.push(
    {
      measure: memoryMeasure,
      contender: "connector: node dist/main.js invoke_function",
      figure: `${memory.connectorMiB.toFixed(1)} MiB`,
      ratio: "—",
      goal: "—",
      result: "",
    },
    {
      measure: memoryMeasure,
      contender: "raw SDK script (raw-sdk.mjs)",
      figure: `${memory.rawMiB.toFixed(1)} MiB`,
      ratio: formatRatio(memoryRatio, MEMORY_GOAL),
      goal: `≤ ${formatRatio(MEMORY_GOAL)}`,
      result: verdict(memoryOk),
    },
  );
  bars.push({ metric: "Peak memory vs raw SDK script", ratio: memoryRatio, goal: MEMORY_GOAL });

  const { cache } = figures;
  if (cache !== undefined) {
    const cacheMeasure = `Code cache rejected (NODE_OPTIONS=${REJECTING_OPTIONS}), start to ::set-output (median of ${cache.runs})`;
    const cacheOk = cache.rewritten && cache.hit;
    passed &&= cacheOk;
    rows.push(
      {
        measure: cacheMeasure,
        contender: "run that finds the cache rejected",
        figure: `${formatMs(cache.rejectedMs)}, ${cache.rewritten ? "wrote a new cache" : "wrote NO cache"}`,
        ratio: "—",
        goal: "writes one",
        result: verdict(cache.rewritten),
      },
      {
        measure: cacheMeasure,
        contender: "the next run, same options",
        figure: `${formatMs(cache.nextMs)}, ${cache.hit ? "hit" : "MISSED"}`,
        ratio: "—",
        goal: "a hit",
        result: verdict(cache.hit),
      },
    );
  }

  return { rows, bars, assumeRoleCalls: figures.sts.atEndpoint, passed };
}
