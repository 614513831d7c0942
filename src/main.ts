#!/usr/bin/env node
/**
 * The entry Turbine runs: `node dist/main.js <action>` with one JSON document on
 * standard input. Standard output carries exactly one `::set-output` line on success
 * and nothing else, ever; everything else goes to standard error.
 */
import { InvalidInputError } from "./errors.js";
import { failureResult, runConnector } from "./runConnector.js";
import { MAX_DOCUMENT_BYTES } from "./turbine/contract.js";

// Anything a dependency logs (SDK notices, deprecation warnings) must not reach stdout.
console.log = console.error;
console.info = console.error;
console.debug = console.error;

const stdin = await readStandardInput();
const result =
  stdin === undefined
    ? failureResult(
        new InvalidInputError("usage", `Standard input is over ${MAX_DOCUMENT_BYTES} bytes.`, {
          hint: "Send a smaller payload: Lambda accepts at most 6 MB per synchronous invocation.",
        }),
      )
    : await runConnector(process.argv[2], stdin).catch((error: unknown) => failureResult(error));
// Let warnings Node queued meanwhile (the SDK's runtime notices) reach stderr first,
// so that a failure's ::set-error line is the last line there.
await new Promise((done) => setImmediate(done));
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.exitCode;

/** Reads all of standard input, or `undefined` when it exceeds the document limit. */
async function readStandardInput(): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = chunk as Buffer;
    size += buffer.byteLength;
    if (size > MAX_DOCUMENT_BYTES) {
      return undefined;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
