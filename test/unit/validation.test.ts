import { describe, expect, it } from "vitest";
import { z } from "zod";
import { InvalidInputError } from "../../src/errors.js";
import { parseDocument } from "../../src/validation.js";
import { thrownConnectorError } from "../fixtures.js";

const schema = z.strictObject({
  name: z.string(),
  token: z.string().regex(/^tok_[a-z]+$/, "must look like tok_abc"),
  limits: z.strictObject({ max: z.number().max(10, "must be at most 10") }).optional(),
  retries: z.number().default(2),
});

describe("parseDocument", () => {
  it("returns the parsed document with defaults", () => {
    expect(parseDocument(schema, { name: "a", token: "tok_abc" }, "inputs")).toEqual({
      name: "a",
      token: "tok_abc",
      retries: 2,
    });
  });

  it("says a missing field is required", () => {
    const error = thrownConnectorError(() => parseDocument(schema, { token: "tok_a" }, "inputs"));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.code).toBe("invalid_input");
    expect(error.message).toBe("Invalid action inputs: name: is required");
    expect(error.field).toBe("name");
  });

  describe("says what arrived", () => {
    const counted = z.strictObject({
      max_items: z.number({ error: "must be a whole number" }).int("must be a whole number"),
      verify_ssl: z.boolean().optional(),
      note: z.number({ error: "must be a number" }).optional(),
    });

    it.each([
      ["a missing field with its own wording", {}, "max_items: is required"],
      [
        "a number spelled as a string",
        { max_items: "30" },
        'max_items: must be a whole number, got the string "30"',
      ],
      [
        "a boolean for a number",
        { max_items: true },
        "max_items: must be a whole number, got the boolean true",
      ],
      ["a list", { max_items: [1] }, "max_items: must be a whole number, got a list"],
      ["an object", { max_items: { n: 1 } }, "max_items: must be a whole number, got an object"],
      ["null", { max_items: null }, "max_items: must be a whole number, got null"],
      [
        "a number for a boolean",
        { max_items: 1, verify_ssl: 0 },
        "verify_ssl: must be a boolean, got the number 0",
      ],
      [
        "a word, by its length only",
        { max_items: 1, note: "hunter2" },
        "note: must be a number, got a string of 7 character(s)",
      ],
    ])("%s", (_, document, expected) => {
      const error = thrownConnectorError(() => parseDocument(counted, document, "inputs"));

      expect(error.message).toBe(`Invalid action inputs: ${expected}`);
    });

    it("never quotes an asset value, whatever its type", () => {
      const error = thrownConnectorError(() =>
        parseDocument(counted, { max_items: 987654321, note: "31" }, "asset"),
      );

      expect(error.message).toBe(
        "Invalid asset: note: must be a number, got a string of 2 character(s)",
      );
      expect(
        thrownConnectorError(() => parseDocument(counted, { max_items: "4242" }, "asset")).message,
      ).toBe("Invalid asset: max_items: must be a whole number, got a string of 4 character(s)");
    });
  });

  it("suggests the declared field an unknown one was probably meant to be", () => {
    const error = thrownConnectorError(() =>
      parseDocument(schema, { name: "a", token: "tok_a", retires: 3 }, "inputs"),
    );

    expect(error.message).toContain(
      'unknown field "retires" (not part of the action\'s inputs; did you mean "retries"?)',
    );
    expect(error.field).toBe("retires");
  });

  it("suggests nothing for a key unlike every declared field", () => {
    const error = thrownConnectorError(() =>
      parseDocument(schema, { name: "a", token: "tok_a", colour: 3 }, "inputs"),
    );

    expect(error.message).toContain("check the spelling");
    expect(error.message).not.toContain("did you mean");
  });

  it("names nested fields with dots, unknown ones too", () => {
    const error = thrownConnectorError(() =>
      parseDocument(schema, { name: "a", token: "tok_a", limits: { max: 11, min: 1 } }, "asset"),
    );

    expect(error.code).toBe("invalid_asset");
    expect(error.message).toContain("limits.max: must be at most 10");
    expect(error.message).toContain('unknown field "limits.min" (not part of the asset');
    expect(error.field).toBe("limits.max");
  });

  it("keeps input values out of the message", () => {
    const error = thrownConnectorError(() =>
      parseDocument(schema, { name: "a", token: "sk_live_Zx81Qv" }, "inputs"),
    );

    expect(error.message).toBe("Invalid action inputs: token: must look like tok_abc");
    expect(JSON.stringify(error.toErrorLine())).not.toContain("sk_live_Zx81Qv");
  });

  it("lists a few unknown keys and counts the rest, so the error line stays small", () => {
    const extra = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, i]));

    const error = thrownConnectorError(() =>
      parseDocument(schema, { name: "a", token: "tok_a", ...extra }, "inputs"),
    );

    expect(error.message).toContain('"k0", "k1", "k2", "k3", "k4" and 199995 more');
    expect(error.message.length).toBeLessThan(500);
    expect(error.field).toBe("k0");
  });

  it("names the field that is nested too deeply to validate", () => {
    const deep = JSON.parse(`${"[".repeat(100_000)}${"]".repeat(100_000)}`);
    const jsonSchema = z.strictObject({ name: z.string(), payload: z.json() });

    const error = thrownConnectorError(() =>
      parseDocument(jsonSchema, { name: "a", payload: deep }, "inputs"),
    );

    expect(error).toMatchObject({ code: "invalid_input", field: "payload" });
    expect(error.message).toContain("payload is nested too deeply");
  });

  it("says what was expected where zod only says 'Invalid input'", () => {
    const jsonSchema = z.strictObject({ payload: z.json() });

    const error = thrownConnectorError(() =>
      parseDocument(jsonSchema, { payload: { n: Number.POSITIVE_INFINITY } }, "inputs"),
    );

    expect(error.message).not.toMatch(/Invalid input(?!s)/);
    expect(error.field).toBe("payload");
    expect(error.message).toContain("payload: is not a JSON value");
  });

  it("names an unknown empty key as the field, quoted", () => {
    const error = thrownConnectorError(() =>
      parseDocument(schema, { name: "a", token: "tok_a", "": 1 }, "inputs"),
    );

    expect(error.field).toBe('""');
  });

  it.each([
    [
      "asset",
      "invalid_asset",
      "Invalid asset: ",
      "Edit the asset in Turbine: correct the field named above, then run the action again.",
    ],
    [
      "inputs",
      "invalid_input",
      "Invalid action inputs: ",
      "Correct the action input named above in the playbook, then run the action again.",
    ],
  ] as const)(
    "words a failure of the %s as such, with its code and hint",
    (document, code, prefix, hint) => {
      const error = thrownConnectorError(() => parseDocument(schema, { token: "tok_a" }, document));

      expect(error).toMatchObject({ code, hint, message: `${prefix}name: is required` });
    },
  );

  it("shows ten problems and counts the rest", () => {
    const many = z.strictObject(
      Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}`, z.string()])),
    );

    const error = thrownConnectorError(() => parseDocument(many, {}, "inputs"));

    expect(error.message).toBe(
      `Invalid action inputs: ${Array.from({ length: 10 }, (_, i) => `f${i}: is required`).join("; ")}; and 2 more problem(s)`,
    );
  });

  it("shows every problem when there are ten", () => {
    const ten = z.strictObject(
      Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}`, z.string()])),
    );

    const error = thrownConnectorError(() => parseDocument(ten, {}, "inputs"));

    expect(error.message).not.toContain("more problem");
  });

  it("names no field when the document itself is wrong", () => {
    const error = thrownConnectorError(() => parseDocument(schema, "name=a", "inputs"));

    expect(error.message).toBe(
      "Invalid action inputs: must be an object, got a string of 6 character(s)",
    );
    expect(error.field).toBeUndefined();
  });

  it.each([
    [
      z.strictObject({ tags: z.array(z.string()) }),
      { tags: "a" },
      "tags: must be a list, got a string of 1 character(s)",
    ],
    [
      z.strictObject({ env: z.record(z.string(), z.string()) }),
      { env: 1 },
      "env: must be an object, got the number 1",
    ],
    [z.strictObject({ name: z.string() }), { name: 1 }, "name: must be a string, got the number 1"],
    [
      z.strictObject({ size: z.number() }),
      { size: "1" },
      'size: must be a number, got the string "1"',
    ],
    [
      z.strictObject({ kind: z.literal("zip") }),
      { kind: "image" },
      "kind: is not valid (invalid value)",
    ],
  ])("says what was expected of %#", (strict, value, says) => {
    const error = thrownConnectorError(() => parseDocument(strict, value, "inputs"));

    expect(error.message).toBe(`Invalid action inputs: ${says}`);
  });

  it("names an unknown key at the top level without a leading dot", () => {
    const error = thrownConnectorError(() =>
      parseDocument(schema, { name: "a", token: "tok_a", colour: "red" }, "asset"),
    );

    expect(error.message).toBe(
      'Invalid asset: unknown field "colour" (not part of the asset; check the spelling)',
    );
    expect(error.field).toBe("colour");
  });

  it("lets an error that is not about depth through unchanged", () => {
    const failing = z.string().transform(() => {
      throw new TypeError("not a validation problem");
    });

    expect(() => parseDocument(failing, "x", "inputs")).toThrow(TypeError);
  });

  it.each([
    ["asset", "invalid_asset", "Invalid asset: "],
    ["inputs", "invalid_input", "Invalid action inputs: "],
  ] as const)(
    "names the deepest field of the %s, not the first, when nesting is too deep",
    (document, code, prefix) => {
      const deep = JSON.parse(`${"[".repeat(100_000)}${"]".repeat(100_000)}`);
      const jsonSchema = z.strictObject({ shallow: z.json(), payload: z.json() });

      const error = thrownConnectorError(() =>
        parseDocument(jsonSchema, { shallow: [[1]], payload: deep }, document),
      );

      expect(error).toMatchObject({ code, field: "payload" });
      expect(error.message).toBe(`${prefix}payload is nested too deeply to validate`);
      expect(error.hint).toContain("Flatten the value, or send it as a JSON-text string");
    },
  );

  it("names an unknown key two levels down by its whole dotted path", () => {
    const nested = z.strictObject({ outer: z.strictObject({ inner: z.strictObject({}) }) });

    const error = thrownConnectorError(() =>
      parseDocument(nested, { outer: { inner: { stray: 1 } } }, "inputs"),
    );

    expect(error.field).toBe("outer.inner.stray");
  });
});

describe("parseDocument at the edges of its wording", () => {
  const counted = z.strictObject({
    max_items: z.number({ error: "must be a whole number" }).int("must be a whole number"),
  });
  const wrong = (raw: unknown) =>
    thrownConnectorError(() => parseDocument(counted, raw, "inputs")).message;

  it.each([
    ["1.25", 'max_items: must be a whole number, got the string "1.25"'],
    ["-3", 'max_items: must be a whole number, got the string "-3"'],
    ["30 apples", "max_items: must be a whole number, got a string of 9 character(s)"],
    ["1.x", "max_items: must be a whole number, got a string of 3 character(s)"],
  ])("quotes only a string that spells a number or a keyword whole: %j", (value, says) => {
    expect(wrong({ max_items: value })).toBe(`Invalid action inputs: ${says}`);
  });

  it("suggests a field only for one unknown key at the top level", () => {
    expect(wrong({ max_item: 3 })).toContain('did you mean "max_items"?');
    expect(wrong({ max_items: 3, max_item: 3, max_itemz: 3 })).toContain("check the spelling");
    expect(
      thrownConnectorError(() =>
        parseDocument(schema, { name: "a", token: "tok_a", limits: { nme: 1 } }, "inputs"),
      ).message,
    ).toContain("check the spelling");
  });
});
