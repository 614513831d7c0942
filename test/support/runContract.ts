/**
 * The properties every run of the connector must have, whatever it was given, checked on
 * one {@link RunResult} and counted over many:
 * (a) no crash: exit 0, 1 or 2, and never `internal_error`;
 * (b) every exit-2 failure names a `field`, except the whole-document usage errors;
 * (c) no secret of the run's asset in stdout or stderr, in any form;
 * (d) the output contract: on success one compact `::set-output` line and no error line;
 *     on failure an empty stdout and one compact `::set-error` line, last on stderr, with
 *     string `code`, `message` and `hint`.
 */
import type { RunResult } from "../../src/runConnector.js";
import { ERROR_PREFIX, OUTPUT_PREFIX } from "../../src/turbine/contract.js";
import { type NamedSecret, SecretMatcher } from "./secretScan.js";

/**
 * The exit-2 failures allowed to have no `field`: they are about the whole document or
 * the command line, so no field is to blame. All have code `usage`; anything else at exit
 * 2 must name its field.
 * - not JSON: the text does not parse, so there are no fields;
 * - not an object / mixed forms / `asset` or `inputs` not an object: the document's shape;
 * - unknown action: the command line, not the document;
 * - not UTF-8, over the size limit: the bytes, before any parsing (entry process only).
 */
export const FIELDLESS_USAGE_ERRORS: ReadonlyArray<{ why: string; message: RegExp }> = [
  { why: "standard input is not JSON", message: /^Standard input is not valid JSON\.$/ },
  {
    why: "the document is not a JSON object, mixes the two forms, or its asset/inputs is not an object",
    message: /^Invalid input document: /,
  },
  {
    why: "the action named on the command line does not exist, or none is named",
    message: /^(?:Unknown action |No action named on the command line;)/,
  },
  {
    why: "standard input is not UTF-8 (entry process)",
    message: /^Standard input is not valid UTF-8\.$/,
  },
  {
    why: "standard input is over the size limit (entry process)",
    message: /^Standard input is over \d+ bytes\.$/,
  },
];

/** Exit codes a run may end with: success, failed call, invalid document. */
const EXIT_CODES = new Set([0, 1, 2]);

/** One broken property of one run. */
export interface Violation {
  property: "crash" | "field" | "secret" | "contract";
  detail: string;
}

/** What a run's output showed, beyond the violations. */
export interface RunFacts {
  exitCode: number;
  code: string | undefined;
  /** The run failed with a usage error that is exempt from naming a field. */
  fieldlessUsage: boolean;
  violations: Violation[];
}

/**
 * Checks one run against properties (a) to (d); `secrets` are the asset's secrets and
 * any other the run's environment holds.
 *
 * @example
 * ```ts
 * const facts = checkRun(await runConnector(action, text, { env }), asset.secrets);
 * expect(facts.violations).toEqual([]);
 * ```
 */
export function checkRun(result: RunResult, secrets: readonly NamedSecret[]): RunFacts {
  const violations: Violation[] = [];
  const { exitCode, stdout, stderr } = result;
  if (!EXIT_CODES.has(exitCode)) {
    violations.push({ property: "crash", detail: `exit code ${exitCode}` });
  }
  if (stderr.includes('"code":"internal_error"')) {
    violations.push({ property: "crash", detail: "internal_error on stderr" });
  }
  // A run that did not end in a known way (runConnector threw) is one crash, not also
  // a broken contract: there is no output to hold to it.
  const ended = EXIT_CODES.has(exitCode);
  const error = !ended
    ? undefined
    : exitCode === 0
      ? checkSuccess(result, violations)
      : checkFailure(result, violations);
  const code = typeof error?.code === "string" ? error.code : undefined;
  const message = typeof error?.message === "string" ? error.message : "";
  const fieldlessUsage =
    code === "usage" && FIELDLESS_USAGE_ERRORS.some((usage) => usage.message.test(message));
  if (exitCode === 2 && error !== undefined && !fieldlessUsage) {
    if (typeof error.field !== "string" || error.field === "") {
      violations.push({ property: "field", detail: `${code}: ${clip(message)}` });
    }
  }
  const matcher = new SecretMatcher(secrets);
  const texts: Array<[string, string]> = [
    ["stdout", stdout],
    ["stderr", stderr],
    ...stringsIn(parsedLines(stdout, stderr)).map((text): [string, string] => [
      "decoded JSON",
      text,
    ]),
  ];
  for (const [channel, text] of texts) {
    for (const hit of matcher.find(text, channel)) {
      violations.push({ property: "secret", detail: `${hit.secret} (${hit.form}) in ${channel}` });
    }
  }
  return { exitCode, code, fieldlessUsage, violations };
}

type ErrorObject = Record<string, unknown>;

function checkSuccess(result: RunResult, violations: Violation[]): ErrorObject | undefined {
  const { stdout, stderr } = result;
  const line = stdout.endsWith("\n") ? stdout.slice(0, -1) : undefined;
  if (line === undefined || line.includes("\n") || !line.startsWith(OUTPUT_PREFIX)) {
    violations.push({
      property: "contract",
      detail: `success stdout is not one ::set-output line: ${clip(stdout)}`,
    });
  } else {
    const json = line.slice(OUTPUT_PREFIX.length);
    const parsed = parseCompact(json);
    if (
      parsed === undefined ||
      typeof parsed !== "object" ||
      parsed === null ||
      Array.isArray(parsed)
    ) {
      violations.push({
        property: "contract",
        detail: `::set-output is not one compact JSON object: ${clip(json)}`,
      });
    }
  }
  if (stderr.includes(ERROR_PREFIX)) {
    violations.push({ property: "contract", detail: "success, yet stderr holds ::set-error" });
  }
  return undefined;
}

function checkFailure(result: RunResult, violations: Violation[]): ErrorObject | undefined {
  const { stdout, stderr } = result;
  if (stdout !== "") {
    violations.push({ property: "contract", detail: `failure printed on stdout: ${clip(stdout)}` });
  }
  const lines = stderr.split("\n");
  const last = lines.at(-1) === "" ? lines.at(-2) : undefined;
  const errorLines = lines.filter((line) => line.startsWith(ERROR_PREFIX)).length;
  if (last === undefined || !last.startsWith(ERROR_PREFIX) || errorLines !== 1) {
    violations.push({
      property: "contract",
      detail: `stderr does not end in exactly one ::set-error line (${errorLines} found): ${clip(stderr.slice(-300))}`,
    });
    return undefined;
  }
  const json = last.slice(ERROR_PREFIX.length);
  const parsed = parseCompact(json);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    violations.push({
      property: "contract",
      detail: `::set-error is not one compact JSON object: ${clip(json)}`,
    });
    return undefined;
  }
  const error = parsed as ErrorObject;
  for (const key of ["code", "message", "hint"]) {
    if (typeof error[key] !== "string" || error[key] === "") {
      violations.push({
        property: "contract",
        detail: `::set-error has no string ${key}: ${clip(json)}`,
      });
    }
  }
  return error;
}

/** The JSON value of `text` when it is compact (as JSON.stringify writes it), else undefined. */
function parseCompact(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return JSON.stringify(value) === text ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON objects of the output and error lines, parsed. */
function parsedLines(stdout: string, stderr: string): unknown[] {
  const lines = [...stdout.split("\n"), ...stderr.split("\n")];
  return lines.flatMap((line) => {
    const prefix = [OUTPUT_PREFIX, ERROR_PREFIX].find((p) => line.startsWith(p));
    if (prefix === undefined) {
      return [];
    }
    try {
      return [JSON.parse(line.slice(prefix.length)) as unknown];
    } catch {
      return [];
    }
  });
}

/** Every string (keys included) inside JSON values, found without recursion. */
function stringsIn(values: unknown[]): string[] {
  const strings: string[] = [];
  const stack = [...values];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === "string") {
      strings.push(value);
    } else if (typeof value === "object" && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        strings.push(key);
        stack.push(child);
      }
    }
  }
  return strings;
}

function clip(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;
}

/** Runs and outcomes, counted over a property run. */
export class RunTally {
  runs = 0;
  readonly byExit = new Map<number, number>();
  readonly byCode = new Map<string, number>();
  /** Runs whose calls reached the stand-in for AWS: valid documents that got to the executor. */
  reachedAws = 0;
  fieldlessUsage = 0;
  readonly violations: Array<Violation & { example: string }> = [];
  readonly counts = { crash: 0, field: 0, secret: 0, contract: 0 };

  /** Counts one run; `example` describes its document, for a failure report. */
  add(facts: RunFacts, reachedAws: boolean, example: () => string): void {
    this.runs += 1;
    this.byExit.set(facts.exitCode, (this.byExit.get(facts.exitCode) ?? 0) + 1);
    const code = facts.code ?? (facts.exitCode === 0 ? "success" : "(no error line)");
    this.byCode.set(code, (this.byCode.get(code) ?? 0) + 1);
    if (reachedAws) {
      this.reachedAws += 1;
    }
    if (facts.fieldlessUsage) {
      this.fieldlessUsage += 1;
    }
    for (const violation of facts.violations) {
      this.counts[violation.property] += 1;
      if (this.violations.length < 20) {
        this.violations.push({ ...violation, example: example() });
      }
    }
  }

  /** Adds another tally's counts into this one. */
  merge(other: RunTally): void {
    this.runs += other.runs;
    this.reachedAws += other.reachedAws;
    this.fieldlessUsage += other.fieldlessUsage;
    for (const [exit, count] of other.byExit) {
      this.byExit.set(exit, (this.byExit.get(exit) ?? 0) + count);
    }
    for (const [code, count] of other.byCode) {
      this.byCode.set(code, (this.byCode.get(code) ?? 0) + count);
    }
    for (const key of Object.keys(this.counts) as Array<keyof RunTally["counts"]>) {
      this.counts[key] += other.counts[key];
    }
    this.violations.push(...other.violations.slice(0, Math.max(0, 20 - this.violations.length)));
  }

  /** The error codes seen, most frequent first (success counted as `success`). */
  codes(): string {
    return [...this.byCode.entries()]
      .sort(([, a], [, b]) => b - a)
      .map(([code, count]) => `${code} ${count}`)
      .join(", ");
  }

  /** One line: runs, by exit code, what reached AWS, and the failures found by property. */
  summary(label: string): string {
    const exits = [...this.byExit.entries()]
      .sort(([a], [b]) => a - b)
      .map(([exit, count]) => `exit ${exit}: ${count}`)
      .join(", ");
    const { crash, field, secret, contract } = this.counts;
    return `${label}: ${this.runs} runs (${exits}); reached AWS ${this.reachedAws}; failures found: crashes ${crash}, exit-2 without field ${field} (usage errors exempt: ${this.fieldlessUsage}), secrets ${secret}, contract ${contract}`;
  }
}
