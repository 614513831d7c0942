/**
 * zod's share of a cold run: `node --cpu-prof dist/main.js invoke_function` against the
 * local endpoint (warm environments, as the benchmark runs), the profile's samples
 * mapped through the bundle's source map to the package they ran in. A sample counts
 * for zod when any frame of its stack is zod's code (schemas built at start, the asset
 * and inputs parsed), so the share includes what zod calls back into.
 *
 *   node scripts/with-node.mjs 24 --import tsx scripts/bench/zodShare.ts [--runs 9]
 *
 * Prints one line per run and the medians; writes nothing.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { originalPositionFor, TraceMap } from "@jridgewell/trace-mapping";
import { demoAsset } from "../../local-aws/defaultWorld.js";
import { startLocalAws } from "../../local-aws/LocalAws.js";
import { ENTRY_PATH } from "../lib/runEntryProcess.js";
import { cleanEnvironment, runTimed } from "./runTimed.js";
import { median } from "./stats.js";

interface ProfileNode {
  id: number;
  callFrame: { url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values } = parseArgs({ options: { runs: { type: "string", default: "9" } } });
const runs = Number(values.runs);
// The bundle an invoke runs (dist/main.js picks it by the action).
const bundle = join(ENTRY_PATH, "..", "invoke.cjs");
const map = new TraceMap(readFileSync(`${bundle}.map`, "utf8"));

/** The package a bundle position comes from: `zod`, `@aws-sdk/…`, or `src` for the connector's own. */
function packageAt(line: number, column: number): string {
  const source = originalPositionFor(map, { line: line + 1, column }).source ?? "";
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  return match?.[1] ?? (source.includes("/src/") ? "src" : "other");
}

/** Milliseconds of the profile in all, in the bundle, and with zod on the stack. */
function shares(profile: Profile): { totalMs: number; bundleMs: number; zodMs: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parentOf.set(child, node.id);
    }
  }
  const inBundle = new Map<number, string | undefined>();
  const packageOf = (node: ProfileNode): string | undefined => {
    if (!inBundle.has(node.id)) {
      const { url, lineNumber, columnNumber } = node.callFrame;
      inBundle.set(
        node.id,
        url.endsWith("invoke.cjs") ? packageAt(lineNumber, columnNumber) : undefined,
      );
    }
    return inBundle.get(node.id);
  };
  let totalMs = 0;
  let bundleMs = 0;
  let zodMs = 0;
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    totalMs += ms;
    let zod = false;
    let bundled = false;
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const node = byId.get(at);
      const name = node === undefined ? undefined : packageOf(node);
      bundled ||= name !== undefined;
      zod ||= name === "zod";
    }
    bundleMs += bundled ? ms : 0;
    zodMs += zod ? ms : 0;
  });
  return { totalMs, bundleMs, zodMs };
}

const aws = await startLocalAws({ warmEnvironments: true });
const asset = demoAsset(aws.url);
const results: ReturnType<typeof shares>[] = [];
try {
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), "zod-share-"));
    const run = await runTimed({
      command: process.execPath,
      args: [
        "--cpu-prof",
        "--cpu-prof-interval",
        "100",
        "--cpu-prof-dir",
        dir,
        ENTRY_PATH,
        "invoke_function",
      ],
      env: cleanEnvironment({ ASSET_KEYS: Object.keys(asset).join(",") }),
      stdin: JSON.stringify({
        ...asset,
        function_name: "echo",
        payload: { indicator: "198.51.100.7" },
      }),
    });
    if (run.exitCode !== 0) {
      throw new Error(`run ${i + 1} failed: ${run.stderr.slice(-1000)}`);
    }
    const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
    if (file === undefined) {
      throw new Error(`run ${i + 1} wrote no profile`);
    }
    const result = shares(JSON.parse(readFileSync(join(dir, file), "utf8")) as Profile);
    rmSync(dir, { recursive: true, force: true });
    results.push(result);
    process.stdout.write(
      `run ${i + 1}: profiled ${result.totalMs.toFixed(1)} ms, bundle ${result.bundleMs.toFixed(1)} ms, zod ${result.zodMs.toFixed(1)} ms\n`,
    );
  }
} finally {
  await aws.close();
}
const total = median(results.map((result) => result.totalMs));
const bundleMs = median(results.map((result) => result.bundleMs));
const zod = median(results.map((result) => result.zodMs));
process.stdout.write(
  `Node ${process.version}, median of ${runs}: zod ${zod.toFixed(1)} ms of ${total.toFixed(1)} ms profiled (${((100 * zod) / total).toFixed(1)}%), of the bundle's ${bundleMs.toFixed(1)} ms ${((100 * zod) / bundleMs).toFixed(1)}%\n`,
);
