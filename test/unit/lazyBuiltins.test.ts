/**
 * The bundles' stand-ins for node:https, tls, zlib and fs/promises (scripts/build.mjs,
 * `lazyBuiltins`) know the export names of the Node that built them: a name the Node
 * running the bundle has and the list lacks reads as undefined. These tests read each
 * bundle of dist/ (built by the suite's global setup) and fail when a bundle reads such
 * a name, on the Node that runs them (`npm test` runs them on Node 22 and on Node 24).
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..", "..");
const DIST = join(ROOT, "dist");
const LAZY_BUILTINS = ["https", "tls", "zlib", "fs/promises"] as const;
type LazyBuiltin = (typeof LAZY_BUILTINS)[number];

/** A stand-in as the minified bundle holds it: its require, then its getters' names. */
const STAND_IN = /require\("node:(https|tls|zlib|fs\/promises)"\)[^[\]]{0,40}?of(\[[^\]]*\])/g;

/** What a stand-in defines after its getters: a function that loads the built-in when called. */
const CALLED_LATE = /defineProperty\([\w$]+\.exports,"([\w$]+)",\{enumerable:!0,value:/g;

/** Each stand-in of `text`, by its built-in: the names it defines. */
function standInNames(text: string): Map<LazyBuiltin, string[]> {
  const names = new Map<LazyBuiltin, string[]>();
  for (const match of text.matchAll(STAND_IN)) {
    const listEnd = (match.index ?? 0) + match[0].length;
    // The stand-in's module ends where its last definition and its wrapper close.
    const module = text.slice(listEnd, text.indexOf("})});", listEnd) + 5);
    const late = [...module.matchAll(CALLED_LATE)].map((found) => found[1] as string);
    names.set(match[1] as LazyBuiltin, [...(JSON.parse(match[2] as string) as string[]), ...late]);
  }
  return names;
}

/** Whether `text` reads `name` as a property: `.name`, `["name"]`, `"name" in`, `{name:` … */
const readsProperty = (text: string, name: string) => {
  const word = name.replaceAll("$", "\\$");
  return new RegExp(`\\.${word}(?![\\w$])|["'\`]${word}["'\`]|[{,]${word}(?=[:,}])`).test(text);
};

/**
 * The names a bundle reads of a stand-in that lacks them while the running Node's
 * built-in has them, by built-in: every one reads as undefined where the built-in's
 * own value was meant. `exportsOf` gives a built-in's export names.
 */
function missingNames(
  text: string,
  exportsOf: (builtin: LazyBuiltin) => readonly string[],
): Record<string, string[]> {
  const stands = standInNames(text);
  // The lists themselves name every name they hold: the rest of the text is what reads.
  const rest = text.replace(STAND_IN, "");
  const missing: Record<string, string[]> = {};
  for (const [builtin, names] of stands) {
    const absent = exportsOf(builtin).filter(
      (name) => !names.includes(name) && readsProperty(rest, name),
    );
    if (absent.length > 0) {
      missing[builtin] = absent;
    }
  }
  return missing;
}

const require = createRequire(import.meta.url);
const runningExports = (builtin: LazyBuiltin) => Object.keys(require(`node:${builtin}`));

describe("missingNames, on a small bundle text", () => {
  const bundle = (use: string) =>
    [
      'var z=te((q,m)=>{var a,b=()=>a??=require("node:zlib");for(let t of["gzip","gunzip"])',
      "Object.defineProperty(m.exports,t,{enumerable:!0,get:()=>b()[t]});",
      'Object.defineProperty(m.exports,"crc32",{enumerable:!0,value:(...t)=>b().crc32(...t)})});',
      use,
    ].join("");
  const zlibOf = (names: string[]) => (builtin: LazyBuiltin) => (builtin === "zlib" ? names : []);

  it("reads the stand-in's names and its function that loads on call", () => {
    expect(standInNames(bundle(""))).toEqual(new Map([["zlib", ["gzip", "gunzip", "crc32"]]]));
  });

  it("passes a bundle that reads only listed names", () => {
    const text = bundle("x.gzip(y);x.crc32(z);");

    expect(missingNames(text, zlibOf(["gzip", "gunzip", "crc32", "deflate"]))).toEqual({});
  });

  it.each([
    ["a member read", "x.deflate(y);"],
    ["an optional member read", "x?.deflate(y);"],
    ["a bracketed read", 'x["deflate"](y);'],
    ["an `in` check", '"deflate"in x&&go();'],
    ["a destructuring", "var{deflate:d}=x;"],
  ])("names a name the Node has, the list lacks and the bundle reads (%s)", (_, use) => {
    const text = bundle(use);

    expect(missingNames(text, zlibOf(["gzip", "gunzip", "crc32", "deflate"]))).toEqual({
      zlib: ["deflate"],
    });
  });

  it("ignores a name the Node has and the list lacks when the bundle never reads it", () => {
    const text = bundle("deflated=1;x.deflateSyncer();");

    expect(missingNames(text, zlibOf(["gzip", "deflate", "deflateSync"]))).toEqual({});
  });
});

describe.each(["invoke.cjs", "connector.cjs"])("the stand-ins of dist/%s", (file) => {
  const text = readFileSync(join(DIST, file), "utf8");

  it("are there, one a lazy built-in", () => {
    expect([...standInNames(text).keys()].sort()).toEqual([...LAZY_BUILTINS].sort());
  });

  it(`hold every name of this Node's built-ins (${process.version}) the bundle reads`, () => {
    expect(missingNames(text, runningExports)).toEqual({});
  });

  it("would fail were a name the bundle reads left out of a list (https's request here)", () => {
    const doctored = text.replace(
      /(require\("node:https"\)[^[\]]{0,40}?of)(\[[^\]]*\])/,
      (_, head: string, list: string) =>
        head + JSON.stringify((JSON.parse(list) as string[]).filter((name) => name !== "request")),
    );

    expect(standInNames(doctored).get("https")).not.toContain("request");
    expect(missingNames(doctored, runningExports)).toEqual({ https: ["request"] });
  });

  it("define zlib's crc32 as a function, which the SDK reads when its module is evaluated", () => {
    expect(standInNames(text).get("zlib")).toContain("crc32");
  });
});

describe("the SDK's node-https stand-in", () => {
  it("has every member the SDK's handler reads of node_https (Agent and request)", () => {
    const handler = readFileSync(
      join(ROOT, "node_modules/@smithy/node-http-handler/dist-es/node-http-handler.js"),
      "utf8",
    );
    const read = new Set([...handler.matchAll(/node_https\.([\w$]+)/g)].map((match) => match[1]));

    expect([...read].sort()).toEqual(["Agent", "request"]);
  });
});
