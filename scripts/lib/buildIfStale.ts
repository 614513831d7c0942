/**
 * Builds dist/ only when what it is built from changed since: the local runner and
 * the demo call it, so a second run starts at once and a run after an edit of src/
 * never runs old code.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..", "..");

/** What dist/ is built from: a change to any of these makes it stale. */
const INPUTS = ["src", "scripts/build.mjs", "package.json", "package-lock.json"];

/** The build's last output; its time is when the build finished. */
const OUTPUT = join(root, "dist", "main.js");

/** Why dist/ below `base` must be built again, or undefined when it is up to date. */
export function staleReason(base: string = root): string | undefined {
  const output = join(base, "dist", "main.js");
  if (!existsSync(output)) {
    return "dist/ has not been built";
  }
  const built = statSync(output).mtimeMs;
  for (const input of INPUTS) {
    const newer = newestFile(join(base, input));
    if (newer !== undefined && newer.mtimeMs > built) {
      return `${newer.path.slice(base.length + 1)} changed after the last build`;
    }
  }
  return undefined;
}

/** Runs `npm run build` when dist/ is stale; exits with the build's code when it fails. */
export function buildIfStale(): void {
  const reason = staleReason();
  if (reason === undefined) {
    return;
  }
  process.stderr.write(`Building dist/: ${reason}.\n`);
  const build = spawnSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0 || !existsSync(OUTPUT)) {
    process.stderr.write("The build failed; see above.\n");
    process.exit(build.status || 1);
  }
}

function newestFile(path: string): { path: string; mtimeMs: number } | undefined {
  if (!existsSync(path)) {
    return undefined;
  }
  const stat = statSync(path);
  if (!stat.isDirectory()) {
    return { path, mtimeMs: stat.mtimeMs };
  }
  let newest: { path: string; mtimeMs: number } | undefined;
  for (const entry of readdirSync(path)) {
    const found = newestFile(join(path, entry));
    if (found !== undefined && (newest === undefined || found.mtimeMs > newest.mtimeMs)) {
      newest = found;
    }
  }
  return newest;
}
