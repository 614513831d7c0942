import { spawn } from "node:child_process";
import { resolve } from "node:path";
import type { ErrorLine } from "../../src/errors.js";
import { OUTPUT_PREFIX, parseErrorLine } from "../../src/turbine/contract.js";

/** What a run of the entry process printed, with its output or error line parsed. */
export interface EntryProcessResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The `::set-output` JSON, when the run succeeded. */
  output: Record<string, unknown> | undefined;
  /** The `::set-error` object of the last stderr line, when it is one. */
  error: ErrorLine | undefined;
}

/** The built entry, `dist/main.js`. */
export const ENTRY_PATH = resolve(import.meta.dirname, "..", "..", "dist", "main.js");

/**
 * Runs the built entry the way Turbine does, `node dist/main.js <action>` with the
 * document on standard input, for the local runner, the demo and the integration tests.
 *
 * @example
 * ```ts
 * const run = await runEntryProcess("invoke_function", JSON.stringify({ asset, inputs }));
 * if (run.exitCode === 0) console.error(run.output);
 * ```
 */
export async function runEntryProcess(
  action: string,
  document: string,
  env: NodeJS.ProcessEnv = process.env,
  entry: string = ENTRY_PATH,
): Promise<EntryProcessResult> {
  const child = spawn(process.execPath, [entry, action], {
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.end(document);
  const exitCode = await new Promise<number>((done) =>
    child.on("close", (code) => done(code ?? -1)),
  );
  const last = stderr.trimEnd().split("\n").at(-1) ?? "";
  return { exitCode, stdout, stderr, output: parseOutput(stdout), error: parseErrorLine(last) };
}

function parseOutput(stdout: string): Record<string, unknown> | undefined {
  return stdout.startsWith(OUTPUT_PREFIX)
    ? (JSON.parse(stdout.slice(OUTPUT_PREFIX.length)) as Record<string, unknown>)
    : undefined;
}
