import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..", "..");

/** The files a README's commands write with `> file`: what a user creates by following it. */
function filesWrittenBy(readme: string): string[] {
  const text = readFileSync(resolve(ROOT, readme), "utf8");
  return [...new Set([...text.matchAll(/>\s*([\w./-]+\.json)\b/g)].map((m) => m[1] as string))];
}

describe("files the READMEs ask a user to create", () => {
  it.each(["README.md", "local-aws/README.md"])(
    "are ignored by git, so they are never committed: %s",
    (readme) => {
      const files = filesWrittenBy(readme);

      expect(files.length).toBeGreaterThan(0);
      const ignored = execFileSync("git", ["check-ignore", "--no-index", ...files], {
        cwd: ROOT,
        encoding: "utf8",
      })
        .split("\n")
        .filter((line) => line !== "");
      expect(ignored.sort()).toEqual(files.sort());
    },
  );
});
