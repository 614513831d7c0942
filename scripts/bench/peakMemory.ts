import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ENTRY_PATH } from "../lib/runEntryProcess.js";
import { checkOutput } from "./coldRuns.js";
import { cleanEnvironment, type ProcessSpec, runTimed } from "./runTimed.js";

/** Peak RSS per run of each side, in KiB. */
export interface MemoryResult {
  /** Bytes of the event's JSON text. */
  payloadBytes: number;
  connectorKiB: number[];
  rawKiB: number[];
}

/** Lambda's limit for a synchronous request and for its response. */
const SYNC_LIMIT_BYTES = 6 * 1024 * 1024;
/** Room left under the limit for `echo`'s wrapper around the event it returns. */
const ECHO_WRAPPER_ROOM_BYTES = 1024;

const PRELOAD = pathToFileURL(join(import.meta.dirname, "report-max-rss.mjs")).href;
const MAX_RSS_LINE = /^bench-max-rss-kib (\d+)$/m;

/**
 * An event whose JSON text is exactly `bytes` long: indicator records like a playbook
 * would send in bulk, padded to size in the last field.
 */
export function eventOfSize(bytes: number): Record<string, unknown> {
  const records: Record<string, unknown>[] = [];
  const event = { records, padding: "" };
  let length = JSON.stringify(event).length;
  for (let i = 0; ; i++) {
    const next = JSON.stringify(record(i)).length + (i === 0 ? 0 : 1);
    if (length + next > bytes) {
      break;
    }
    records.push(record(i));
    length += next;
  }
  event.padding = "x".repeat(bytes - length);
  return event;
}

function record(i: number): Record<string, unknown> {
  const n = String(i).padStart(7, "0");
  return {
    id: `ind-${n}`,
    indicator: `198.51.${(i >> 8) & 255}.${i & 255}`,
    kind: "ipv4",
    score: i % 100,
    tags: ["bench", "bulk"],
  };
}

/**
 * Peak resident memory of a fresh process per run for a round trip of an event just
 * under Lambda's 6 MB limit through `echo`: the connector's entry versus the raw SDK
 * script, `runs` each, alternating. Each child reports its own `maxRSS` at exit.
 */
export async function measurePeakMemory(
  asset: Record<string, string>,
  functionName: string,
  runs: number,
  progress: (line: string) => void,
): Promise<MemoryResult> {
  const event = eventOfSize(SYNC_LIMIT_BYTES - ECHO_WRAPPER_ROOM_BYTES);
  const connector: ProcessSpec = {
    command: process.execPath,
    args: ["--import", PRELOAD, ENTRY_PATH, "invoke_function"],
    env: cleanEnvironment({ ASSET_KEYS: Object.keys(asset).join(",") }),
    stdin: JSON.stringify({ ...asset, function_name: functionName, payload: event }),
  };
  const raw: ProcessSpec = {
    command: process.execPath,
    args: ["--import", PRELOAD, join(import.meta.dirname, "raw-sdk.mjs"), functionName],
    env: cleanEnvironment({ BENCH_ASSET: JSON.stringify(asset) }),
    stdin: JSON.stringify(event),
  };
  const result: MemoryResult = {
    payloadBytes: JSON.stringify(event).length,
    connectorKiB: [],
    rawKiB: [],
  };
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? ([connector, raw] as const) : ([raw, connector] as const);
    for (const spec of order) {
      const kib = await peakOf(spec, event);
      (spec === connector ? result.connectorKiB : result.rawKiB).push(kib);
    }
    progress(`bench: memory round ${i + 1}/${runs}\n`);
  }
  return result;
}

async function peakOf(spec: ProcessSpec, event: unknown): Promise<number> {
  const run = await runTimed(spec);
  const side = spec.args[2] === ENTRY_PATH ? "connector" : "raw SDK script";
  const problem =
    run.exitCode === 0
      ? checkOutput(run.stdout, event)
      : `exit code ${run.exitCode}; stderr: ${run.stderr.trim().slice(-2000)}`;
  if (problem !== undefined) {
    throw new Error(`6 MB round trip through the ${side} failed: ${problem}`);
  }
  const match = MAX_RSS_LINE.exec(run.stderr);
  if (match === null) {
    throw new Error(`the ${side} did not report its peak memory`);
  }
  return Number(match[1]);
}
