import { type Assessment, formatRatio } from "./assess.js";
import type { BenchFigures } from "./figures.js";

/** One benchmark run to draw: its figures and how they were judged. */
export interface ChartSeries {
  figures: BenchFigures;
  assessment: Assessment;
}

const WIDTH = 860;
const LABEL_X = 20;
const PLOT_LEFT = 300;
const PLOT_RIGHT = 660;
const BAR_HEIGHT = 16;
const BAR_GAP = 6;
const GROUP_GAP = 16;
const COLORS = { pass: "#2e7d32", fail: "#c62828", none: "#8a8a8a" } as const;
const FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";

function escapeXml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

function text(x: number, y: number, content: string, attributes = ""): string {
  return `<text x="${x}" y="${y}"${attributes === "" ? "" : ` ${attributes}`}>${escapeXml(content)}</text>`;
}

function nodeLabel(figures: BenchFigures): string {
  return `Node ${figures.nodeVersion.replace(/^v/, "")}`;
}

/** A step between grid lines that gives four to eight of them up to `max`. */
function tickStep(max: number): number {
  return [0.25, 0.5, 1, 2, 5].find((step) => max / step <= 8) ?? 10;
}

/**
 * A horizontal bar chart, hand-made SVG, of the connector's ratios to each contender:
 * one group per comparison, one bar per Node version, each goal marked on its bar,
 * green when met, red when missed, grey for comparisons without a goal.
 *
 * @example
 * ```ts
 * writeFileSync("docs/benchmarks.svg", renderChart([{ figures, assessment: assess(figures) }]));
 * ```
 */
export function renderChart(series: readonly ChartSeries[]): string {
  const metrics = [
    ...new Set(series.flatMap((one) => one.assessment.bars.map((bar) => bar.metric))),
  ];
  const largest = Math.max(
    1.25,
    ...series.flatMap((one) =>
      one.assessment.bars.flatMap((bar) => [bar.ratio, bar.goal ?? 0]).filter(Number.isFinite),
    ),
  );
  const step = tickStep(largest * 1.1);
  const scaleMax = Math.ceil((largest * 1.1) / step) * step;
  const x = (ratio: number) =>
    PLOT_LEFT + (Math.min(ratio, scaleMax) / scaleMax) * (PLOT_RIGHT - PLOT_LEFT);

  const body: string[] = [];
  const plotTop = 96;
  let y = plotTop;
  for (const metric of metrics) {
    body.push(text(LABEL_X, y + 12, metric, 'font-weight="600"'));
    y += 20;
    for (const one of series) {
      const bar = one.assessment.bars.find((candidate) => candidate.metric === metric);
      body.push(text(LABEL_X + 14, y + 12, nodeLabel(one.figures), 'fill="#444"'));
      if (bar === undefined || !Number.isFinite(bar.ratio)) {
        body.push(text(PLOT_LEFT + 4, y + 12, "not measured", 'fill="#666" font-style="italic"'));
        y += BAR_HEIGHT + BAR_GAP;
        continue;
      }
      const met = bar.goal === undefined ? undefined : bar.ratio <= bar.goal;
      const color = met === undefined ? COLORS.none : met ? COLORS.pass : COLORS.fail;
      const end = x(bar.ratio);
      body.push(
        `<rect x="${PLOT_LEFT}" y="${y}" width="${(end - PLOT_LEFT).toFixed(1)}" height="${BAR_HEIGHT}" fill="${color}" rx="2"/>`,
      );
      let labelAt = end;
      let label = formatRatio(bar.ratio, bar.goal);
      if (bar.goal !== undefined) {
        const goalX = x(bar.goal);
        body.push(
          `<line x1="${goalX.toFixed(1)}" y1="${y - 3}" x2="${goalX.toFixed(1)}" y2="${y + BAR_HEIGHT + 3}" stroke="#111" stroke-width="2.5"/>`,
        );
        labelAt = Math.max(end, goalX);
        label += ` · goal ≤ ${formatRatio(bar.goal)} · ${met ? "PASS" : "FAIL"}`;
      }
      body.push(
        text(labelAt + 6, y + 12, label, `fill="${color === COLORS.none ? "#333" : color}"`),
      );
      y += BAR_HEIGHT + BAR_GAP;
    }
    y += GROUP_GAP;
  }
  const plotBottom = y - GROUP_GAP + 4;

  const grid: string[] = [];
  for (let tick = 0; tick <= scaleMax + 1e-9; tick += step) {
    const tx = x(tick).toFixed(1);
    const one = Math.abs(tick - 1) < 1e-9;
    grid.push(
      `<line x1="${tx}" y1="${plotTop - 6}" x2="${tx}" y2="${plotBottom}" stroke="${one ? "#555" : "#e2e2e2"}"${one ? ' stroke-dasharray="5 4"' : ""}/>`,
      text(
        Number(tx),
        plotBottom + 16,
        `${Number(tick.toFixed(2))}×`,
        'text-anchor="middle" fill="#555"',
      ),
    );
  }

  const first = series[0]?.figures;
  const machine =
    first === undefined
      ? ""
      : `${first.machine.cpu}, ${first.machine.cores} cores, ${first.machine.memoryGiB} GiB`;
  const sts = series
    .map((one) => `${nodeLabel(one.figures)}: ${one.assessment.assumeRoleCalls}`)
    .join(" · ");
  const legendY = plotBottom + 44;
  const legend = [
    [COLORS.pass, "meets its goal"],
    [COLORS.fail, "misses its goal"],
    [COLORS.none, "for comparison, no goal"],
  ]
    .map(
      ([color, name], i) =>
        `<rect x="${LABEL_X + i * 190}" y="${legendY - 10}" width="12" height="12" fill="${color}"/>${text(LABEL_X + i * 190 + 18, legendY, name ?? "")}`,
    )
    .join("");
  const goalLegend = `<line x1="${LABEL_X + 3 * 190 + 6}" y1="${legendY - 12}" x2="${LABEL_X + 3 * 190 + 6}" y2="${legendY + 3}" stroke="#111" stroke-width="2.5"/>${text(LABEL_X + 3 * 190 + 16, legendY, "goal")}`;
  const footY = legendY + 26;
  const height = footY + 44;

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT}" font-size="13">`,
    `<title>Connector benchmark: ratios to each contender against the goals of issue 9</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    text(
      LABEL_X,
      30,
      "AWS Lambda connector: its time and memory ÷ each contender's",
      'font-size="17" font-weight="700"',
    ),
    text(
      LABEL_X,
      52,
      "Shorter is better: left of the dashed 1× line the connector is faster or smaller.",
      'fill="#444"',
    ),
    text(LABEL_X, 70, machine, 'fill="#666" font-size="12"'),
    ...grid,
    ...body,
    legend,
    goalLegend,
    text(
      LABEL_X,
      footY,
      `AssumeRole calls during the warm invokes (goal: exactly 1): ${sts}`,
      'fill="#333"',
    ),
    text(
      LABEL_X,
      footY + 20,
      `From npm run bench: ${series.map((one) => `${nodeLabel(one.figures)} on ${one.figures.date.slice(0, 10)}`).join(", ")}. Figures in docs/benchmarks.md.`,
      'fill="#666" font-size="12"',
    ),
    "</svg>",
    "",
  ].join("\n");
}
