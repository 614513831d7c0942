/**
 * The hooks through which the suite-wide secret scan sees what tests produce, installed
 * by `test/setup.ts` in every test file's worker. Each hook only reads: it passes every
 * call through unchanged and records what it saw into the one {@link SuiteSecretScan}.
 */
import { ChildProcess } from "node:child_process";
import { format } from "node:util";
import { type NamedSecret, SuiteSecretScan } from "./secretScan.js";

const SCAN = Symbol.for("turbine-connector.suiteSecretScan");
const HOOKED = Symbol.for("turbine-connector.secretScanHooked");

type GlobalWithScan = typeof globalThis & { [SCAN]?: SuiteSecretScan };

/**
 * The worker's scan, created on first use with `secrets`. One per worker process: hooks
 * on Node's own prototypes outlive a test file, and must all feed the same scan.
 */
export function suiteSecretScan(secrets: readonly NamedSecret[] = []): SuiteSecretScan {
  const global = globalThis as GlobalWithScan;
  global[SCAN] ??= new SuiteSecretScan(secrets);
  return global[SCAN];
}

/** Marks `target` hooked; false when it already was (setup runs once per test file). */
function firstHook(target: object): boolean {
  const marked = target as { [HOOKED]?: boolean };
  if (marked[HOOKED] === true) {
    return false;
  }
  Object.defineProperty(marked, HOOKED, { value: true });
  return true;
}

/** Every console method a test or the code under test may print through. */
const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace"] as const;

/**
 * Records whatever reaches the worker's console (vitest's, which forwards to the
 * reporter) and its own standard output and error.
 */
export function hookConsoleAndStreams(scan: SuiteSecretScan): void {
  for (const method of CONSOLE_METHODS) {
    const original = console[method];
    // Only the wrapper is marked: the original may be a Console.prototype method that a
    // later file's fresh console shares, and that console must be hooked too.
    if ((original as { [HOOKED]?: boolean })[HOOKED] === true) {
      continue;
    }
    const hooked = (...args: unknown[]) => {
      scan.scanText(`console.${method}`, format(...args));
      original.apply(console, args);
    };
    firstHook(hooked);
    console[method] = hooked;
  }
  for (const [name, stream] of [
    ["process.stdout", process.stdout],
    ["process.stderr", process.stderr],
  ] as const) {
    if (!firstHook(stream)) {
      continue;
    }
    const sink = scan.streamSink(name);
    const write = stream.write;
    stream.write = function (this: typeof stream, chunk: unknown, ...rest: unknown[]) {
      sink(chunk);
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof stream.write;
  }
}

/**
 * Child output that is meant to carry the local endpoint's demo credentials, so is not
 * scanned: `scripts/local-aws.ts` prints a working asset (keys and external ID included)
 * on stdout for the developer to paste; that is its whole contract. Its stderr is scanned.
 */
const CREDENTIAL_PRINTERS: ReadonlyArray<{ args: RegExp; stream: "stdout" | "stderr" }> = [
  { args: /(^|[/\\])scripts[/\\]local-aws\.ts$/, stream: "stdout" },
];

/**
 * Records the standard output and error of every child process the worker starts
 * (`spawn`, `execFile`, `exec`, `fork` all go through `ChildProcess.prototype.spawn`):
 * the entry process runs of `scripts/lib/runEntryProcess.ts` and the tests' own. The
 * streams' `emit` is wrapped, not listened to, so a stream's flowing mode is untouched.
 */
export function hookChildProcesses(scan: SuiteSecretScan): void {
  // Undocumented, and so untyped, but what every way of starting a child goes through.
  const prototype = ChildProcess.prototype as ChildProcess & { spawn(options: object): unknown };
  if (!firstHook(prototype)) {
    return;
  }
  const spawn = prototype.spawn;
  prototype.spawn = function (this: ChildProcess, options: object) {
    const result = spawn.call(this, options);
    const command = String(this.spawnfile ?? "child");
    for (const [name, stream] of [
      ["stdout", this.stdout],
      ["stderr", this.stderr],
    ] as const) {
      const printsCredentials = CREDENTIAL_PRINTERS.some(
        (printer) =>
          printer.stream === name && this.spawnargs.some((arg) => printer.args.test(arg)),
      );
      if (stream === null || printsCredentials) {
        continue;
      }
      const sink = scan.streamSink(`child process ${command} ${name}`);
      const emit = stream.emit;
      stream.emit = function (this: typeof stream, event: string | symbol, ...rest: unknown[]) {
        if (event === "data") {
          sink(rest[0]);
        }
        return emit.call(this, event, ...rest);
      } as typeof stream.emit;
    }
    return result;
  };
}

/** The part of the connector's error class the hook needs. */
interface ErrorLineClass {
  prototype: { toErrorLine(): unknown };
}

/**
 * Records every connector error that is turned into an error line (by `runConnector`,
 * `failureResult`, the fixtures' `printedText`, or a test itself): its message, hint and
 * whole cause chain, and the line. Installed on this test file's copy of the class.
 */
export function hookErrorLines(errorClass: ErrorLineClass, scan: SuiteSecretScan): void {
  const prototype = errorClass.prototype;
  if (!firstHook(prototype)) {
    return;
  }
  const toErrorLine = prototype.toErrorLine;
  prototype.toErrorLine = function (this: unknown) {
    const line = toErrorLine.call(this);
    scan.scanError("ConnectorError and its cause chain", this, [
      ["ConnectorError.toErrorLine", JSON.stringify(line)],
    ]);
    return line;
  };
}

/**
 * One line of what `scan` looked at since `before` (a copy of its counts), by channel,
 * child processes counted together: the figures of the scan's reach for one test file.
 */
export function scanReport(
  scan: SuiteSecretScan,
  before: ReadonlyMap<string, number>,
  file: string,
): string {
  const totals: Record<string, number> = {};
  for (const [channel, count] of scan.scanned) {
    const name = channel.replace(/^child process .*? (std\w+)$/, "child process $1");
    const added = count - (before.get(channel) ?? 0);
    if (added > 0) {
      totals[name] = (totals[name] ?? 0) + added;
    }
  }
  return `secret scan ${file}: ${JSON.stringify(totals)}`;
}
