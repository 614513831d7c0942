/**
 * Vitest global setup: the tests that run the built entry (`node dist/main.js`) must run
 * the code as it is now, so dist/ is rebuilt (`npm run build`, as CI builds it) whenever
 * anything it is built from is newer than what it holds, or when it is missing.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");

/** What dist/ is built from: a change to any of these makes it stale. */
const SOURCES = ["src", "scripts/build.mjs", "package.json", "package-lock.json"];

/** What the build writes and the entry tests run. */
const OUTPUTS = ["dist/main.js", "dist/connector.cjs", "dist/invoke.cjs"];

/**
 * Why dist/ must be rebuilt (`dist/main.js is missing`, `src/x.ts is newer than
 * dist/connector.cjs`), or `undefined` when it is up to date.
 */
export function staleness(root = ROOT): string | undefined {
  let oldestOutput: { path: string; mtimeMs: number } | undefined;
  for (const output of OUTPUTS) {
    const mtimeMs = statSync(join(root, output), { throwIfNoEntry: false })?.mtimeMs;
    if (mtimeMs === undefined) {
      return `${output} is missing`;
    }
    if (oldestOutput === undefined || mtimeMs < oldestOutput.mtimeMs) {
      oldestOutput = { path: output, mtimeMs };
    }
  }
  const newest = newestFile(root, SOURCES);
  if (oldestOutput !== undefined && newest !== undefined && newest.mtimeMs > oldestOutput.mtimeMs) {
    return `${newest.path} is newer than ${oldestOutput.path}`;
  }
  return undefined;
}

function newestFile(
  root: string,
  paths: readonly string[],
): { path: string; mtimeMs: number } | undefined {
  let newest: { path: string; mtimeMs: number } | undefined;
  const visit = (path: string): void => {
    const stat = statSync(join(root, path), { throwIfNoEntry: false });
    if (stat === undefined) {
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(join(root, path))) {
        visit(join(path, entry));
      }
    } else if (newest === undefined || stat.mtimeMs > newest.mtimeMs) {
      newest = { path, mtimeMs: stat.mtimeMs };
    }
  };
  for (const path of paths) {
    visit(path);
  }
  return newest;
}

export default function setup(): void {
  const why = staleness();
  if (why === undefined) {
    return;
  }
  process.stderr.write(`globalSetup: building dist/ (${why})\n`);
  const build = spawnSync("npm", ["run", "build", "--silent"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    timeout: 300_000,
  });
  if (build.status !== 0) {
    throw new Error(
      `dist/ is stale (${why}) and npm run build failed (${build.error?.message ?? `exit ${build.status}`}): the entry tests would run old code`,
    );
  }
  const still = staleness();
  if (still !== undefined) {
    throw new Error(`dist/ is still stale after npm run build: ${still}`);
  }
}
