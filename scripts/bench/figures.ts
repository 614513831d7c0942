import { cpus, loadavg, totalmem, type } from "node:os";
import type { CacheResult } from "./cacheRuns.js";
import type { ColdKey, ColdResult } from "./coldRuns.js";
import type { MemoryResult } from "./peakMemory.js";
import { median, percentile } from "./stats.js";
import type { WarmResult } from "./warmInvokes.js";

/** One cold-start contender's medians. */
export interface ColdFigure {
  key: ColdKey;
  label: string;
  /** Why it did not run, when it did not. */
  skipped?: string | undefined;
  medianToOutputMs: number;
  medianToExitMs: number;
}

/** What one benchmark run found, summarised: what the table, the doc and the chart show. */
export interface BenchFigures {
  /** `process.version` of the Node that ran everything. */
  nodeVersion: string;
  /** When the run finished, ISO 8601. */
  date: string;
  machine: {
    cpu: string;
    cores: number;
    memoryGiB: number;
    os: string;
    /** The 1-minute load average when the run started and when it ended. */
    load?: [number, number];
  };
  /** The previous release compared against, e.g. `v0.1.0 (63ea7dc)`. */
  previousRelease: string;
  /** Cold runs per contender. */
  runs: number;
  cold: ColdFigure[];
  warm: {
    invokes: number;
    connector: { medianMs: number; p95Ms: number };
    raw: { medianMs: number; p95Ms: number };
  };
  sts: { atEndpoint: number; byExecutor: number };
  memory: { payloadBytes: number; runs: number; connectorMiB: number; rawMiB: number };
  /** Runs after a rejected cache, and the run after each; absent from older runs' figures. */
  cache?: { runs: number; rejectedMs: number; nextMs: number; rewritten: boolean; hit: boolean };
}

/** What the measurements summarise from. */
export interface Measurements {
  previousRelease: string;
  runs: number;
  cold: ColdResult[];
  warm: WarmResult;
  memory: MemoryResult;
  cache: CacheResult;
  /** The 1-minute load average when the run started. */
  loadAtStart: number;
}

/** `value` to `digits` decimals, so that the figures kept in the doc stay short. */
function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Summarises the measurements into medians and percentiles, with the machine and Node. */
export function summarise(measurements: Measurements): BenchFigures {
  const { cold, warm, memory, cache } = measurements;
  return {
    nodeVersion: process.version,
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
      cores: cpus().length,
      memoryGiB: round(totalmem() / 2 ** 30, 1),
      os: `${type()} ${process.arch}`,
      load: [round(measurements.loadAtStart, 2), round(loadavg()[0] ?? 0, 2)],
    },
    previousRelease: measurements.previousRelease,
    runs: measurements.runs,
    cold: cold.map((result) => ({
      key: result.key,
      label: result.label,
      ...(result.skipped === undefined ? {} : { skipped: result.skipped }),
      medianToOutputMs: round(median(result.toOutputMs), 2),
      medianToExitMs: round(median(result.toExitMs), 2),
    })),
    warm: {
      invokes: warm.connectorMs.length,
      connector: {
        medianMs: round(median(warm.connectorMs), 3),
        p95Ms: round(percentile(warm.connectorMs, 95), 3),
      },
      raw: { medianMs: round(median(warm.rawMs), 3), p95Ms: round(percentile(warm.rawMs, 95), 3) },
    },
    sts: { atEndpoint: warm.assumeRoleCallsAtEndpoint, byExecutor: warm.assumeRoleCallsByExecutor },
    memory: {
      payloadBytes: memory.payloadBytes,
      runs: memory.connectorKiB.length,
      connectorMiB: round(median(memory.connectorKiB) / 1024, 2),
      rawMiB: round(median(memory.rawKiB) / 1024, 2),
    },
    cache: {
      runs: cache.rejectedMs.length,
      rejectedMs: round(median(cache.rejectedMs), 2),
      nextMs: round(median(cache.nextMs), 2),
      rewritten: cache.rewritten,
      hit: cache.hit,
    },
  };
}
