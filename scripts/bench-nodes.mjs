// `npm run bench`: the benchmark once per Node, each run on it alone, one after the other
// (then the at-scale benchmark, scripts/bench/scale.ts, on the same Node):
// Node 22 on a patch other than the one that built dist/, then Node 24. BENCH_NODES
// names others (scripts/with-node.mjs's names, space-separated); arguments pass on.
// Then the sweep benchmark (scripts/bench/sweep.ts), once.
//
//   node scripts/bench-nodes.mjs [--quick --no-write ...]
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const nodes = (process.env.BENCH_NODES ?? "22-previous 24").split(/\s+/).filter(Boolean);
const scripts = import.meta.dirname;
for (const node of nodes) {
  const run = spawnSync(
    process.execPath,
    [
      join(scripts, "with-node.mjs"),
      node,
      "--import",
      "tsx",
      join(scripts, "bench.ts"),
      ...process.argv.slice(2),
    ],
    { stdio: "inherit" },
  );
  if (run.status !== 0) {
    process.exit(run.status ?? 1);
  }
  // The at-scale benchmark (batches, throttling, streams): its own section of the doc.
  const scale = spawnSync(
    process.execPath,
    [
      join(scripts, "with-node.mjs"),
      node,
      "--import",
      "tsx",
      join(scripts, "bench", "scale.ts"),
      ...process.argv.slice(2).filter((arg) => arg === "--quick" || arg === "--no-write"),
    ],
    { stdio: "inherit" },
  );
  if (scale.status !== 0) {
    process.exit(scale.status ?? 1);
  }
}

// The sweep benchmark once, on this Node (it measures concurrency, not start-up).
const sweep = spawnSync(
  process.execPath,
  [
    "--import",
    "tsx",
    join(scripts, "bench", "sweep.ts"),
    ...process.argv.slice(2).filter((arg) => arg === "--no-write"),
  ],
  { stdio: "inherit" },
);
if (sweep.status !== 0) {
  process.exit(sweep.status ?? 1);
}
