import { readdirSync, readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "..", "..", "..", "src");

/** Every TypeScript file under src/, by its path relative to src/. */
function sources(): Map<string, string> {
  const files = readdirSync(SRC, { recursive: true, encoding: "utf8" }).filter((file) =>
    file.endsWith(".ts"),
  );
  return new Map(files.map((file) => [file, readFileSync(resolve(SRC, file), "utf8")]));
}

/** The files that import `module` other than as a type or through a dynamic import(). */
function staticImportersOf(module: RegExp, files: Map<string, string>): string[] {
  return [...files]
    .filter(([, text]) =>
      [...text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+"([^"]+)";/gms)].some(
        (match) => match[1] === undefined && module.test(match[2] ?? ""),
      ),
    )
    .map(([file]) => relative(".", file))
    .sort();
}

describe("the IAM client is loaded only by the execution-role actions", () => {
  it("is imported statically by executionRole.ts alone, which only those two actions import", () => {
    const files = sources();

    expect(staticImportersOf(/^@aws-sdk\/client-iam$/, files)).toEqual([
      "actions/executionRole.ts",
    ]);
    expect(staticImportersOf(/^\.\.\/executionRole\.js$/, files)).toEqual([
      "actions/quarantine_execution_role/quarantine_execution_role.ts",
      "actions/release_execution_role/release_execution_role.ts",
    ]);
  });

  it("is reached from the action list and the executor only through dynamic import()", () => {
    const files = sources();

    expect(files.get("aws/executor.ts")).toContain('await import("@aws-sdk/client-iam")');
    expect(staticImportersOf(/quarantine_execution_role|release_execution_role/, files)).toEqual([
      "actions/release_execution_role/release_execution_role.ts",
    ]);
  });
});
