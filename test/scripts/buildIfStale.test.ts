import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { staleReason } from "../../scripts/lib/buildIfStale.js";

describe("staleReason", () => {
  let base: string;
  const at = (seconds: number) => new Date(1_700_000_000_000 + seconds * 1000);
  const touch = async (path: string, seconds: number) => {
    await mkdir(join(base, path, ".."), { recursive: true });
    await writeFile(join(base, path), "x");
    await utimes(join(base, path), at(seconds), at(seconds));
  };

  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), "stale-"));
    await touch("src/actions/a.ts", 0);
    await touch("package.json", 0);
  });

  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it("asks for a build when dist/ was never built", () => {
    expect(staleReason(base)).toBe("dist/ has not been built");
  });

  it("is satisfied when the build is newer than everything it is built from", async () => {
    await touch("dist/main.js", 10);

    expect(staleReason(base)).toBeUndefined();
  });

  it.each([
    ["a nested source file", "src/actions/a.ts"],
    ["the lock file", "package-lock.json"],
    ["the build script", "scripts/build.mjs"],
  ])("names %s edited after the build", async (_, path) => {
    await touch("dist/main.js", 10);
    await touch(path, 20);

    expect(staleReason(base)).toBe(`${path} changed after the last build`);
  });
});
