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
});
