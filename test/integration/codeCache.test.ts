/**
 * What ships is dist/main.js, a loader, and dist/connector.cjs, the bundle, with a V8
 * code cache per Node version. A missing, stale or rejected cache must only cost a
 * normal compile: the run behaves the same and prints nothing about it.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runEntryProcess } from "../../scripts/lib/runEntryProcess.js";

const DIST = resolve(import.meta.dirname, "..", "..", "dist");
const CACHE_NAME = `connector.${process.version}-${process.arch}.cache`;

/** A copy of dist/ in which `prepare` may change the cache. */
function distCopy(prepare: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), "connector-dist-"));
  for (const file of readdirSync(DIST)) {
    copyFileSync(join(DIST, file), join(dir, file));
  }
  prepare(dir);
  return dir;
}

describe("the code cache of the bundle", () => {
  const copies: Record<string, string> = {};

  beforeAll(() => {
    copies.present = DIST;
    copies.missing = distCopy((dir) => rmSync(join(dir, CACHE_NAME), { force: true }));
    copies.corrupt = distCopy((dir) => writeFileSync(join(dir, CACHE_NAME), Buffer.alloc(4096, 7)));
    copies.stale = distCopy((dir) => {
      const other = readdirSync(dir).find((f) => f.endsWith(".cache") && f !== CACHE_NAME);
      rmSync(join(dir, CACHE_NAME), { force: true });
      if (other !== undefined) {
        copyFileSync(join(dir, other), join(dir, CACHE_NAME));
      }
    });
  });

  afterAll(() => {
    for (const [name, dir] of Object.entries(copies)) {
      if (name !== "present") {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it("ships a cache for this Node", () => {
    expect(readdirSync(DIST)).toContain(CACHE_NAME);
  });

  it.each(["present", "missing", "corrupt", "stale"])(
    "runs the same with the cache %s, and says nothing about it",
    async (state) => {
      const entry = join(copies[state] ?? DIST, "main.js");

      const run = await runEntryProcess("invoke_function", "{}", process.env, entry);

      expect(run.exitCode).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.error).toMatchObject({ code: "invalid_asset", field: "region_name" });
      expect(
        run.stderr
          .trimEnd()
          .split("\n")
          .filter((line) => !line.startsWith("warning:")),
      ).toHaveLength(1);
    },
  );
});
