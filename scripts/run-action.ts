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
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { OUTPUT_PREFIX } from "../src/turbine/contract.js";

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

const entry = resolve(import.meta.dirname, "..", "dist", "main.js");
const child = spawn(process.execPath, [entry, action], { stdio: ["pipe", "pipe", "pipe"] });
let stdout = "";
let stderr = "";
child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
  stdout += chunk;
});
child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
  stderr += chunk;
});
child.stdin.end(JSON.stringify(document));
const exitCode = await new Promise<number>((done) => child.on("close", (code) => done(code ?? 1)));

if (exitCode === 0 && stdout.startsWith(OUTPUT_PREFIX)) {
  process.stdout.write(
    `${JSON.stringify(JSON.parse(stdout.slice(OUTPUT_PREFIX.length)), null, 2)}\n`,
  );
} else {
  for (const line of stderr.split("\n").filter((l) => l.trim() !== "")) {
    try {
      process.stderr.write(`${JSON.stringify(JSON.parse(line), null, 2)}\n`);
    } catch {
      process.stderr.write(`${line}\n`);
    }
  }
  process.stderr.write(`${action} failed with exit code ${exitCode}\n`);
}
process.exitCode = exitCode;
