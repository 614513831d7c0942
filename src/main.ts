/**
 * What Turbine runs: `node dist/main.js <action>` with one JSON document on
 * standard input. Standard output carries exactly one `::set-output` line on success
 * and nothing else, ever; everything else goes to standard error, and a failure's
 * `::set-error` line is the last line there.
 */
import type { InvalidInputError } from "./errors.js";
import { failureResult, type RunResult, runConnector } from "./runConnector.js";
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
  const { outputLine } = result;
  await Promise.all([
    outputLine === undefined
      ? write(process.stdout, encode(result.stdout))
      : outputLine.write((bytes) => write(process.stdout, bytes)),
    write(process.stderr, encode(result.stderr)),
  ]);
  // Whatever timers or sockets a dependency left behind, the run is over.
  process.exit(result.exitCode);
}

/** The run of the action named on the command line on `stdin`, or the error that refused the text. */
function runOn(stdin: string | InvalidInputError): RunResult | Promise<RunResult> {
  return typeof stdin !== "string"
    ? failureResult(stdin)
    : runConnector(process.argv[2], stdin).catch((error: unknown) => failureResult(error));
}

// Encoded before writing, once: a string written to a pipe costs the process more memory
// on the way out (6 to 7 MB more at the peak for a 6 MB output line).
const encode = (text: string) => Buffer.from(text, "utf8");

function write(stream: NodeJS.WritableStream, bytes: Uint8Array): Promise<void> {
  return new Promise((done) => {
    if (bytes.byteLength === 0) {
      done();
      return;
    }
    stream.write(bytes, () => done());
  });
}
