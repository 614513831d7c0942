// Mutation testing of the guard modules (npm run mutation; docs/reliability.md has the
// scores). scripts/mutation.mjs runs Stryker once per module and names it in
// MUTATION_MODULE; this file turns that name into what to mutate and which tests judge it.
import { MUTATION_MODULES } from "./scripts/mutation-modules.mjs";

const module = MUTATION_MODULES.find((m) => m.name === process.env.MUTATION_MODULE);
if (module === undefined) {
  throw new Error(
    `MUTATION_MODULE must be one of ${MUTATION_MODULES.map((m) => m.name).join(", ")}: run npm run mutation`,
  );
}

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "vitest.mutation.config.ts", related: false },
  mutate: module.mutate,
  // Two cores shared with everything else on the machine.
  concurrency: 1,
  incremental: true,
  incrementalFile: `reports/mutation/${module.name}.incremental.json`,
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: `reports/mutation/${module.name}.json` },
  clearTextReporter: { allowColor: false, logTests: false },
  thresholds: { high: 95, low: 85, break: 85 },
  timeoutMS: 10_000,
  ignorePatterns: ["dist", "coverage", "reports", "bench", ".local-aws", "scratch"],
  cleanTempDir: "always",
};
