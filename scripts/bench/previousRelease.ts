import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

/** The repository's root. */
export const REPO_ROOT = resolve(import.meta.dirname, "..", "..");

/** The release the benchmark compares against, and the commit it was cut from. */
export const PREVIOUS_RELEASE = { tag: "v0.1.0", commit: "63ea7dc" } as const;

/** A build of an earlier release, ready to run as `node <entry> <action>`. */
export interface ReleaseBuild {
  /** What was built: the tag, or the commit id when the tag is missing. */
  revision: string;
  /** The full commit id. */
  commit: string;
  /** Its `dist/main.js`. */
  entry: string;
  /** How its dependencies were provided, for the report. */
  dependencies: string;
}

/**
 * Builds the previous release once into `node_modules/.cache/bench/<tag>/` (outside
 * what git tracks) and returns its entry; later runs reuse the build while its stamp
 * names the same commit. Its production dependencies are this repository's
 * `node_modules`, linked, when every package its lock file pins is pinned identically
 * here; otherwise `npm ci --prefer-offline` installs its own.
 *
 * @example
 * ```ts
 * const release = await buildPreviousRelease((line) => process.stderr.write(line));
 * spawn(process.execPath, [release.entry, "invoke_function"]);
 * ```
 */
export async function buildPreviousRelease(log: (line: string) => void): Promise<ReleaseBuild> {
  const tagged = await git([
    "rev-parse",
    "--verify",
    "--quiet",
    `${PREVIOUS_RELEASE.tag}^{commit}`,
  ]);
  const revision = tagged.code === 0 ? PREVIOUS_RELEASE.tag : PREVIOUS_RELEASE.commit;
  const resolved = await git(["rev-parse", "--verify", `${revision}^{commit}`]);
  if (resolved.code !== 0) {
    throw new Error(
      `neither tag ${PREVIOUS_RELEASE.tag} nor commit ${PREVIOUS_RELEASE.commit} is in this clone: fetch them (git fetch --tags)`,
    );
  }
  const commit = resolved.stdout.trim();
  const dir = join(REPO_ROOT, "node_modules", ".cache", "bench", PREVIOUS_RELEASE.tag);
  const stampFile = join(dir, ".bench-build.json");
  const entry = join(dir, "dist", "main.js");
  const currentLock = readFileSync(join(REPO_ROOT, "package-lock.json"), "utf8");
  if (existsSync(stampFile) && existsSync(entry)) {
    const stamp = JSON.parse(readFileSync(stampFile, "utf8")) as {
      commit: string;
      linked: boolean;
      dependencies: string;
    };
    // A linked build stays valid only while this repository still pins what it needs.
    const stillServed =
      !stamp.linked ||
      lockMismatch(readFileSync(join(dir, "package-lock.json"), "utf8"), currentLock) === undefined;
    if (stamp.commit === commit && stillServed) {
      return { revision, commit, entry, dependencies: stamp.dependencies };
    }
  }

  log(`bench: building ${revision} (${commit.slice(0, 7)}) into ${relative(REPO_ROOT, dir)}\n`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const archive = `${dir}.tar`;
  await run("git", ["archive", "--format=tar", "-o", archive, commit], REPO_ROOT);
  await run("tar", ["-x", "-f", archive, "-C", dir], REPO_ROOT);
  rmSync(archive);

  let dependencies: string;
  const mismatch = lockMismatch(readFileSync(join(dir, "package-lock.json"), "utf8"), currentLock);
  if (mismatch === undefined) {
    symlinkSync(relative(dir, join(REPO_ROOT, "node_modules")), join(dir, "node_modules"));
    dependencies = "this repository's node_modules (its lock pins the same packages)";
  } else {
    log(`bench: ${mismatch}; installing its own dependencies with npm ci\n`);
    await run("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], dir);
    dependencies = `its own npm ci (${mismatch})`;
  }
  await run(
    process.execPath,
    [join(dir, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
    dir,
  );
  const linked = mismatch === undefined;
  writeFileSync(stampFile, `${JSON.stringify({ commit, linked, dependencies })}\n`);
  return { revision, commit, entry, dependencies };
}

/**
 * Why `oldLock`'s packages cannot be served from `currentLock`'s install: the first
 * package it pins that the current lock lacks or pins differently; `undefined` when
 * every one matches (the current lock may add packages).
 */
function lockMismatch(oldLock: string, currentLock: string): string | undefined {
  type Lock = { packages?: Record<string, { version?: string; integrity?: string }> };
  const old = (JSON.parse(oldLock) as Lock).packages ?? {};
  const current = (JSON.parse(currentLock) as Lock).packages ?? {};
  for (const [path, pinned] of Object.entries(old)) {
    if (path === "") {
      continue;
    }
    const here = current[path];
    if (here?.version !== pinned.version || here?.integrity !== pinned.integrity) {
      return `${path} is ${pinned.version} there but ${here?.version ?? "absent"} here`;
    }
  }
  return undefined;
}

async function git(args: string[]): Promise<{ code: number; stdout: string }> {
  return capture("git", args, REPO_ROOT);
}

async function run(command: string, args: string[], cwd: string): Promise<void> {
  const result = await capture(command, args, cwd);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${result.output}`);
  }
}

/** Runs a command to its end; stdout kept apart, everything kept for error messages. */
function capture(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code: code ?? -1, stdout, output }));
  });
}
