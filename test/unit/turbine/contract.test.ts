import { describe, expect, it } from "vitest";
import { ASSET_KEYS } from "../../../src/asset/schema.js";
import {
  EXIT_CODES,
  formatErrorLine,
  formatOutputLine,
  OUTPUT_PREFIX,
  splitDocument,
} from "../../../src/turbine/contract.js";
import { ACCESS_KEY_ID, FUNCTION_NAME, SECRET_ACCESS_KEY } from "../../fixtures.js";

describe("splitDocument", () => {
  it("splits the flat form by the asset's keys", () => {
    const document = {
      access_key: ACCESS_KEY_ID,
      secret_key: SECRET_ACCESS_KEY,
      region_name: "us-east-1",
      verify_ssl: false,
      function_name: FUNCTION_NAME,
      payload: { n: 1 },
    };

    const split = splitDocument(document, ASSET_KEYS);

    expect(split).toEqual({
      asset: {
        access_key: ACCESS_KEY_ID,
        secret_key: SECRET_ACCESS_KEY,
        region_name: "us-east-1",
        verify_ssl: false,
      },
      inputs: { function_name: FUNCTION_NAME, payload: { n: 1 } },
    });
  });

  it("takes the explicit form as it is", () => {
    const document = {
      asset: { region_name: "eu-west-1", function_name: "kept-in-asset" },
      inputs: { function_name: FUNCTION_NAME, region_name: "kept-in-inputs" },
    };

    const split = splitDocument(document, ASSET_KEYS);

    expect(split).toEqual(document);
  });

  it("fills in a missing half of the explicit form", () => {
    expect(splitDocument({ asset: { region_name: "eu-west-1" } }, ASSET_KEYS)).toEqual({
      asset: { region_name: "eu-west-1" },
      inputs: {},
    });
    expect(splitDocument({ inputs: { function_name: FUNCTION_NAME } }, ASSET_KEYS)).toEqual({
      asset: {},
      inputs: { function_name: FUNCTION_NAME },
    });
  });

  it("treats a document with other keys beside asset as the flat form", () => {
    const split = splitDocument({ asset: { region_name: "x" }, function_name: "f" }, ASSET_KEYS);

    expect(split).toEqual({
      asset: {},
      inputs: { asset: { region_name: "x" }, function_name: "f" },
    });
  });

  it("drops empty strings and nulls, in both forms, but keeps false, 0 and empty objects", () => {
    const flat = splitDocument(
      {
        region_name: "us-east-1",
        role_arn: "",
        http_proxy: null,
        verify_ssl: false,
        function_name: FUNCTION_NAME,
        qualifier: "",
        payload: {},
        timeout_seconds: 0,
      },
      ASSET_KEYS,
    );
    const explicit = splitDocument(
      { asset: { region_name: "us-east-1", external_id: null }, inputs: { qualifier: "" } },
      ASSET_KEYS,
    );

    expect(flat).toEqual({
      asset: { region_name: "us-east-1", verify_ssl: false },
      inputs: { function_name: FUNCTION_NAME, payload: {}, timeout_seconds: 0 },
    });
    expect(explicit).toEqual({ asset: { region_name: "us-east-1" }, inputs: {} });
  });

  it("gives an empty object two empty halves", () => {
    expect(splitDocument({}, ASSET_KEYS)).toEqual({ asset: {}, inputs: {} });
  });

  it.each([
    ["null", null],
    ["an array", [{ region_name: "us-east-1" }]],
    ["a string", "us-east-1"],
    ["a number", 42],
  ])("says %s is not an object", (_label, document) => {
    expect(splitDocument(document, ASSET_KEYS)).toBe(
      "the document on standard input must be a JSON object",
    );
  });

  it.each([
    ["a string asset", { asset: "us-east-1", inputs: {} }, '"asset" must be a JSON object'],
    ["an array asset", { asset: [], inputs: {} }, '"asset" must be a JSON object'],
    ["null inputs", { asset: {}, inputs: null }, '"inputs" must be a JSON object'],
    ["array inputs", { asset: {}, inputs: [1] }, '"inputs" must be a JSON object'],
  ])("refuses %s in the explicit form", (_label, document, problem) => {
    expect(splitDocument(document, ASSET_KEYS)).toBe(problem);
  });
});

describe("formatOutputLine", () => {
  it("prints the output as one compact JSON line behind the prefix", () => {
    const output = { payload: { text: "line one\nline two", n: [1, 2] }, log_result: "a\r\nb" };

    const line = formatOutputLine(output);

    expect(OUTPUT_PREFIX).toBe("::set-output ");
    expect(line.startsWith("::set-output {")).toBe(true);
    expect(line.endsWith("\n")).toBe(true);
    expect(line.split("\n")).toHaveLength(2);
    expect(line).not.toContain("\r");
    expect(JSON.parse(line.slice(OUTPUT_PREFIX.length))).toEqual(output);
  });
});

describe("formatErrorLine", () => {
  it("prints the error as one JSON line", () => {
    const error = {
      error: { code: "aws_error" as const, message: "multi\nline", hint: "check\tthis" },
    };

    const line = formatErrorLine(error);

    expect(line.split("\n")).toHaveLength(2);
    expect(JSON.parse(line)).toEqual(error);
  });
});

describe("EXIT_CODES", () => {
  it("uses 0 for success, 1 for failures and 2 for invalid documents", () => {
    expect(EXIT_CODES).toEqual({ success: 0, failure: 1, invalid: 2 });
  });
});
