import { describe, expect, it } from "vitest";
import {
  sinceInstant,
  sweepFunctionsInputs,
} from "../../../../src/actions/sweep_functions/inputs.js";
import { partitionRegions } from "../../../../src/actions/sweep_functions/regions.js";
import { InvalidInputError } from "../../../../src/errors.js";
import { parseDocument } from "../../../../src/validation.js";

const NOW = Date.parse("2026-12-02T00:00:00Z");

describe("sinceInstant", () => {
  it.each([
    ["24h", Date.parse("2026-12-01T00:00:00Z")],
    ["7d", Date.parse("2026-11-25T00:00:00Z")],
    ["2026-11-30", Date.parse("2026-11-30T00:00:00Z")],
    ["2026-11-30T08:00:00Z", Date.parse("2026-11-30T08:00:00Z")],
    ["2026-11-30T08:00:00.000+0100", Date.parse("2026-11-30T07:00:00Z")],
  ])("reads %s", (value, expected) => {
    expect(sinceInstant(value, NOW)).toBe(expected);
  });

  it.each(["yesterday", "0h", "24", "7w", "2026-13-45", "2026-11-30 08:00", ""])(
    "refuses %j",
    (value) => {
      expect(sinceInstant(value, NOW)).toBeUndefined();
    },
  );
});

describe("sweep_functions inputs", () => {
  const parse = (inputs: Record<string, unknown>) =>
    parseDocument(sweepFunctionsInputs, inputs, "inputs");

  it("defaults to the exposure check at concurrency 16 in the asset's account", () => {
    expect(parse({})).toMatchObject({
      checks: ["exposure"],
      concurrency: 16,
      include_asset_account: true,
      timeout_seconds: 600,
    });
  });

  it.each([
    [{ regions: "some" }, "regions"],
    [{ regions: [] }, "regions"],
    [{ regions: ["us-east-1", "mars-north-1"] }, "regions"],
    [{ role_arns: ["arn:aws:iam::12:role/x"] }, "role_arns"],
    [{ include_asset_account: false }, "role_arns"],
    [{ checks: ["posture"] }, "checks"],
    [{ checks: [] }, "checks"],
    [{ concurrency: 0 }, "concurrency"],
    [{ concurrency: 65 }, "concurrency"],
    [{ modified_since: "last week" }, "modified_since"],
    [{ timeout_seconds: 0 }, "timeout_seconds"],
    [{ name_contains: "" }, "name_contains"],
    [{ region: "us-east-1" }, "region"],
  ])("refuses %j, naming %s", (inputs, field) => {
    let caught: unknown;
    try {
      parse(inputs);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidInputError);
    expect((caught as InvalidInputError).message).toContain(field);
  });

  it("says which checks are offered when it refuses one", () => {
    expect(() => parse({ checks: ["posture"] })).toThrow(/must be one of exposure, security/);
  });

  it("takes the security check, alone or with the exposure check", () => {
    expect(parse({ checks: ["security"] }).checks).toEqual(["security"]);
    expect(parse({ checks: ["exposure", "security"] }).checks).toEqual(["exposure", "security"]);
  });
});

describe("partitionRegions", () => {
  it("lists the regions the SDK's partition data knows, of that partition only", () => {
    const commercial = partitionRegions("aws");

    expect(commercial).toEqual(
      expect.arrayContaining(["us-east-1", "eu-west-1", "ap-southeast-2"]),
    );
    expect(
      commercial.every((region) => !region.startsWith("cn-") && !region.startsWith("us-gov-")),
    ).toBe(true);
    expect(partitionRegions("aws-cn")).toEqual(["cn-north-1", "cn-northwest-1"]);
    expect(partitionRegions("aws-us-gov")).toEqual(["us-gov-east-1", "us-gov-west-1"]);
  });
});
