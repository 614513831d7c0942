import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ENTRY_PATH } from "../lib/runEntryProcess.js";
import { type ColdJob, checkOutput } from "./coldRuns.js";
import { cleanEnvironment, runTimed } from "./runTimed.js";

/**
 * A V8 flag Node allows in NODE_OPTIONS that changes V8's flag hash on Node 22 and 24
 * alike, so the shipped cache is rejected (`--max-old-space-size` no longer does on 24).
 */
export const REJECTING_OPTIONS = "--stack-trace-limit=50";

/** Cold runs of the connector after its cache was rejected, and the run after each. */
export interface CacheResult {
  /** Start to `::set-output` of the run that found the shipped cache rejected. */
  rejectedMs: number[];
  /** Start to `::set-output` of the next run, with the same options. */
  nextMs: number[];
  /** Whether every rejected run wrote a new cache. */
  rewritten: boolean;
  /** Whether every next run used that cache as it was (a hit writes nothing). */
  hit: boolean;
}

/**
 * The inode and SHA-256 of every code cache in `dir`, by name: a rewrite renames a new
 * file over the old one, so even a byte-identical rewrite changes the inode.
 */
function caches(dir: string): Map<string, string> {
  return new Map(
    readdirSync(dir)
      .filter((name) => name.endsWith(".cache"))
      .map((name) => {
        const file = join(dir, name);
        const hash = createHash("sha256").update(readFileSync(file)).digest("hex");
        return [name, `${statSync(file).ino}:${hash}`];
      }),
  );
}

const same = (a: Map<string, string>, b: Map<string, string>) =>
  a.size === b.size && [...a].every(([name, hash]) => b.get(name) === hash);

/**
 * `runs` times, on a fresh copy of dist/: one run with {@link REJECTING_OPTIONS} (V8
 * rejects the shipped cache, the run writes a new one at exit), then a second with the
 * same options (the cache must be a hit: the loader writes nothing then).
 */
export async function measureCacheRuns(
  job: ColdJob,
  runs: number,
  progress: (line: string) => void,
): Promise<CacheResult> {
  const result: CacheResult = { rejectedMs: [], nextMs: [], rewritten: true, hit: true };
  const spec = (entry: string, tempDir: string) => ({
    command: process.execPath,
    args: [entry, "invoke_function"],
    env: cleanEnvironment({
      ASSET_KEYS: Object.keys(job.asset).join(","),
      NODE_OPTIONS: REJECTING_OPTIONS,
      TMPDIR: tempDir,
    }),
    stdin: JSON.stringify({ ...job.asset, function_name: job.functionName, payload: job.event }),
  });
  for (let round = 0; round < runs; round++) {
    const root = mkdtempSync(join(tmpdir(), "bench-cache-"));
    try {
      const dist = join(root, "dist");
      cpSync(dirname(ENTRY_PATH), dist, { recursive: true });
      const entry = join(dist, "main.js");
      const shipped = caches(dist);
      for (const [which, times] of [
        ["rejected", result.rejectedMs],
        ["next", result.nextMs],
      ] as const) {
        const before = caches(dist);
        const run = await runTimed(spec(entry, root));
        const problem = run.exitCode === 0 ? checkOutput(run.stdout, job.event) : run.stderr;
        if (problem !== undefined) {
          throw new Error(`cache run (${which}) failed: ${problem.slice(-2000)}`);
        }
        times.push(run.toOutputMs ?? run.toExitMs);
        const after = caches(dist);
        if (which === "rejected") {
          result.rewritten &&= !same(after, shipped);
        } else {
          result.hit &&= same(after, before);
        }
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    progress(`bench: cache round ${round + 1}/${runs}\n`);
  }
  return result;
}
