/**
 * Builds what ships: dist/connector.cjs, the whole connector in one CommonJS file (with
 * its source map and the bundled packages' license comments beside it) but EC2's
 * client, which is dist/ec2.cjs; dist/invoke.cjs, the same entry built for
 * invoke_function alone (the clients of IAM and STS, and the machine's credential chain,
 * apart: dist/iam.cjs, dist/sts.cjs, dist/credential-chain.cjs); and dist/main.js, the small loader Turbine runs, which picks
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
import { createRequire } from "node:module";
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
const BUILTIN_IMPORT = /\bimport\((["'])(node:[\w/]+)\1\)/g;
const builtinsAsRequire = (source) =>
  source.replace(BUILTIN_IMPORT, (_call, _quote, name) => `Promise.resolve(require("${name}"))`);
const builtinImportsAsRequire = {
  name: "builtin-imports-as-require",
  setup(builder) {
    builder.onLoad({ filter: /[\\/]node_modules[\\/].*\.m?js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      // search, not test: a /g expression's test keeps state (lastIndex) between files.
      if (source.search(BUILTIN_IMPORT) === -1) {
        return undefined;
      }
      return { contents: builtinsAsRequire(source), loader: "js", resolveDir: dirname(args.path) };
    });
  },
};

/**
 * Node built-ins that take a run's start milliseconds to load (node:https with the TLS
 * stack ~4.5 ms, node:fs/promises ~1.5, node:zlib ~1) and that many runs never use: an
 * invoke over plain HTTP needs none of them, yet the SDK and the connector import them
 * at the top of modules every run evaluates. Every import of one in a bundle gets a
 * stand-in module instead, whose properties are getters that load the built-in on first
 * use. Importers read a built-in's exports through a namespace object at the time of use
 * (esbuild keeps `import_https.Agent`, never a copy), so `new`, `instanceof`, `extends`
 * and every call see the built-in's own values. The names are the building Node's; a
 * name a later Node added to a built-in would read as undefined, and the connector uses
 * none (test/unit/lazyBuiltins.test.ts checks the names every bundle reads exist).
 * zlib's crc32 is a function that loads zlib when called: the SDK's CRC-32 module reads
 * `zlib.crc32` when it is evaluated, to pick Node's implementation over its own.
 *
 * The SDK's HTTP handler checks `httpsAgent instanceof node_https.Agent` when it is
 * built, for plain HTTP too; in its one-line module that imports node:https, the
 * built-in's `Agent` is a class that builds the real agent and answers `instanceof`
 * without loading TLS (until the built-in is loaded, no object is an instance).
 */
const LAZY_BUILTINS = ["https", "tls", "zlib", "fs/promises"];
const LAZY_BUILTIN = new RegExp(`^(node:)?(${LAZY_BUILTINS.join("|").replace("/", "\\/")})$`);
const SDK_NODE_HTTPS = /[\\/]@smithy[\\/]node-http-handler[\\/]dist-es[\\/]node-https\.js$/;
const SDK_NODE_HTTPS_SOURCE = 'import node_https from "node:https";\nexport { node_https };\n';
const CALLED_LATE = { "node:zlib": ["crc32"] };
/** The names of a built-in's exports that are read through a getter. */
const lazyNames = (builtin) =>
  Object.keys(createRequire(import.meta.url)(builtin)).filter(
    (name) => !(CALLED_LATE[builtin] ?? []).includes(name),
  );
const lazyBuiltins = {
  name: "lazy-builtins",
  setup(builder) {
    builder.onResolve({ filter: LAZY_BUILTIN }, (args) =>
      args.namespace === "lazy-builtins"
        ? undefined
        : { path: `node:${args.path.replace(/^node:/, "")}`, namespace: "lazy-builtins" },
    );
    builder.onLoad({ filter: /.*/, namespace: "lazy-builtins" }, (args) => ({
      contents: [
        "let loaded;",
        `const load = () => (loaded ??= require(${JSON.stringify(args.path)}));`,
        `for (const name of ${JSON.stringify(lazyNames(args.path))}) {`,
        "  Object.defineProperty(module.exports, name, { enumerable: true, get: () => load()[name] });",
        "}",
        ...(CALLED_LATE[args.path] ?? []).map(
          (name) =>
            `Object.defineProperty(module.exports, ${JSON.stringify(name)}, { enumerable: true, value: (...args) => load()[${JSON.stringify(name)}](...args) });`,
        ),
      ].join("\n"),
      loader: "js",
    }));
    builder.onLoad({ filter: SDK_NODE_HTTPS }, (args) => {
      if (readFileSync(args.path, "utf8") !== SDK_NODE_HTTPS_SOURCE) {
        throw new Error(`${args.path} changed: update the lazy-builtins rule for it`);
      }
      return {
        contents: [
          'import * as https from "node:https";',
          "let tls = false;",
          "class Agent {",
          "  constructor(options) { tls = true; return new https.Agent(options); }",
          "  static [Symbol.hasInstance](value) { return tls && value instanceof https.Agent; }",
          "}",
          "export const node_https = {",
          "  get Agent() { return tls ? https.Agent : Agent; },",
          "  request(...args) { tls = true; return https.request(...args); },",
          "};",
        ].join("\n"),
        loader: "js",
        resolveDir: dirname(args.path),
      };
    });
  },
};

/**
 * A client package bundled on its own, as dist/<file>, which a bundle requires on first
 * use instead of holding it. EC2's client is as large as the rest of the connector
 * together (~1.1 MB: its schemas do not shake out) and only sweep_functions calls it,
 * for DescribeRegions: every other run would read, hash and hold half the source.
 * dist/invoke.cjs keeps IAM's client apart too: an invoke never calls IAM, and its 240
 * lazily evaluated modules still cost the invoke's start their definitions (~2.5 ms)
 * and its code cache their room.
 */
const EC2_APART = { name: "@aws-sdk/client-ec2", file: "./ec2.cjs" };
const IAM_APART = { name: "@aws-sdk/client-iam", file: "./iam.cjs" };
const STS_APART = { name: "@aws-sdk/client-sts", file: "./sts.cjs" };
const packagesApart = (packages) => ({
  name: "packages-apart",
  setup(builder) {
    for (const { name, file } of packages) {
      // A module of the bundle that requires the file: an external `import()` would stay
      // an import, which the loader's vm.Script cannot run (no dynamic-import callback).
      builder.onResolve({ filter: new RegExp(`^${name.replace("/", "\\/")}$`) }, () => ({
        path: name,
        namespace: "packages-apart",
      }));
      builder.onResolve({ filter: new RegExp(`^${file.replace(".", "\\.")}$`) }, (args) =>
        args.namespace === "packages-apart" ? { path: file, external: true } : undefined,
      );
    }
    builder.onLoad({ filter: /.*/, namespace: "packages-apart" }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(packages.find(({ name }) => name === args.path).file)});`,
      loader: "js",
    }));
  },
});

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

/**
 * The same holds inside the SDK, where a dynamic import makes its target, and every
 * module the target imports, lazily evaluated as a whole: one `import()` of STS from
 * the role's credential provider was enough for all of @smithy/core's submodules to be
 * evaluated in full when the Lambda client loaded. In dist/invoke.cjs the imports on an
 * invoke's path are static (the role's provider, narrowed to the two providers the
 * connector uses; its STS client; the event-stream serde the protocol loads), and what
 * an invoke never needs stays apart: the executor's own STS client (test_connection's)
 * and the machine's credential chain, which the Lambda client names as its default
 * but never calls with the asset's credentials given, behind a module that requires
 * dist/credential-chain.cjs on first use. Each rule must find its import, so that an
 * SDK update that moves one fails the build instead of quietly bundling more.
 */
const CREDENTIAL_PROVIDERS = resolve(root, "node_modules/@aws-sdk/credential-providers/dist-es");
const STATIC_ON_INVOKE_PATH = [
  {
    importer: /[\\/]src[\\/]aws[\\/]credentials\.ts$/,
    target: "@aws-sdk/credential-providers",
    as: "connector:credential-providers",
  },
  { importer: /[\\/]fromTemporaryCredentials\.base\.js$/, target: "./loadSts.js" },
  { importer: /[\\/]protocols[\\/]HttpProtocol\.js$/, target: "@smithy/core/event-streams" },
];
const CREDENTIAL_CHAIN = "./credential-chain.cjs";
const staticOnInvokePath = {
  name: "static-on-invoke-path",
  setup(builder) {
    builder.onResolve({ filter: /^connector:credential-providers$/ }, (args) => ({
      path: args.path,
      namespace: "static-on-invoke-path",
    }));
    builder.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, (args) => ({
      path: args.path,
      namespace: "static-on-invoke-path",
    }));
    builder.onResolve({ filter: /^\.\/credential-chain\.cjs$/ }, (args) =>
      args.namespace === "static-on-invoke-path"
        ? { path: CREDENTIAL_CHAIN, external: true }
        : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: "static-on-invoke-path" }, (args) =>
      args.path === "connector:credential-providers"
        ? {
            contents: [
              'export { fromNodeProviderChain } from "./fromNodeProviderChain.js";',
              'export { fromTemporaryCredentials } from "./fromTemporaryCredentials.js";',
            ].join("\n"),
            resolveDir: CREDENTIAL_PROVIDERS,
            loader: "js",
          }
        : {
            contents: [
              `const chain = () => require(${JSON.stringify(CREDENTIAL_CHAIN)});`,
              "export const defaultProvider = (init) => {",
              "  let provider;",
              "  return (options) => (provider ??= chain().defaultProvider(init))(options);",
              "};",
              "export const credentialsTreatedAsExpired = (credentials) => chain().credentialsTreatedAsExpired(credentials);",
              "export const credentialsWillNeedRefresh = (credentials) => chain().credentialsWillNeedRefresh(credentials);",
            ].join("\n"),
            loader: "js",
          },
    );
    builder.onLoad({ filter: /\.(m?js|ts)$/ }, (args) => {
      const rules = STATIC_ON_INVOKE_PATH.filter(({ importer }) => importer.test(args.path));
      if (rules.length === 0) {
        return undefined;
      }
      let source = readFileSync(args.path, "utf8");
      const heads = rules.map(({ target, as }, i) => {
        const call = `import(${JSON.stringify(target)})`;
        if (!source.includes(call)) {
          throw new Error(`${args.path} no longer has ${call}: update STATIC_ON_INVOKE_PATH`);
        }
        source = source.replaceAll(call, `Promise.resolve(staticOnInvokePath${i})`);
        return `import * as staticOnInvokePath${i} from ${JSON.stringify(as ?? target)};`;
      });
      return {
        contents: `${heads.join("\n")}\n${builtinsAsRequire(source)}`,
        loader: args.path.endsWith(".ts") ? "ts" : "js",
        resolveDir: dirname(args.path),
      };
    });
  },
};

/**
 * dist/invoke.cjs holds no classic zod: the schemas on an invoke's path are written with
 * zod/mini (src/zodMini.ts), and classic zod's module with the schemas built with it
 * cost the invoke's start ~8 ms. The build fails when any of classic zod's code reaches
 * that bundle (a module may import classic zod, if what the invoke uses of it does not).
 */
function checkNoClassicZod(bundle, metafile) {
  const classic = Object.entries(
    Object.entries(metafile.outputs).find(([file]) => file.endsWith(`dist/${bundle}`))?.[1]
      .inputs ?? {},
  ).filter(
    ([file, { bytesInOutput }]) =>
      /node_modules[\\/]zod[\\/]v4[\\/]classic[\\/]/.test(file) && bytesInOutput > 0,
  );
  if (classic.length > 0) {
    throw new Error(
      `dist/${bundle} holds classic zod (${classic.map(([file]) => file).join(", ")}): write the schemas on its path with src/zodMini.ts`,
    );
  }
}

const common = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node22",
  logLevel: "warning",
};
for (const [bundle, only, apart] of [
  ["connector.cjs", [], [EC2_APART]],
  ["invoke.cjs", [invokeActionsOnly, staticOnInvokePath], [EC2_APART, IAM_APART, STS_APART]],
]) {
  const { metafile } = await build({
    ...common,
    metafile: true,
    entryPoints: [resolve(root, "src/entry.ts")],
    outfile: resolve(dist, bundle),
    plugins: [...only, englishOnlyZod, lazyBuiltins, builtinImportsAsRequire, packagesApart(apart)],
    mainFields: ["module", "main"],
    minify: true,
    sourcemap: "linked",
    legalComments: "external",
  });
  if (bundle === "invoke.cjs") {
    checkNoClassicZod(bundle, metafile);
  }
}
for (const { name, file } of [
  EC2_APART,
  IAM_APART,
  STS_APART,
  { name: "@aws-sdk/credential-provider-node", file: CREDENTIAL_CHAIN },
]) {
  await build({
    ...common,
    stdin: { contents: `export * from "${name}";`, resolveDir: root, loader: "js" },
    outfile: resolve(dist, file),
    plugins: [builtinImportsAsRequire],
    mainFields: ["module", "main"],
    minify: true,
    legalComments: "external",
  });
}
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
