/**
 * What ships is dist/main.js, a loader, and two bundles, dist/invoke.cjs (for
 * invoke_function) and dist/connector.cjs (every other action), each with a V8 code
 * cache per V8 version. The process contract is the subject here: a missing,
 * stale or rejected cache must only cost a normal compile and a fresh cache written at
 * exit; the run prints the same, exits the same and says nothing about it.
 */
import { createHash } from "node:crypto";
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runEntryProcess } from "../../scripts/lib/runEntryProcess.js";
import { codeCacheName } from "../../src/codeCache.js";

const DIST = resolve(import.meta.dirname, "..", "..", "dist");

/** The cache name of a bundle of dist/ for this Node. */
const cacheNameOf = (bundle: string) =>
  codeCacheName(
    createHash("sha256")
      .update(readFileSync(join(DIST, bundle)))
      .digest(),
    process.versions.v8,
    process.arch,
  );

const copies: string[] = [];

/** A copy of dist/ in which `prepare` may change the cache. */
function distCopy(prepare: (dir: string) => void = () => undefined): string {
  const dir = mkdtempSync(join(tmpdir(), "connector-dist-"));
  copies.push(dir);
  for (const file of readdirSync(DIST)) {
    copyFileSync(join(DIST, file), join(dir, file));
  }
  prepare(dir);
  return dir;
}

/** A run of `action` whose asset is refused: exit 2, the error line alone on stderr. */
async function refusedRun(action: string, dir: string, env: NodeJS.ProcessEnv = {}) {
  const run = await runEntryProcess(action, "{}", { ...process.env, ...env }, join(dir, "main.js"));
  expect(run.exitCode).toBe(2);
  expect(run.stdout).toBe("");
  expect(run.error).toMatchObject({ code: "invalid_asset", field: "region_name" });
  expect(
    run.stderr
      .trimEnd()
      .split("\n")
      .filter((line) => !line.startsWith("warning:")),
  ).toHaveLength(1);
}

/** The loader's fallback folder goes under TMPDIR: each test's stays inside it. */
let tempDir: string;

beforeAll(() => {
  tempDir = mkdtempSync(join(tmpdir(), "connector-tmp-"));
  copies.push(tempDir);
});

afterAll(() => {
  for (const dir of copies) {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("the loader's choice of bundle", () => {
  it.each([
    ["invoke_function", "invoke.cjs", "connector.cjs"],
    ["get_function", "connector.cjs", "invoke.cjs"],
  ])("runs %s from %s alone", async (action, _bundle, other) => {
    const dir = distCopy((copy) => rmSync(join(copy, other)));

    await refusedRun(action, dir, { TMPDIR: tempDir });
  });
});

describe.each([
  ["invoke_function", "invoke.cjs"],
  ["get_function", "connector.cjs"],
])("the code cache of the bundle of %s, %s", (action, bundle) => {
  const CACHE_NAME = cacheNameOf(bundle);
  const withoutCache = (dir: string) => rmSync(join(dir, CACHE_NAME), { force: true });
  /** The cache file's SHA-256 (comparing megabyte Buffers with toEqual takes seconds). */
  const cacheOf = (dir: string) =>
    createHash("sha256")
      .update(readFileSync(join(dir, CACHE_NAME)))
      .digest("hex");

  it("ships a cache for this Node's V8, named after the bundle's hash", () => {
    expect(readdirSync(DIST)).toContain(CACHE_NAME);
  });

  it.each([
    ["present", () => undefined],
    ["missing", withoutCache],
    ["corrupt", (dir: string) => writeFileSync(join(dir, CACHE_NAME), Buffer.alloc(4096, 7))],
    [
      "of another bundle",
      (dir: string) => {
        const other = readdirSync(dir).find((f) => f.endsWith(".cache") && f !== CACHE_NAME);
        withoutCache(dir);
        if (other !== undefined) {
          copyFileSync(join(dir, other), join(dir, CACHE_NAME));
        }
      },
    ],
  ])("runs the same with the cache %s, and says nothing about it", async (_state, prepare) => {
    await refusedRun(action, distCopy(prepare), { TMPDIR: tempDir });
  });

  it("writes a missing cache at exit, and the next run uses it without rewriting it", async () => {
    const dir = distCopy(withoutCache);

    await refusedRun(action, dir, { TMPDIR: tempDir });
    const written = cacheOf(dir);
    const writtenAt = statSync(join(dir, CACHE_NAME)).mtimeMs;
    await refusedRun(action, dir, { TMPDIR: tempDir });

    expect(cacheOf(dir)).toEqual(written);
    expect(statSync(join(dir, CACHE_NAME)).mtimeMs).toBe(writtenAt);
  });

  it("replaces a cache V8 rejects for its flags (NODE_OPTIONS), and the next run with them uses it", async () => {
    const dir = distCopy();
    const shipped = cacheOf(dir);
    const env = { TMPDIR: tempDir, NODE_OPTIONS: "--stack-trace-limit=50" };

    await refusedRun(action, dir, env);
    const rewritten = cacheOf(dir);
    await refusedRun(action, dir, env);

    expect(rewritten).not.toEqual(shipped);
    expect(cacheOf(dir)).toEqual(rewritten);
  });

  it("neither reads nor writes a cache with CONNECTOR_CODE_CACHE=0", async () => {
    const dir = distCopy(withoutCache);

    await refusedRun(action, dir, { TMPDIR: tempDir, CONNECTOR_CODE_CACHE: "0" });

    expect(readdirSync(dir).filter((f) => f.endsWith(".cache"))).not.toContain(CACHE_NAME);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it("writes the cache on --write-code-cache, and refuses to with CONNECTOR_CODE_CACHE=0", async () => {
    const dir = distCopy(withoutCache);

    const off = await runEntryProcess(
      "--write-code-cache",
      "",
      { ...process.env, CONNECTOR_CODE_CACHE: "0" },
      join(dir, "main.js"),
    );
    expect(off.exitCode).toBe(2);
    expect(off.stderr).toContain("CONNECTOR_CODE_CACHE=0");
    expect(readdirSync(dir)).not.toContain(CACHE_NAME);

    const run = await runEntryProcess("--write-code-cache", "", process.env, join(dir, "main.js"));
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain(`wrote ${join(dir, CACHE_NAME)}`);
    expect(statSync(join(dir, CACHE_NAME)).size).toBeGreaterThan(32);
  });
});
