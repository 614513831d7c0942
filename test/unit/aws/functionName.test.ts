import { describe, expect, it } from "vitest";
import {
  MAX_FUNCTION_NAME_LENGTH,
  parseFunctionName,
  QUALIFIER_PATTERN,
} from "../../../src/aws/functionName.js";

describe("parseFunctionName", () => {
  it.each([
    ["a name", "enrich-indicator", { name: "enrich-indicator" }],
    ["a name with underscores and digits", "Triage_v2", { name: "Triage_v2" }],
    ["name:alias", "enrich-indicator:live", { name: "enrich-indicator", qualifier: "live" }],
    ["name:version", "enrich-indicator:17", { name: "enrich-indicator", qualifier: "17" }],
    [
      "name:$LATEST",
      "enrich-indicator:$LATEST",
      { name: "enrich-indicator", qualifier: "$LATEST" },
    ],
    [
      "name:$LATEST.PUBLISHED",
      "enrich-indicator:$LATEST.PUBLISHED",
      { name: "enrich-indicator", qualifier: "$LATEST.PUBLISHED" },
    ],
    [
      "a partial ARN",
      "123456789012:function:enrich-indicator",
      { name: "enrich-indicator", accountId: "123456789012" },
    ],
    [
      "a partial ARN with a qualifier",
      "123456789012:function:enrich-indicator:live",
      { name: "enrich-indicator", accountId: "123456789012", qualifier: "live" },
    ],
    [
      "a full aws ARN",
      "arn:aws:lambda:us-east-1:123456789012:function:enrich-indicator",
      {
        name: "enrich-indicator",
        accountId: "123456789012",
        region: "us-east-1",
        partition: "aws",
      },
    ],
    [
      "a full aws ARN with a version",
      "arn:aws:lambda:eu-west-1:123456789012:function:triage:3",
      {
        name: "triage",
        qualifier: "3",
        accountId: "123456789012",
        region: "eu-west-1",
        partition: "aws",
      },
    ],
    [
      "a full aws-cn ARN",
      "arn:aws-cn:lambda:cn-north-1:123456789012:function:triage",
      { name: "triage", accountId: "123456789012", region: "cn-north-1", partition: "aws-cn" },
    ],
    [
      "a full aws-us-gov ARN with $LATEST",
      "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:triage:$LATEST",
      {
        name: "triage",
        qualifier: "$LATEST",
        accountId: "123456789012",
        region: "us-gov-west-1",
        partition: "aws-us-gov",
      },
    ],
    [
      "a full aws-iso-b ARN",
      "arn:aws-iso-b:lambda:us-isob-east-1:123456789012:function:triage",
      {
        name: "triage",
        accountId: "123456789012",
        region: "us-isob-east-1",
        partition: "aws-iso-b",
      },
    ],
    [
      "a full aws-eusc ARN",
      "arn:aws-eusc:lambda:eusc-de-east-1:123456789012:function:triage:live",
      {
        name: "triage",
        qualifier: "live",
        accountId: "123456789012",
        region: "eusc-de-east-1",
        partition: "aws-eusc",
      },
    ],
  ])("takes apart %s", (_label, value, expected) => {
    expect(parseFunctionName(value)).toEqual(expected);
  });

  it("accepts the longest name and qualifier in the longest partition", () => {
    const name = "n".repeat(64);
    const qualifier = "q".repeat(128);
    const arn = `arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:${name}:${qualifier}`;

    const reference = parseFunctionName(arn);

    expect(arn.length).toBeLessThanOrEqual(MAX_FUNCTION_NAME_LENGTH);
    expect(reference).toMatchObject({ name, qualifier, partition: "aws-us-gov" });
  });

  it("refuses anything over 256 characters", () => {
    const arnOfLength = (length: number) =>
      `arn:aws:lambda:${"x".repeat(length - 46)}-1:123456789012:function:triage`;

    expect(arnOfLength(256)).toHaveLength(MAX_FUNCTION_NAME_LENGTH);
    expect(parseFunctionName(arnOfLength(256))).toMatchObject({ name: "triage" });
    expect(parseFunctionName(arnOfLength(257))).toBeUndefined();
  });

  it.each([
    ["empty", ""],
    ["a 65-character name", "n".repeat(65)],
    ["a space", "enrich indicator"],
    ["a dot", "enrich.indicator"],
    ["an empty qualifier", "triage:"],
    ["two qualifiers", "triage:live:3"],
    ["a 129-character qualifier", `triage:${"q".repeat(129)}`],
    ["a misspelt $LATEST", "triage:$latest"],
    ["a $LATEST suffix Lambda does not know", "triage:$LATEST.DRAFT"],
    ["an 11-digit account", "12345678901:function:triage"],
    ["a layer ARN", "arn:aws:lambda:us-east-1:123456789012:layer:triage"],
    ["another service's ARN", "arn:aws:s3:::triage"],
    ["an unknown partition", "arn:aws-mars:lambda:us-east-1:123456789012:function:triage"],
    ["no account in a full ARN", "arn:aws:lambda:us-east-1::function:triage"],
    ["a trailing space", "triage "],
  ])("refuses %s", (_label, value) => {
    expect(parseFunctionName(value)).toBeUndefined();
  });
});

describe("QUALIFIER_PATTERN", () => {
  it.each(["$LATEST", "$LATEST.PUBLISHED", "12", "live", "blue_green-2", "q".repeat(128)])(
    "accepts %s",
    (qualifier) => {
      expect(QUALIFIER_PATTERN.test(qualifier)).toBe(true);
    },
  );

  it.each(["", "$LATEST.", "live:1", "with space", "q".repeat(129), "$PREVIOUS"])(
    "refuses %j",
    (qualifier) => {
      expect(QUALIFIER_PATTERN.test(qualifier)).toBe(false);
    },
  );
});
