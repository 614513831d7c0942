/**
 * The built entry, `node dist/main.js <action>`, run as Turbine runs it. Needs
 * `npm run build` first (the test script builds before vitest). Only paths that
 * fail before any AWS call are run here; the integration tests cover the rest.
 */
import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ENTRY_PATH,
  type EntryProcessResult,
  runEntryProcess,
} from "../../src/turbine/runEntryProcess.js";
import { FUNCTION_NAME, keysAsset, SECRET_ACCESS_KEY } from "../fixtures.js";

/** The error object of the one JSON line on stderr; fails on anything else there. */
function onlyErrorLine(run: EntryProcessResult): Record<string, unknown> {
  const lines = run.stderr.split("\n");
  expect(lines).toEqual([expect.stringMatching(/^\{"error":\{/), ""]);
  return (JSON.parse(lines[0] ?? "") as { error: Record<string, unknown> }).error;
}

describe("dist/main.js", () => {
  beforeAll(() => {
    if (!existsSync(ENTRY_PATH)) {
      throw new Error(`${ENTRY_PATH} is missing: run \`npm run build\` before the tests`);
    }
  });

  it("exits 2 with one error line when stdin is not JSON", async () => {
    const run = await runEntryProcess("invoke_function", "function_name: enrich-indicator\n");

    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe("");
    expect(onlyErrorLine(run)).toMatchObject({
      code: "usage",
      message: "Standard input is not valid JSON.",
    });
  });

  it("exits 2 with one error line naming the field when the asset is invalid", async () => {
    const document = JSON.stringify({
      asset: { ...keysAsset, secret_key: `${SECRET_ACCESS_KEY} `, region_name: "fips-us-east-1" },
      inputs: { function_name: FUNCTION_NAME },
    });

    const run = await runEntryProcess("invoke_function", document);

    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe("");
    expect(onlyErrorLine(run)).toMatchObject({ code: "invalid_asset", field: "secret_key" });
    expect(run.stderr).toContain("region_name: must be an AWS region name");
    expect(run.stderr).not.toContain(SECRET_ACCESS_KEY);
  });

  it("exits 2 with one error line for an unknown action", async () => {
    const document = JSON.stringify({ ...keysAsset, function_name: FUNCTION_NAME });

    const run = await runEntryProcess("delete_function", document);

    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe("");
    expect(onlyErrorLine(run)).toMatchObject({
      code: "usage",
      message:
        'Unknown action "delete_function"; this connector offers: invoke_function, test_connection.',
    });
  });
});
