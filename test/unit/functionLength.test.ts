import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * Issue 12's rule for src/: no function over 60 lines unless it says why, in its doc
 * comment, with a line starting "Over 60 lines:". Long functions hide their steps; the
 * rule keeps each step named as the actions double.
 */
const MAX_LINES = 60;
const SRC = join(import.meta.dirname, "..", "..", "src");

interface LongFunction {
  place: string;
  lines: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(path);
    }
    return /\.c?ts$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Every function-like node of `text` longer than MAX_LINES whose doc does not say why. */
function longFunctions(fileName: string, text: string): LongFunction[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body !== undefined) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = last - first + 1;
      // The doc comment sits before the node, or before the statement that holds it
      // (`export const x = () => ...`, a property `run: async () => ...`).
      const holder = ts.isVariableDeclaration(node.parent) ? node.parent.parent.parent : node;
      const leading = text.slice(holder.getFullStart(), holder.getStart(source));
      if (lines > MAX_LINES && !/^\s*\*?\s*Over 60 lines:/m.test(leading)) {
        const name =
          ts.getNameOfDeclaration(node as ts.Declaration)?.getText(source) ?? "(anonymous)";
        found.push({ place: `${fileName}:${first + 1} ${name}`, lines });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("function length in src/", () => {
  it("finds a long function, and accepts it once its doc says why", () => {
    const body = Array.from({ length: MAX_LINES }, (_, i) => `  const v${i} = ${i};`).join("\n");
    const long = `function long(): void {\n${body}\n}\n`;
    expect(longFunctions("long.ts", long)).toEqual([{ place: "long.ts:1 long", lines: 62 }]);
    const arrow = `export const long = (): void => {\n${body}\n};\n`;
    expect(longFunctions("arrow.ts", arrow)).toHaveLength(1);
    const said = `/**\n * Does it all.\n * Over 60 lines: one table, read top to bottom.\n */\n${long}`;
    expect(longFunctions("said.ts", said)).toEqual([]);
    const short = `function short(): void {\n  return;\n}\n`;
    expect(longFunctions("short.ts", short)).toEqual([]);
  });

  it(`has no function over ${MAX_LINES} lines that does not say why`, () => {
    const long = sourceFiles(SRC).flatMap((path) =>
      longFunctions(relative(SRC, path), readFileSync(path, "utf8")),
    );
    expect(long).toEqual([]);
  });
});
