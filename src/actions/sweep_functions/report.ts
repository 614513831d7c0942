import type { z } from "zod";
import { ConnectorError } from "../../errors.js";
import { uploadFile } from "../../turbine/files.js";
import { SEVERITIES, type Severity } from "./checks.js";
import type { SweepFinding, sweepFunctionsOutput } from "./output.js";

type Counts = Record<Severity, number>;

/** Every finding ranked: by severity, then account, region, function and qualifier. */
export function rankFindings(findings: Omit<SweepFinding, "rank">[]): SweepFinding[] {
  const order = (severity: Severity) => SEVERITIES.indexOf(severity);
  return [...findings]
    .sort(
      (a, b) =>
        order(a.severity) - order(b.severity) ||
        a.account_id.localeCompare(b.account_id) ||
        a.region.localeCompare(b.region) ||
        a.function_name.localeCompare(b.function_name) ||
        (a.qualifier ?? "").localeCompare(b.qualifier ?? ""),
    )
    .map((finding, index) => ({ rank: index + 1, ...finding }));
}

function zeroCounts(): Counts {
  return Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Counts;
}

/**
 * Findings by severity, by account and by region; every account and region that was
 * checked has a row, with its functions, even when nothing was found there.
 */
export function countFindings(
  findings: readonly SweepFinding[],
  checked: readonly { account_id: string; region: string }[],
): z.input<typeof sweepFunctionsOutput>["counts"] {
  const bySeverity = zeroCounts();
  const rows = (key: "account_id" | "region") => {
    const table = new Map<string, { functions: number; findings_by_severity: Counts }>();
    const row = (name: string) => {
      let entry = table.get(name);
      if (entry === undefined) {
        entry = { functions: 0, findings_by_severity: zeroCounts() };
        table.set(name, entry);
      }
      return entry;
    };
    for (const fn of checked) {
      row(fn[key]).functions += 1;
    }
    for (const finding of findings) {
      row(finding[key]).findings_by_severity[finding.severity] += 1;
    }
    return [...table.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, entry]) => ({ [key]: name, ...entry }));
  };
  for (const finding of findings) {
    bySeverity[finding.severity] += 1;
  }
  return {
    by_severity: bySeverity,
    accounts: rows("account_id") as {
      account_id: string;
      functions: number;
      findings_by_severity: Counts;
    }[],
    regions: rows("region") as {
      region: string;
      functions: number;
      findings_by_severity: Counts;
    }[],
  };
}

const CSV_COLUMNS = [
  "rank",
  "severity",
  "check",
  "account_id",
  "region",
  "function_name",
  "function_arn",
  "kind",
  "qualifier",
  "what",
  "why",
  "containment_action",
  "containment_inputs",
  "remedy",
] as const;

/**
 * One CSV field: quoted when it holds a comma, quote or line break; a leading `=`, `+`,
 * `-`, `@` or tab is prefixed with `'` so that a spreadsheet never runs it as a formula
 * (function names and policy text come from the account being swept).
 */
function csvField(value: string | number | null): string {
  const text = value === null ? "" : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Every finding as CSV, one row each under a header, CRLF line ends (RFC 4180). */
export function findingsCsv(findings: readonly SweepFinding[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const finding of findings) {
    const values: Record<(typeof CSV_COLUMNS)[number], string | number | null> = {
      rank: finding.rank,
      severity: finding.severity,
      check: finding.check,
      account_id: finding.account_id,
      region: finding.region,
      function_name: finding.function_name,
      function_arn: finding.function_arn,
      kind: finding.kind,
      qualifier: finding.qualifier,
      what: finding.what,
      why: finding.why,
      containment_action: finding.containment?.action ?? null,
      containment_inputs:
        finding.containment === null ? null : JSON.stringify(finding.containment.inputs),
      remedy: finding.remedy,
    };
    lines.push(CSV_COLUMNS.map((column) => csvField(values[column])).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** What the output's `report` says. */
export type ReportOutput = z.input<typeof sweepFunctionsOutput>["report"];

/**
 * The whole report as two Turbine files (JSON and CSV) when the platform's file API is
 * there; else, or when it fails, the ranked findings inline, cut to `limitBytes`.
 */
export async function storeReport(
  report: object,
  findings: readonly SweepFinding[],
  options: {
    env: Readonly<Record<string, string | undefined>>;
    limitBytes: number;
    stamp: string;
  },
): Promise<ReportOutput> {
  const fileApi =
    (options.env.IPC_API_URI ?? "") !== "" && (options.env.IPC_API_TOKEN ?? "") !== "";
  let error: ReportOutput["error"] = null;
  if (fileApi) {
    try {
      const encoder = new TextEncoder();
      const name = `lambda-sweep-${options.stamp}`;
      const json = await uploadFile(encoder.encode(JSON.stringify(report)), `${name}.json`, {
        field: "report.json",
        env: options.env,
      });
      const csv = await uploadFile(encoder.encode(findingsCsv(findings)), `${name}.csv`, {
        field: "report.csv",
        env: options.env,
      });
      return { file_api: true, json, csv, error: null, findings: null, truncated: false };
    } catch (failure) {
      if (!(failure instanceof ConnectorError)) {
        throw failure;
      }
      error = { code: failure.code, message: failure.message };
    }
  }
  const inline = cutToFit(findings, options.limitBytes);
  return {
    file_api: fileApi,
    json: null,
    csv: null,
    error,
    findings: inline,
    truncated: inline.length < findings.length,
  };
}

/** The longest head of `findings` whose JSON fits in `limitBytes`. */
function cutToFit(findings: readonly SweepFinding[], limitBytes: number): SweepFinding[] {
  let size = 2;
  const kept: SweepFinding[] = [];
  for (const finding of findings) {
    const bytes = Buffer.byteLength(JSON.stringify(finding)) + 1;
    if (size + bytes > limitBytes) {
      break;
    }
    size += bytes;
    kept.push(finding);
  }
  return kept;
}
