/**
 * What Turbine runs: `node dist/main.js <action>` with one JSON document on
 * standard input. Standard output carries exactly one `::set-output` line on success
 * and nothing else, ever; everything else goes to standard error, and a failure's
 * `::set-error` line is the last line there.
 */
import { InvalidInputError } from "./errors.js";
import { failureResult, type RunResult, runConnector } from "./runConnector.js";
import { MAX_DOCUMENT_BYTES } from "./turbine/contract.js";

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

/**
 * All of standard input as text, or the error that refuses it: over the document limit,
 * or not UTF-8 (decoding would silently replace the bad bytes).
 */
async function readStandardInput(): Promise<string | InvalidInputError> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = chunk as Buffer;
    size += buffer.byteLength;
    if (size > MAX_DOCUMENT_BYTES) {
      return new InvalidInputError("usage", `Standard input is over ${MAX_DOCUMENT_BYTES} bytes.`, {
        hint: "Send a smaller payload: Lambda accepts at most 6 MB per synchronous invocation.",
      });
    }
    chunks.push(buffer);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch (cause) {
    return new InvalidInputError("usage", "Standard input is not valid UTF-8.", {
      hint: "Send the JSON document encoded as UTF-8; nothing was sent to AWS.",
      cause,
    });
  }
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
