import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { staleness } from "./globalSetup.js";

/** When dist/ counts as stale: what decides whether the entry tests rebuild it. */
describe("staleness of dist/", () => {
  let root: string;

  /** Writes `path` under the temporary root, last modified `secondsAgo` ago. */
  const file = (path: string, secondsAgo: number): void => {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, "");
    const at = Date.now() / 1000 - secondsAgo;
    utimesSync(full, at, at);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "dist-staleness-"));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("is up to date when every output is newer than every source", () => {
    file("src/aws/executor.ts", 60);
    file("dist/main.js", 10);
    file("dist/connector.cjs", 10);

    expect(staleness(root)).toBeUndefined();
  });

  it("is stale when an output is missing", () => {
    file("src/main.ts", 60);
    file("dist/main.js", 10);

    expect(staleness(root)).toBe("dist/connector.cjs is missing");
  });

  it("is stale when a source deep in src/ changed after the bundle was built", () => {
    file("src/main.ts", 60);
    file("dist/main.js", 30);
    file("dist/connector.cjs", 30);
    file("src/aws/executor.ts", 5);

    expect(staleness(root)).toBe("src/aws/executor.ts is newer than dist/main.js");
  });

  it("is stale when the build script changed", () => {
    file("src/main.ts", 60);
    file("dist/main.js", 30);
    file("dist/connector.cjs", 20);
    file("scripts/build.mjs", 25);

    expect(staleness(root)).toBe("scripts/build.mjs is newer than dist/main.js");
  });
});
