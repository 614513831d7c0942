import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

// The suite's config, narrowed for Stryker (stryker.config.mjs): only the tests that
// judge the module under mutation (MUTATION_TESTS), no JSON report, and no rebuild of
// dist/ (none of those tests runs the built entry, and Stryker's copy of src/ is mutated).
const tests = (process.env.MUTATION_TESTS ?? "").split(",").filter((path) => path !== "");
if (tests.length === 0) {
  throw new Error("MUTATION_TESTS names no test file: run npm run mutation");
}

export default defineConfig({
  ...base,
  test: { ...base.test, include: tests, reporters: ["default"], globalSetup: [] },
});
