import type { TableRow } from "./assess.js";

const HEADERS = ["contender", "figure", "connector ÷ this", "goal", "result"] as const;

function cells(row: TableRow): string[] {
  return [row.contender, row.figure, row.ratio, row.goal, row.result];
}

/** The rows as plain text for a terminal: a heading per measure, columns aligned. */
export function textTable(rows: readonly TableRow[]): string {
  const widths = HEADERS.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (cells(row)[column] ?? "").length)),
  );
  const line = (values: readonly string[]) =>
    `  ${values.map((value, column) => value.padEnd(widths[column] ?? 0)).join("  ")}`.trimEnd();
  const out = [line(HEADERS)];
  let measure = "";
  for (const row of rows) {
    if (row.measure !== measure) {
      measure = row.measure;
      out.push(measure);
    }
    out.push(line(cells(row)));
  }
  return `${out.join("\n")}\n`;
}

/**
 * The rows as a Markdown table, each measure named on its first row, columns padded
 * the way Biome formats Markdown (so that `biome check` passes on the written doc).
 */
export function markdownTable(rows: readonly TableRow[]): string {
  const escapeCell = (value: string) => value.replaceAll("|", "\\|");
  const header = ["measure", "contender", "figure", "connector ÷ this", "goal", "result"];
  const body: string[][] = [];
  let measure = "";
  for (const row of rows) {
    const shown = row.measure === measure ? "" : row.measure;
    measure = row.measure;
    const result = row.result === "" ? "" : `**${row.result}**`;
    body.push([shown, row.contender, row.figure, row.ratio, row.goal, result].map(escapeCell));
  }
  return alignedMarkdownTable(header, body);
}

/** A Markdown table with its columns padded the way Biome formats Markdown. */
export function alignedMarkdownTable(
  header: readonly string[],
  body: readonly (readonly string[])[],
): string {
  const widths = header.map((title, column) =>
    Math.max(3, title.length, ...body.map((cellsOfRow) => (cellsOfRow[column] ?? "").length)),
  );
  const line = (values: readonly string[]) =>
    `| ${values.map((value, column) => value.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  return `${[line(header), line(widths.map((width) => "-".repeat(width))), ...body.map(line)].join("\n")}\n`;
}
