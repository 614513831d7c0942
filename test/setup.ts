// Shared vitest setup: registers the aws-sdk-client-mock matchers, and runs the secret
// scan over everything every test produces (see test/support/secretScanHooks.ts).
import { allCustomMatcherWithAliases, type CustomMatcher } from "aws-sdk-client-mock-vitest";
import { afterAll, afterEach, expect, vi } from "vitest";
import { ConnectorError } from "../src/errors.js";
import {
  hookChildProcesses,
  hookConsoleAndStreams,
  hookErrorLines,
  scanReport,
  suiteSecretScan,
} from "./support/secretScanHooks.js";
import { TEST_SECRETS } from "./support/testSecrets.js";

// With aliases, so both `toHaveReceivedCommandWith` and the shorter `toReceiveCommandWith` work.
expect.extend(allCustomMatcherWithAliases);

declare module "vitest" {
  // biome-ignore lint/suspicious/noExplicitAny: must repeat vitest's own `Matchers<T = any>` to merge with it.
  interface Matchers<T = any> extends CustomMatcher<T> {}
}

// An ES module's exports cannot be patched, so the runs and the fixtures' error helpers
// are wrapped here (vi.mock in a setup file applies to every test file): each result
// and each error a test inspects passes through the scan, unchanged.
vi.mock(import("../src/runConnector.js"), async (importOriginal) => {
  const [original, hooks] = await Promise.all([
    importOriginal(),
    import("./support/secretScanHooks.js"),
  ]);
  const seen = <R extends { stdout: string; stderr: string }>(from: string, result: R): R => {
    const scan = hooks.suiteSecretScan();
    scan.scanText(`${from} stdout`, result.stdout);
    scan.scanText(`${from} stderr`, result.stderr);
    return result;
  };
  return {
    ...original,
    runConnector: async (...args: Parameters<typeof original.runConnector>) =>
      seen("runConnector", await original.runConnector(...args)),
    failureResult: (...args: Parameters<typeof original.failureResult>) =>
      seen("failureResult", original.failureResult(...args)),
  };
});
vi.mock(import("./fixtures.js"), async (importOriginal) => {
  const [original, hooks] = await Promise.all([
    importOriginal(),
    import("./support/secretScanHooks.js"),
  ]);
  const seen = <E>(error: E): E => {
    hooks.suiteSecretScan().scanError("error a test inspected", error);
    return error;
  };
  return {
    ...original,
    thrownConnectorError: (fn: () => unknown) => seen(original.thrownConnectorError(fn)),
    rejectedConnectorError: async (promise: Promise<unknown>) =>
      seen(await original.rejectedConnectorError(promise)),
  };
});

const scan = suiteSecretScan(TEST_SECRETS);
hookConsoleAndStreams(scan);
hookChildProcesses(scan);
hookErrorLines(ConnectorError, scan);

// Registered before any test file's own hooks, so (hooks run in reverse) after them: what
// a test's own afterEach prints is still the test's. A hit fails the test that produced it.
afterEach(({ task }) => {
  for (const error of task.result?.errors ?? []) {
    scan.scanError("the test's failure message", error);
    scan.scanText("the test's failure diff", error.diff ?? "");
  }
  scan.assertClean(`the test "${task.name}"`);
});
// What hooks and servers print outside any test fails the file.
const before = new Map(scan.scanned);
afterAll(() => {
  scan.assertClean("this file's beforeAll/afterAll hooks");
  // SECRET_SCAN_REPORT=1 prints what the scan looked at in each file, for the figures.
  if (process.env.SECRET_SCAN_REPORT !== undefined) {
    process.stderr.write(`${scanReport(scan, before, expect.getState().testPath ?? "?")}\n`);
  }
});
