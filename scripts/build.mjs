/**
 * Builds what ships: dist/connector.cjs, the whole connector in one CommonJS file (with
 * its source map and the bundled packages' license comments beside it) but EC2's
 * client, which is dist/ec2.cjs; dist/invoke.cjs, the same entry built for
 * invoke_function alone; and dist/main.js, the small loader Turbine runs, which picks
 * the bundle by the action. Then writes the V8 code caches for each Node given with
 * --cache-for, a name
 * scripts/with-node.mjs knows (the image build passes only `host`, the Node it runs).
 * A Node this platform has no package for is skipped with a note: its first run writes
 * its cache.
 *
 *   node scripts/build.mjs [--cache-for host] [--cache-for 22] [--cache-for 24]
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = resolve(root, "dist");
const { values } = parseArgs({ options: { "cache-for": { type: "string", multiple: true } } });

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
/**
 * zod re-exports all of its ~60 message locales, and a bundle would carry them all;
 * the connector speaks English (and writes its own messages), so only `en` is kept.
 */
const englishOnlyZod = {
  name: "english-only-zod",
  setup(builder) {
    builder.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${"node_modules"}/zod/`)
        ? { path: "zod-locales", namespace: "english-only-zod", pluginData: args.resolveDir }
        : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: "english-only-zod" }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: resolve(args.pluginData, "..", "locales"),
    }));
  },
};

/**
 * The SDK is bundled from its ES module builds (`mainFields` below), so that the
 * commands, schemas and handlers the connector does not use are shaken out (the HTTP/2
 * handler, and with it node:http2, among them). Those builds load a few Node built-ins
 * with `await import("node:…")`, which a vm.Script without a dynamic-import callback
 * (dist/main.js) cannot run: they become `require` calls, which give the same exports.
 */
const builtinImportsAsRequire = {
  name: "builtin-imports-as-require",
  setup(builder) {
    builder.onLoad({ filter: /[\\/]node_modules[\\/].*\.m?js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      const dynamic = /\bimport\((["'])(node:[\w/]+)\1\)/g;
      if (!dynamic.test(source)) {
        return undefined;
      }
      return {
        contents: source.replace(
          dynamic,
          (_call, _quote, name) => `Promise.resolve(require("${name}"))`,
        ),
        loader: "js",
        resolveDir: dirname(args.path),
      };
    });
  },
};

/**
 * EC2's client is as large as the rest of the bundle together (~1.1 MB: its schemas do
 * not shake out) and only sweep_functions calls it, for DescribeRegions. It is bundled
 * on its own, as dist/ec2.cjs, which the connector requires on first use: every other
 * run reads, hashes and holds half the source.
 */
const EC2_BUNDLE = "./ec2.cjs";
const ec2Apart = {
  name: "ec2-apart",
  setup(builder) {
    // A module of the bundle that requires the file: an external `import()` would stay an
    // import, which the loader's vm.Script cannot run (no dynamic-import callback).
    builder.onResolve({ filter: /^@aws-sdk\/client-ec2$/ }, () => ({
      path: "client-ec2",
      namespace: "ec2-apart",
    }));
    builder.onLoad({ filter: /.*/, namespace: "ec2-apart" }, () => ({
      contents: `module.exports = require(${JSON.stringify(EC2_BUNDLE)});`,
      loader: "js",
    }));
    builder.onResolve({ filter: /^\.\/ec2\.cjs$/ }, (args) =>
      args.namespace === "ec2-apart" ? { path: EC2_BUNDLE, external: true } : undefined,
    );
  },
};

/**
 * dist/invoke.cjs is built with src/actions/invokeActionList.ts in place of the action
 * list: the invoke action imported statically instead of 52 actions behind dynamic
 * imports. esbuild turns a dynamic import into a lazily evaluated module, and then
 * evaluates every module of a package reached that way in full on first use (all 89
 * commands of client-lambda for one InvokeCommand); statically imported, a package is
 * shaken down to what the invoke uses: a smaller bundle, less evaluated at start, a
 * smaller code cache to deserialise.
 */
const invokeActionsOnly = {
  name: "invoke-actions-only",
  setup(builder) {
    builder.onResolve({ filter: /^\.\/actions\/actionList\.js$/ }, (args) => ({
      path: resolve(args.resolveDir, "actions", "invokeActionList.ts"),
    }));
  },
};

const common = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node22",
  logLevel: "warning",
};
for (const [bundle, only] of [
  ["connector.cjs", []],
  ["invoke.cjs", [invokeActionsOnly]],
]) {
  await build({
    ...common,
    entryPoints: [resolve(root, "src/entry.ts")],
    outfile: resolve(dist, bundle),
    plugins: [...only, englishOnlyZod, builtinImportsAsRequire, ec2Apart],
    mainFields: ["module", "main"],
    minify: true,
    sourcemap: "linked",
    legalComments: "external",
  });
}
await build({
  ...common,
  stdin: { contents: 'export * from "@aws-sdk/client-ec2";', resolveDir: root, loader: "js" },
  outfile: resolve(dist, EC2_BUNDLE),
  plugins: [builtinImportsAsRequire],
  mainFields: ["module", "main"],
  minify: true,
  legalComments: "external",
});
await build({
  ...common,
  entryPoints: [resolve(root, "src/loader.cts")],
  outfile: resolve(dist, "main.js"),
});
// The package is ESM; the built files are CommonJS.
writeFileSync(resolve(dist, "package.json"), '{ "type": "commonjs" }\n');

/** scripts/with-node.mjs's exit status when the Node asked for is not on this platform. */
const NOT_AVAILABLE = 3;
for (const which of values["cache-for"] ?? []) {
  const run = spawnSync(
    process.execPath,
    [resolve(root, "scripts/with-node.mjs"), which, resolve(dist, "main.js"), "--write-code-cache"],
    { stdio: "inherit" },
  );
  if (run.status === NOT_AVAILABLE) {
    process.stderr.write(
      `build: no Node ${which} on this platform, its cache is left to its first run\n`,
    );
  } else if (run.status !== 0) {
    process.exitCode = 1;
  }
}
