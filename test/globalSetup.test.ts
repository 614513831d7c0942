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

  it.each([
    [
      "up to date when every output is newer than every source",
      {
        "src/aws/executor.ts": 60,
        "dist/main.js": 10,
        "dist/connector.cjs": 10,
        "dist/invoke.cjs": 10,
      },
      undefined,
    ],
    [
      "stale when an output is missing",
      { "src/main.ts": 60, "dist/main.js": 10 },
      "dist/connector.cjs is missing",
    ],
    [
      "stale when the invoke bundle is missing",
      { "src/main.ts": 60, "dist/main.js": 10, "dist/connector.cjs": 10 },
      "dist/invoke.cjs is missing",
    ],
    [
      "stale when a source deep in src/ changed after the bundle was built",
      {
        "src/main.ts": 60,
        "dist/main.js": 30,
        "dist/connector.cjs": 30,
        "dist/invoke.cjs": 30,
        "src/aws/executor.ts": 5,
      },
      "src/aws/executor.ts is newer than dist/main.js",
    ],
    [
      "stale when the build script changed after the oldest output",
      {
        "src/main.ts": 60,
        "dist/main.js": 30,
        "dist/connector.cjs": 20,
        "dist/invoke.cjs": 20,
        "scripts/build.mjs": 25,
      },
      "scripts/build.mjs is newer than dist/main.js",
    ],
  ] as const)("is %s", (_case, files, why) => {
    for (const [path, secondsAgo] of Object.entries(files)) {
      file(path, secondsAgo);
    }

    expect(staleness(root)).toBe(why);
  });
});
