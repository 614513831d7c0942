import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assess } from "./assess.js";
import { renderChart } from "./chart.js";
import { evidenceSectionOf } from "./evidenceDocs.js";
import type { BenchFigures } from "./figures.js";
import { markdownTable } from "./formatTable.js";
import { keptSections } from "./keptSections.js";

/** Sections of older, unsupported Node majors are dropped. */
const OLDEST_SUPPORTED = 22;

/** Each section of the doc carries its run's figures in a comment like this one. */
const FIGURES_COMMENT = /^<!-- bench-figures (.*) -->$/gm;

function nodeMajor(figures: BenchFigures): number {
  return Number(/^v?(\d+)/.exec(figures.nodeVersion)?.[1] ?? "0");
}

/** The figures of earlier runs kept in `markdown`, one per Node major. */
function keptFigures(markdown: string): BenchFigures[] {
  const kept: BenchFigures[] = [];
  for (const match of markdown.matchAll(FIGURES_COMMENT)) {
    try {
      kept.push(JSON.parse(match[1] ?? "") as BenchFigures);
    } catch {
      // A hand-edited comment that no longer parses is dropped: the next run rewrites it.
    }
  }
  return kept;
}

function section(figures: BenchFigures): string {
  const assessment = assess(figures);
  const goals = assessment.rows.filter((row) => row.result !== "");
  const met = goals.filter((row) => row.result === "PASS").length;
  const { machine } = figures;
  return [
    `## Node ${figures.nodeVersion.replace(/^v/, "")}`,
    "",
    `Run on ${figures.date.slice(0, 16).replace("T", " ")} UTC · ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}${machine.load === undefined ? "" : ` · load average ${machine.load[0]} at the start, ${machine.load[1]} at the end`} · previous release ${figures.previousRelease} · goals met: ${met} of ${goals.length}.`,
    "",
    `<!-- bench-figures ${JSON.stringify(figures)} -->`,
    "",
    markdownTable(assessment.rows),
  ].join("\n");
}

const METHOD = `## How it is measured

Everything runs on the Node that runs the script, against the local endpoint
(\`local-aws/\`, started in the benchmark's process), with the demo asset: the demo
user's keys, then AssumeRole into \`TurbineLambdaInvoker\` with its ExternalId, then a
synchronous invoke of \`echo\`, which returns its event. The endpoint answers from a warm
execution environment, as Lambda does once a function has run
(\`startLocalAws({ warmEnvironments: true })\`): the worker of the last clean invocation
of \`echo\` runs the next, with its module loaded. Until 2026-12-02 every invocation
started a fresh worker thread, tens of milliseconds that landed in every contender's
figure alike, the floor's too (on Node 24 the floor went from 219 to 164 ms, load
average 4), so that the ratios measured the endpoint more than the clients.

- **Cold run**: a fresh process per run, timed from just before the spawn to the end of
  its \`::set-output\` line on stdout (and to its exit). The contenders run round-robin,
  each round starting one further on, after one untimed round that warms the file
  cache. _Connector_ is the entry as Turbine runs it: \`node dist/main.js invoke_function\`,
  the flat document on stdin and \`ASSET_KEYS\` set. _(a)_ is the previous release, built
  once from its git tag into \`node_modules/.cache/bench/\` and given the
  \`{"asset": …, "inputs": …}\` document it understands. _(b)_ \`scripts/bench/raw-sdk.mjs\`
  and _(c)_ \`scripts/bench/boto3_invoke.py\` do the same AssumeRole and Invoke as a
  developer would write them, with no validation or error mapping. _(d)_, the floor,
  \`scripts/bench/floor.mjs\`, signs (SigV4) and sends the same two requests with
  Node's built-ins alone: nothing written in JavaScript starts faster on that Node. The
  boto3 row also gives the floor's ratio to boto3.
- **Code cache rejected**: on a fresh copy of \`dist/\` per round, a run with
  \`NODE_OPTIONS=--stack-trace-limit=50\` (a V8 flag, so V8 rejects the shipped cache)
  must write a new cache at exit, and the next run with the same options must use it
  as it is (the loader writes only after a miss or a rejection, so an unchanged file is
  a hit).
- **Warm invoke**: in the benchmark's own process, one \`Executor\` running
  \`invokeFunctionAction.run\` against one \`LambdaClient\` with the credentials of one
  AssumeRole, sending the same event; both sides encode the event and decode the answer.
  The sides alternate invoke by invoke after untimed warm-up invokes. With the warm
  environment an invoke takes a few milliseconds, so the ratio now shows the
  connector's own cost (the difference between the two medians), where the fresh
  worker's ~50 ms used to hide it. Over the endpoint's plain http the executor opens a
  connection per call (its http agent does not keep connections alive; its https agent,
  AWS's, does) while the SDK's default agent reuses one, which may be part of that
  difference (not measured apart).
- **AssumeRole calls**: counted by the endpoint and by the executor, from the fresh
  executor's first invoke (warm-up included) to its last.
- **Peak memory**: a fresh process per run for an event just under Lambda's 6 MB limit
  (records of indicators) sent to \`echo\` and printed back; each child reports its own
  peak resident set size (\`process.resourceUsage().maxRSS\`) at exit through
  \`scripts/bench/report-max-rss.mjs\`, preloaded with \`--import\` on both sides.
- **zod's share** (not in the table): \`scripts/bench/zodShare.ts\` profiles cold runs
  (\`--cpu-prof\`) and maps each sample through the bundle's source map; a sample is
  zod's when a zod frame is on its stack.

Ratios are the connector's figure divided by the contender's, taken from one run: these
machines are noisy (two cores shared with other work: each section gives the load
average), and the ratios of one run are the figures that count. Each Node major keeps
the section of its latest run; the chart shows them side by side. \`dist/\` is built on
Node 22's newest patch (node_modules/node22) and the Node 22 section runs on another
patch (node_modules/node22-previous): patches of one Node line share a V8, so its
code cache is a hit there.
`;

const HOW_TO_RUN = `## How to run

\`\`\`sh
npm run bench                                  # builds, then runs on Node 22 (another patch) and Node 24
BENCH_NODES=24 npm run bench                   # only Node 24 (names of scripts/with-node.mjs)
npm run bench -- --runs 25 --invokes 2000      # more cold runs and warm invokes
npm run bench -- --quick --no-write            # smoke test: small numbers, print only
\`\`\`

It needs \`git\` (and the \`v0.1.0\` tag or its commit) to build the previous release, and
\`python3\` with boto3 for row (c), which is skipped otherwise. The default run takes
about three minutes per Node on two cores. It prints the table to stdout and rewrites
this file and \`benchmarks.svg\`.
`;

/** The at-scale benchmark's section (scripts/bench/scale.ts writes it), kept as it is. */
function keptScaleSection(markdown: string): string[] {
  const start = markdown.indexOf("<!-- scale-bench:start -->");
  const endMarker = "<!-- scale-bench:end -->";
  const end = markdown.indexOf(endMarker);
  return start >= 0 && end > start ? [markdown.slice(start, end + endMarker.length), ""] : [];
}

/**
 * Rewrites `docs/benchmarks.md` with a section for this run's Node major (keeping the
 * latest section of every other major), the method and how to run it, and
 * `docs/benchmarks.svg` with the chart of every section's ratios.
 */
export function writeBenchmarkDocs(figures: BenchFigures, docsDir: string): string[] {
  const markdownPath = join(docsDir, "benchmarks.md");
  const chartPath = join(docsDir, "benchmarks.svg");
  const previous = existsSync(markdownPath) ? readFileSync(markdownPath, "utf8") : "";
  const all = [
    figures,
    ...keptFigures(previous).filter(
      (kept) => nodeMajor(kept) !== nodeMajor(figures) && nodeMajor(kept) >= OLDEST_SUPPORTED,
    ),
  ].sort((a, b) => nodeMajor(b) - nodeMajor(a));

  const markdown = [
    "# Benchmarks",
    "",
    "What `npm run bench` measured: the connector's cold start against the previous release,",
    "a raw AWS SDK v3 script, a boto3 script and the floor (the same requests with Node's",
    "built-ins alone); its per-invoke time and AssumeRole calls in a long-lived process; its",
    "peak memory for a 6 MB payload; and the runs after a rejected code cache.",
    "",
    "![The connector's ratios to each contender, against their goals](benchmarks.svg)",
    "",
    ...all.map(section),
    // The evidence benchmark (`--evidence`) writes its own section: keep it.
    evidenceSectionOf(previous),
    // What other benchmarks wrote (the sweep's) stays as they wrote it.
    ...keptSections(previous).map((kept) => `${kept}\n`),
    METHOD,
    HOW_TO_RUN,
    ...keptScaleSection(previous),
  ].join("\n");
  writeFileSync(markdownPath, markdown);
  writeFileSync(
    chartPath,
    renderChart(all.map((one) => ({ figures: one, assessment: assess(one) }))),
  );
  return [markdownPath, chartPath];
}
