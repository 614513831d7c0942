/**
 * The entry Turbine runs, `node dist/main.js <action>`. It loads the connector's
 * one-file bundle with V8's code cache for this Node version and architecture, written
 * when the image was built, so that a run does not spend its start compiling code. A
 * missing, stale or rejected cache only means a normal compile.
 *
 * `node dist/main.js --write-code-cache` writes that cache; the image build runs it
 * with the Node the image runs.
 *
 * Node maps stack traces through source maps only for code it loads itself, not for a
 * vm.Script: with `--enable-source-maps` (e.g. in NODE_OPTIONS, when debugging) the
 * bundle is loaded with require() instead, and its stack traces point into src/.
 */
import fs = require("node:fs");
import nodeModule = require("node:module");
import path = require("node:path");
import vm = require("node:vm");

interface Bundle {
  main(): Promise<void>;
  warmUp(): Promise<void>;
}

const BUNDLE = path.join(__dirname, "connector.cjs");
const CACHE = path.join(__dirname, `connector.${process.version}-${process.arch}.cache`);

const writing = process.argv[2] === "--write-code-cache";
if (process.sourceMapsEnabled && !writing) {
  void (require(BUNDLE) as Bundle).main();
} else {
  runWithCodeCache();
}

function runWithCodeCache(): void {
  const source = fs.readFileSync(BUNDLE, "utf8");
  const cachedData = writing ? undefined : readCache();
  const script = new vm.Script(nodeModule.wrap(source), {
    filename: BUNDLE,
    ...(cachedData === undefined ? {} : { cachedData }),
  });
  const bundleModule = { exports: {} as Bundle };
  script.runInThisContext()(bundleModule.exports, require, bundleModule, BUNDLE, __dirname);
  if (writing) {
    void bundleModule.exports.warmUp().then(() => {
      fs.writeFileSync(CACHE, script.createCachedData());
      process.stderr.write(`wrote ${CACHE}\n`);
    });
  } else {
    void bundleModule.exports.main();
  }
}

function readCache(): Buffer | undefined {
  try {
    return fs.readFileSync(CACHE);
  } catch {
    return undefined;
  }
}
