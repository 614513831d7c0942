import { type ChildProcess, spawn } from "node:child_process";

/** One process to start, with what it gets on stdin. */
export interface ProcessSpec {
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  stdin: string;
}

/** How one run of a process went, timed from just before it was spawned. */
export interface TimedRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Until the end of the first line on stdout (the `::set-output` line); undefined without one. */
  toOutputMs: number | undefined;
  /** Until the process exited. */
  toExitMs: number;
}

/** A run that takes longer than this is stuck: it is killed and the benchmark fails. */
const RUN_TIMEOUT_MS = 120_000;

const running = new Set<ChildProcess>();

/** Kills every child still running: for the benchmark's own shutdown on a signal or error. */
export function killRunningChildren(): void {
  for (const child of running) {
    child.kill("SIGKILL");
  }
}

/**
 * Spawns `spec`, feeds it its stdin, and times it until its first stdout line and its
 * exit. Resolves once its output is all read; a run past two minutes is killed.
 *
 * @example
 * ```ts
 * const run = await runTimed({ command: process.execPath, args: ["-e", "0"], env: {}, stdin: "" });
 * run.toExitMs; // Node's own start and stop
 * ```
 */
export function runTimed(spec: ProcessSpec): Promise<TimedRun> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(spec.command, spec.args, {
      env: spec.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    running.add(child);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let toOutputMs: number | undefined;
    let toExitMs = Number.NaN;
    const timer = setTimeout(() => child.kill("SIGKILL"), RUN_TIMEOUT_MS);
    child.stdout.on("data", (chunk: Buffer) => {
      if (toOutputMs === undefined && chunk.includes(10)) {
        toOutputMs = performance.now() - started;
      }
      stdout.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    // A child that dies before reading all of a large stdin must not crash the benchmark.
    child.stdin.on("error", () => {});
    child.stdin.end(spec.stdin);
    child.on("exit", () => {
      toExitMs = performance.now() - started;
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      running.delete(child);
      fail(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      done({
        exitCode: code ?? (signal === null ? -1 : 128),
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
        toOutputMs,
        toExitMs,
      });
    });
  });
}

/** The parent's environment without what would route, sign or load differently, plus `extra`. */
export function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(https?_proxy|no_proxy|all_proxy|aws_.*|asset_keys|node_options|bench_.*)$/i.test(key)) {
      env[key] = value;
    }
  }
  return { ...env, ...extra };
}
