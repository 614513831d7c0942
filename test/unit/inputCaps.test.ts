import { describe, expect, it } from "vitest";
import { runConnector } from "../../src/runConnector.js";
import { parseErrorLine } from "../../src/turbine/contract.js";
import { HANDLER_ZIP_BASE64, keysAsset } from "./../fixtures.js";

/** 1 MB of what a runtime or a marker may hold: a free-text input that is not capped costs every later step. */
const HUGE = "a".repeat(1024 * 1024);

describe("free-text inputs are capped", () => {
  it.each([
    [
      "create_function",
      "runtime",
      {
        function_name: "f",
        runtime: HUGE,
        handler: "app.handler",
        execution_role_arn: "arn:aws:iam::123456789012:role/r",
        zip_file_base64: HANDLER_ZIP_BASE64,
      },
    ],
    ["list_functions", "name_contains", { name_contains: HUGE }],
    ["list_functions", "runtime", { runtime: HUGE }],
    ["list_functions", "marker", { marker: HUGE }],
  ])(
    "%s refuses a 1 MB %s with exit 2 naming it, before any call",
    async (action, field, inputs) => {
      // Act
      const result = await runConnector(action, JSON.stringify({ asset: keysAsset, inputs }));

      // Assess
      expect(result.exitCode).toBe(2);
      const line = parseErrorLine(result.stderr.trimEnd().split("\n").at(-1) ?? "");
      expect(line?.field).toContain(field);
      expect(line?.message).toContain("at most");
      expect(result.stderr.length).toBeLessThan(10_000);
    },
  );
});
