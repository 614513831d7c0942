/**
 * Runs the built entry on raw bytes: `scripts/lib/runEntryProcess.ts` takes the document
 * as a string, which Node always writes as valid UTF-8, so bytes that are not UTF-8 need
 * their own pipe. For the few tests where the process's reading of stdin is the subject.
 */
import { spawn } from "node:child_process";
import { ENTRY_PATH } from "../../scripts/lib/runEntryProcess.js";
import type { RunResult } from "../../src/runConnector.js";

/**
 * `node dist/main.js <action>` with `bytes` on standard input and `env` as the whole
 * environment.
 *
 * @example
 * ```ts
 * const run = await runEntryBytes("get_function", Buffer.from([0x7b, 0xff, 0x7d]), { PATH: "/usr/bin" });
 * run.exitCode; // 2
 * ```
 */
export async function runEntryBytes(
  action: string,
  bytes: Uint8Array,
  env: NodeJS.ProcessEnv,
): Promise<RunResult> {
  const child = spawn(process.execPath, [ENTRY_PATH, action], {
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  // The entry may stop reading early (over the size limit) and exit: that is not an error here.
  child.stdin.on("error", () => undefined);
  child.stdin.end(bytes);
  const exitCode = await new Promise<number>((done) =>
    child.on("close", (code) => done(code ?? -1)),
  );
  return {
    exitCode,
    stdout: Buffer.concat(stdout).toString("utf8"),
    stderr: Buffer.concat(stderr).toString("utf8"),
  };
}
