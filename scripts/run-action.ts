/**
 * Runs one action locally through the same entry Turbine uses, like the Turbine
 * SDK's `action run local`:
 *
 *   npm run action -- invoke_function --asset asset.json --input input.json
 *
 * The asset and input files are JSON. The entry gets them on standard input as
 * {"asset", "inputs"}; its `::set-output` line is printed back pretty, and a failure
 * is printed pretty with the entry's exit code.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { ERROR_PREFIX, parseErrorLine } from "../src/turbine/contract.js";
import { runEntryProcess } from "./lib/runEntryProcess.js";

const USAGE = "usage: npm run action -- <action> --asset <asset.json> [--input <input.json>]";
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { asset: { type: "string" }, input: { type: "string" } },
});
const action = positionals[0];
if (action === undefined || values.asset === undefined) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

const readJson = async (file: string): Promise<unknown> => JSON.parse(await readFile(file, "utf8"));
const document = {
  asset: await readJson(values.asset),
  inputs: values.input === undefined ? {} : await readJson(values.input),
};

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
