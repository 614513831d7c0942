/**
 * The entry Turbine runs, `node dist/main.js <action>`. It loads the connector's
 * one-file bundle with V8's code cache (see codeCache.ts), so that a run does not
 * spend its start compiling code. A missing, stale or rejected cache only means a
 * normal compile, and a fresh cache written at exit, after the output, whatever the
 * exit code; `CONNECTOR_CODE_CACHE=0` turns the cache off.
 *
 * `node dist/main.js --write-code-cache` writes the cache for the running Node after a
 * warm-up run (no network); the image build runs it with the Node the image runs.
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
  warmUp(): Promise<void>;
}

const BUNDLE = path.join(__dirname, "connector.cjs");

const writing = process.argv[2] === "--write-code-cache";
const cacheOff = process.env.CONNECTOR_CODE_CACHE === "0";
if (writing && cacheOff) {
  process.stderr.write("CONNECTOR_CODE_CACHE=0 turns the code cache off: unset it to write one\n");
  process.exitCode = 2;
} else if ((process.sourceMapsEnabled || cacheOff) && !writing) {
  void (require(BUNDLE) as Bundle).main();
} else {
  runWithCodeCache();
}

function runWithCodeCache(): void {
  const settings: codeCache.CodeCacheSettings = {
    distDir: __dirname,
    tempDir: os.tmpdir(),
    v8Version: process.versions.v8,
    arch: process.arch,
    uid: process.getuid?.(),
  };
  const { script, lookup, found } = compileBundle(settings);
  const bundleModule = { exports: {} as Bundle };
  script.runInThisContext()(bundleModule.exports, require, bundleModule, BUNDLE, __dirname);
  if (writing) {
    void bundleModule.exports.warmUp().then(() => {
      const written = codeCache.writeCodeCache(lookup, script.createCachedData(), settings);
      process.stderr.write(
        written === undefined ? "could not write the code cache\n" : `wrote ${written}\n`,
      );
      process.exitCode = written === undefined ? 1 : 0;
    });
    return;
  }
  if (!found || script.cachedDataRejected === true) {
    // At exit the output is written and the exit code set; the cache then holds every
    // function this run compiled. Writing never throws.
    process.once("exit", () => {
      codeCache.writeCodeCache(lookup, script.createCachedData(), settings);
    });
  }
  void bundleModule.exports.main();
}

/**
 * The bundle compiled, with its cache when one was found (not when writing one: a
 * fresh compile then). The bundle's bytes and the cache's are this function's alone, so
 * that they are garbage before the bundle runs rather than held, 5 MB, to the end; the
 * lookup returned keeps only the cache's name and the bundle's digest.
 */
function compileBundle(settings: codeCache.CodeCacheSettings): {
  script: vm.Script;
  lookup: codeCache.CodeCacheLookup;
  found: boolean;
} {
  const source = fs.readFileSync(BUNDLE);
  const lookup = codeCache.readCodeCache(source, settings);
  const script = new vm.Script(nodeModule.wrap(source.toString("utf8")), {
    filename: BUNDLE,
    ...(writing || lookup.data === undefined ? {} : { cachedData: lookup.data }),
  });
  return { script, lookup: { ...lookup, data: undefined }, found: lookup.data !== undefined };
}
