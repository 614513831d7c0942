import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ASSET_FIELD_NAMES } from "../../../src/asset/schema.js";
import {
  describeKeys,
  ERROR_PREFIX,
  EXIT_CODES,
  formatErrorLine,
  formatOutputLine,
  MAX_DOCUMENT_BYTES,
  OUTPUT_PREFIX,
  OutputLine,
  parseErrorLine,
  type SplitOptions,
  splitDocument,
} from "../../../src/turbine/contract.js";
import { TEXT_SLICE_CHARACTERS } from "../../../src/turbine/textSlices.js";
import { ACCESS_KEY_ID, FUNCTION_NAME, SECRET_ACCESS_KEY } from "../../fixtures.js";

/** Without ASSET_KEYS: the asset manifest's keys decide. */
const ASSET_KEYS: SplitOptions = {
  declaredAssetKeys: ASSET_FIELD_NAMES,
  assetKeysVariable: undefined,
};

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
      notes: [],
    });
  });

  it("takes the explicit form as it is", () => {
    const document = {
      asset: { region_name: "eu-west-1", function_name: "kept-in-asset" },
      inputs: { function_name: FUNCTION_NAME, region_name: "kept-in-inputs" },
    };

    const split = splitDocument(document, ASSET_KEYS);

    expect(split).toEqual({ ...document, notes: [] });
  });

  it("fills in a missing half of the explicit form", () => {
    expect(splitDocument({ asset: { region_name: "eu-west-1" } }, ASSET_KEYS)).toEqual({
      asset: { region_name: "eu-west-1" },
      inputs: {},
      notes: [],
    });
    expect(splitDocument({ inputs: { function_name: FUNCTION_NAME } }, ASSET_KEYS)).toEqual({
      asset: {},
      inputs: { function_name: FUNCTION_NAME },
      notes: [],
    });
  });

  it.each([
    [
      "asset beside a field",
      { asset: { region_name: "x" }, function_name: "f" },
      '"asset" beside "function_name"',
    ],
    [
      "both halves beside an extra key",
      { asset: {}, inputs: {}, extra: 1 },
      '"asset" and "inputs" beside "extra"',
    ],
  ])("refuses a document that mixes the two forms: %s", (_label, document, named) => {
    const problem = splitDocument(document, ASSET_KEYS);

    expect(problem).toEqual(expect.stringContaining("it mixes the two forms"));
    expect(problem).toEqual(expect.stringContaining(named));
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
      notes: [],
    });
    expect(explicit).toEqual({ asset: { region_name: "us-east-1" }, inputs: {}, notes: [] });
  });

  it("gives an empty object two empty halves", () => {
    expect(splitDocument({}, ASSET_KEYS)).toEqual({ asset: {}, inputs: {}, notes: [] });
  });

  describe("with ASSET_KEYS, as Turbine sends it", () => {
    const withVariable = (value: string): SplitOptions => ({
      declaredAssetKeys: ASSET_FIELD_NAMES,
      assetKeysVariable: value,
    });

    it("takes exactly the keys it names as the asset's, and the rest as inputs", () => {
      const document = {
        access_key: ACCESS_KEY_ID,
        region_name: "us-east-1",
        verify_ssl: false,
        function_name: FUNCTION_NAME,
      };

      const split = splitDocument(document, withVariable("access_key, region_name"));

      expect(split).toEqual({
        asset: { access_key: ACCESS_KEY_ID, region_name: "us-east-1" },
        inputs: { verify_ssl: false, function_name: FUNCTION_NAME },
        notes: [],
      });
    });

    it("ignores a named key the asset does not declare, with a note, not a failure", () => {
      const split = splitDocument(
        { region_name: "us-east-1", tenant_color: "blue", function_name: FUNCTION_NAME },
        withVariable("region_name,tenant_color"),
      );

      expect(split).toEqual({
        asset: { region_name: "us-east-1" },
        inputs: { function_name: FUNCTION_NAME },
        notes: [expect.stringContaining('"tenant_color"')],
      });
      expect(typeof split !== "string" && split.notes[0]).toContain("ASSET_KEYS");
    });

    it.each([
      ["empty", ""],
      ["blank", " , "],
    ])("falls back to the manifest's keys when it is %s", (_label, value) => {
      const split = splitDocument(
        { region_name: "us-east-1", function_name: FUNCTION_NAME },
        withVariable(value),
      );

      expect(split).toEqual({
        asset: { region_name: "us-east-1" },
        inputs: { function_name: FUNCTION_NAME },
        notes: [],
      });
    });

    it("still accepts the explicit form", () => {
      const document = { asset: { region_name: "us-east-1" }, inputs: { function_name: "f" } };

      expect(splitDocument(document, withVariable("region_name"))).toEqual({
        ...document,
        notes: [],
      });
    });
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

describe("OutputLine", () => {
  /** What `line.write` wrote, joined. */
  async function written(line: OutputLine): Promise<string> {
    const chunks: Buffer[] = [];
    await line.write(async (bytes) => {
      chunks.push(Buffer.from(bytes));
    });
    return Buffer.concat(chunks).toString("utf8");
  }

  it("writes what JSON.stringify writes, long strings a slice at a time", async () => {
    // Prepare: strings over a slice, escapes and a surrogate pair where a slice ends.
    const long = `${"x".repeat(TEXT_SLICE_CHARACTERS - 1)}😀${'say "hi"\n\u0001€'.repeat(9000)}`;
    const output = { payload: long, nested: { log: long.slice(3), short: "a" }, list: [long, 1] };

    // Act
    const line = new OutputLine(output);

    // Assess
    const expected = `${OUTPUT_PREFIX}${JSON.stringify(output)}\n`;
    expect(line.text()).toBe(expected);
    expect(await written(line)).toBe(expected);
  });

  it("writes any output as JSON.stringify does", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (value) => {
        const line = new OutputLine({ value });

        expect(await written(line)).toBe(`${OUTPUT_PREFIX}${JSON.stringify({ value })}\n`);
      }),
      { numRuns: 50 },
    );
  });

  it("writes a string that looks like its placeholder as the string", async () => {
    const output = {
      a: `"long-string:x:0"${"y".repeat(TEXT_SLICE_CHARACTERS)}`,
      b: "long-string:",
    };

    expect(await written(new OutputLine(output))).toBe(
      `${OUTPUT_PREFIX}${JSON.stringify(output)}\n`,
    );
  });

  it("throws as JSON.stringify does for an output it cannot write", () => {
    expect(() => new OutputLine({ n: 1n })).toThrow(TypeError);
  });
});

describe("formatErrorLine", () => {
  it("prints the flat error object as one line behind ::set-error", () => {
    const error = {
      code: "aws_error" as const,
      message: "multi\nline",
      hint: "check\tthis",
      http_status: 502,
    };

    const line = formatErrorLine(error);

    expect(ERROR_PREFIX).toBe("::set-error ");
    expect(line.startsWith("::set-error {")).toBe(true);
    expect(line.split("\n")).toHaveLength(2);
    expect(JSON.parse(line.slice(ERROR_PREFIX.length))).toEqual(error);
    expect(parseErrorLine(line.trimEnd())).toEqual(error);
  });

  it.each([
    ["a line without the prefix", '{"code":"aws_error"}'],
    ["the prefix with broken JSON", "::set-error {"],
  ])("parseErrorLine reads nothing from %s", (_label, line) => {
    expect(parseErrorLine(line)).toBeUndefined();
  });
});

describe("EXIT_CODES", () => {
  it("uses 0 for success, 1 for failures and 2 for invalid documents", () => {
    expect(EXIT_CODES).toEqual({ success: 0, failure: 1, invalid: 2 });
  });
});

describe("describeKeys", () => {
  it.each([
    [["region"], '"region"'],
    [["a", "b", "c", "d", "e"], '"a", "b", "c", "d", "e"'],
    [["a", "b", "c", "d", "e", "f", "g"], '"a", "b", "c", "d", "e" and 2 more'],
  ])("lists %j as %s", (keys, described) => {
    expect(describeKeys(keys)).toBe(described);
  });

  it("keeps a key of 64 characters whole and cuts a longer one there, with an ellipsis", () => {
    const long = "k".repeat(64);

    expect(describeKeys([long])).toBe(JSON.stringify(long));
    expect(describeKeys([`${long}tail`])).toBe(JSON.stringify(`${long}…`));
  });
});

describe("the contract's edges", () => {
  it("names every key ASSET_KEYS names that the asset does not declare, comma-separated", () => {
    const split = splitDocument(
      { region_name: "us-east-1", colour: "red", size: 3 },
      { declaredAssetKeys: ["region_name"], assetKeysVariable: "region_name,colour,size" },
    );

    expect(split).toMatchObject({
      notes: [expect.stringContaining('ignored "colour", "size": named in ASSET_KEYS')],
    });
  });

  it("reads no error from a line that is not a failure line, even one that holds JSON", () => {
    expect(parseErrorLine(formatOutputLine({ code: "not_found" }).trimEnd())).toBeUndefined();
    expect(parseErrorLine(`${ERROR_PREFIX}{not json`)).toBeUndefined();
  });

  it("accepts a document of up to 32 MiB: a 6 MB payload JSON-escaped, with room to spare", () => {
    expect(MAX_DOCUMENT_BYTES).toBe(32 * 1024 * 1024);
  });
});
