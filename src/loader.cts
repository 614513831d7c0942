/**
 * The entry Turbine runs, `node dist/main.js <action>`. It loads one of the connector's
 * one-file bundles with its V8 code cache (see codeCache.ts), so that a run does not
 * spend its start compiling code: dist/invoke.cjs for invoke_function, the connector
 * built for that action alone (the common run, and the one whose start is measured),
 * dist/connector.cjs for every other action. A missing, stale or rejected cache only
 * means a normal compile, and a fresh cache written at exit, after the output, whatever
 * the exit code; `CONNECTOR_CODE_CACHE=0` turns the cache off.
 *
 * `node dist/main.js --write-code-cache` writes the cache of each bundle for the
 * running Node after a warm-up run (no network); the image build runs it with the Node
 * the image runs.
 *
 * Node maps stack traces through source maps only for code it loads itself, not for a
 * vm.Script: with `--enable-source-maps` (e.g. in NODE_OPTIONS, when debugging) the
 * bundle is loaded with require() instead, and its stack traces point into src/.
 */
import fs = require("node:fs");
import nodeModule = require("node:module");
import os = require("node:os");
import path = require("node:path");
import vm = require("node:vm");
import codeCache = require("./codeCache.js");

interface Bundle {
  main(): Promise<void>;
  warmUp(): Promise<unknown>;
}

/** The bundle of the actions that have one of their own: invoke_function's. */
const INVOKE_BUNDLE = path.join(__dirname, "invoke.cjs");
/** The bundle of every other action (and of `--help`). */
const CONNECTOR_BUNDLE = path.join(__dirname, "connector.cjs");
const BUNDLE = process.argv[2] === "invoke_function" ? INVOKE_BUNDLE : CONNECTOR_BUNDLE;

const writing = process.argv[2] === "--write-code-cache";
const cacheOff = process.env.CONNECTOR_CODE_CACHE === "0";
const settings: codeCache.CodeCacheSettings = {
  distDir: __dirname,
  tempDir: os.tmpdir(),
  v8Version: process.versions.v8,
  arch: process.arch,
  uid: process.getuid?.(),
};
if (writing && cacheOff) {
  process.stderr.write("CONNECTOR_CODE_CACHE=0 turns the code cache off: unset it to write one\n");
  process.exitCode = 2;
} else if (writing) {
  void writeCodeCaches();
} else if (process.sourceMapsEnabled || cacheOff) {
  void (require(BUNDLE) as Bundle).main();
} else {
  runWithCodeCache();
}

function runWithCodeCache(): void {
  const { script, lookup, found } = compileBundle(BUNDLE, false);
  const bundle = runBundle(script, BUNDLE);
  if (!found || script.cachedDataRejected === true) {
    // At exit the output is written and the exit code set; the cache then holds every
    // function this run compiled. Writing never throws.
    process.once("exit", () => {
      codeCache.writeCodeCache(lookup, script.createCachedData(), settings);
    });
  }
  void bundle.main();
}

/** Each bundle compiled afresh, warmed up and its cache written; one line per cache. */
async function writeCodeCaches(): Promise<void> {
  let failed = false;
  for (const file of [INVOKE_BUNDLE, CONNECTOR_BUNDLE]) {
    const { script, lookup } = compileBundle(file, true);
    await runBundle(script, file).warmUp();
    const written = codeCache.writeCodeCache(lookup, script.createCachedData(), settings);
    process.stderr.write(
      written === undefined ? `could not write the code cache of ${file}\n` : `wrote ${written}\n`,
    );
    failed ||= written === undefined;
  }
  process.exitCode = failed ? 1 : 0;
}

/** The bundle's exports, once its top level ran. */
function runBundle(script: vm.Script, file: string): Bundle {
  const bundleModule = { exports: {} as Bundle };
  script.runInThisContext()(bundleModule.exports, require, bundleModule, file, __dirname);
  return bundleModule.exports;
}

/**
 * The bundle `file` compiled, with its cache when one was found (not when `fresh`, to
 * write one). The bundle's bytes and the cache's are this function's alone, so
 * that they are garbage before the bundle runs rather than held, 5 MB, to the end; the
 * lookup returned keeps only the cache's name and the bundle's digest.
 */
function compileBundle(
  file: string,
  fresh: boolean,
): {
  script: vm.Script;
  lookup: codeCache.CodeCacheLookup;
  found: boolean;
} {
  const source = fs.readFileSync(file);
  const lookup = codeCache.readCodeCache(source, settings);
  const script = new vm.Script(nodeModule.wrap(source.toString("utf8")), {
    filename: file,
    ...(fresh || lookup.data === undefined ? {} : { cachedData: lookup.data }),
  });
  return { script, lookup: { ...lookup, data: undefined }, found: lookup.data !== undefined };
}
