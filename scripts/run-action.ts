/**
 * Runs one action locally through the same entry Turbine uses, like the Turbine
 * SDK's `action run local`:
 *
 *   npm run action -- invoke_function --asset asset.json --input input.json
 *
 * It builds dist/ first when src/ changed since the last build. The asset and input
 * files are JSON; a missing or unreadable one is a one-line error. The entry gets them on standard input as
 * {"asset", "inputs"}; its `::set-output` line is printed back pretty, and a failure
 * is printed pretty with the entry's exit code.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { ERROR_PREFIX, parseErrorLine } from "../src/turbine/contract.js";
import { buildIfStale } from "./lib/buildIfStale.js";
import { runEntryProcess } from "./lib/runEntryProcess.js";

const USAGE = "usage: npm run action -- <action> --asset <asset.json> [--input <input.json>]";

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

let parsed: ReturnType<typeof parseOptions>;
try {
  parsed = parseOptions();
} catch (error) {
  fail(`${(error as Error).message}. ${USAGE}`);
}
const { positionals, values } = parsed;
const action = positionals[0];
if (action === undefined || values.asset === undefined) {
  fail(USAGE);
}

function parseOptions() {
  return parseArgs({
    allowPositionals: true,
    options: { asset: { type: "string" }, input: { type: "string" } },
  });
}

/** A file's JSON, or a one-line error naming the option and what is wrong with it. */
const readJson = async (option: string, file: string): Promise<unknown> => {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a folder" : (code ?? "unreadable");
    return fail(`--${option} ${file}: ${why}. ${USAGE}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    return fail(`--${option} ${file}: not JSON (${(error as Error).message}).`);
  }
};
const document = {
  asset: await readJson("asset", values.asset),
  inputs: values.input === undefined ? {} : await readJson("input", values.input),
};
buildIfStale();

const { exitCode, stderr, output } = await runEntryProcess(action, JSON.stringify(document));
if (exitCode === 0 && output !== undefined) {
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
} else {
  for (const line of stderr.split("\n").filter((l) => l.trim() !== "")) {
    const error = parseErrorLine(line);
    process.stderr.write(
      error === undefined ? `${line}\n` : `${ERROR_PREFIX}${JSON.stringify(error, null, 2)}\n`,
    );
  }
  process.stderr.write(`${action} failed with exit code ${exitCode}\n`);
}
process.exitCode = exitCode;
