/**
 * What Turbine runs: `node dist/main.js <action>` with one JSON document on
 * standard input. Standard output carries exactly one `::set-output` line on success
 * and nothing else, ever; everything else goes to standard error, and a failure's
 * `::set-error` line is the last line there.
 */
import type { InvalidInputError } from "./errors.js";
import { failureResult, type RunResult, runConnector } from "./runConnector.js";
import { EXIT_CODES, formatErrorLine } from "./turbine/contract.js";
import { readStandardInput } from "./turbine/standardInput.js";

/**
 * Runs the action named on the command line on the document on standard input, writes
 * its lines and ends the process. The entry, `dist/main.js`, calls it.
 */
export async function main(): Promise<void> {
  // Anything a dependency logs (SDK notices, deprecation warnings) must not reach stdout.
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;

  // Node prints warnings over several lines (the SDK's Node-version notice takes eight);
  // operators get one line each, before the result.
  process.removeAllListeners("warning");
  process.on("warning", (warning) => {
    const firstLine = warning.message.split("\n")[0] ?? "";
    process.stderr.write(`warning: ${warning.name}: ${firstLine}\n`);
  });

  // The text goes straight to the run, which keeps it no longer than it parses it (this
  // function awaits the run, and would keep a local of it as long).
  const result = await readStandardInput().then(runOn);
  // Let warnings Node queued meanwhile reach stderr first.
  await new Promise((done) => setImmediate(done));
  const exitCode = await writeResult(result);
  // Whatever timers or sockets a dependency left behind, the run is over.
  process.exit(exitCode);
}

/**
 * Writes the run's lines and gives the exit code: the run's own, or
 * `EXIT_CODES.failure` (1) when standard output could not take the result line (its
 * reader closed it: EPIPE), after which nothing more is written there and a
 * `::set-error` line on standard error says so. The action ran: a change it made stays
 * made, and the line says to check before running it again.
 */
async function writeResult(result: RunResult): Promise<number> {
  // A failed write also emits 'error', which unheard would end the process with a stack
  // trace: each write's callback reports it instead.
  process.stdout.on("error", ignore);
  process.stderr.on("error", ignore);
  const { outputLine } = result;
  const [written] = await Promise.all([
    (outputLine === undefined
      ? write(process.stdout, encode(result.stdout))
      : outputLine.write((bytes) => write(process.stdout, bytes))
    ).then(
      () => undefined,
      (error: unknown) => error,
    ),
    write(process.stderr, encode(result.stderr)).catch(ignore),
  ]);
  if (written === undefined) {
    return result.exitCode;
  }
  await write(process.stderr, encode(outputNotWritten(written))).catch(ignore);
  return EXIT_CODES.failure;
}

/** The failure line for a result line standard output refused: the error's code, nothing of its text. */
function outputNotWritten(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const named = typeof code === "string" && /^E[A-Z]+$/.test(code) ? ` (${code})` : "";
  return formatErrorLine({
    code: "internal_error",
    message: `The result could not be written to standard output${named}: its reader closed it. The action itself ran to its end.`,
    hint: "Read the connector's standard output to its end. A change the action made has taken effect: check the function's state before running it again.",
  });
}

const ignore = () => undefined;

/** The run of the action named on the command line on `stdin`, or the error that refused the text. */
function runOn(stdin: string | InvalidInputError): RunResult | Promise<RunResult> {
  return typeof stdin !== "string"
    ? failureResult(stdin)
    : runConnector(process.argv[2], stdin).catch((error: unknown) => failureResult(error));
}

// Encoded before writing, once: a string written to a pipe costs the process more memory
// on the way out (6 to 7 MB more at the peak for a 6 MB output line).
const encode = (text: string) => Buffer.from(text, "utf8");

/** Writes `bytes` to `stream`; rejects with the stream's error (EPIPE: its reader went away). */
function write(stream: NodeJS.WritableStream, bytes: Uint8Array): Promise<void> {
  return new Promise((done, fail) => {
    if (bytes.byteLength === 0) {
      done();
      return;
    }
    stream.write(bytes, (error) => (error ? fail(error) : done()));
  });
}
