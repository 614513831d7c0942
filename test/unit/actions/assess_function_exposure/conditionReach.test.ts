import { describe, expect, it } from "vitest";
import {
  describeReach,
  NARROWING_KEY_NAMES,
  narrowingConditions,
  type Reach,
  reachOf,
} from "../../../../src/actions/assess_function_exposure/conditionReach.js";

const OWN = "123456789012";
const OTHER = "210987654321";
const THIRD = "333333333333";

/** The reach of one key under one operator, as narrowingConditions judges it. */
function reach(operator: string, key: string, value: unknown) {
  return narrowingConditions({ [operator]: { [key]: value } }, OWN);
}

const ANY: Reach = { kind: "any" };
const OWN_ACCOUNT: Reach = { kind: "own" };
const account = (...accounts: string[]): Reach => ({ kind: "account", accounts });
const organization = (...ids: string[]): Reach => ({ kind: "organization", ids });
const named = (what: string): Reach => ({ kind: "named", what });

describe("narrowingConditions", () => {
  it.each<[string, string, unknown, Reach]>([
    ["own account", "aws:SourceAccount", OWN, OWN_ACCOUNT],
    ["another account", "aws:SourceAccount", OTHER, account(OTHER)],
    ["SourceOwner", "aws:SourceOwner", OTHER, account(OTHER)],
    ["PrincipalAccount", "aws:PrincipalAccount", OWN, OWN_ACCOUNT],
    ["an account wildcard", "aws:SourceAccount", "2109*", ANY],
    ["an account ?", "aws:SourceAccount", "21098765432?", ANY],
    ["an ARN of the own account", "aws:SourceArn", `arn:aws:sqs:us-east-1:${OWN}:q`, OWN_ACCOUNT],
    [
      "an ARN of another account",
      "aws:SourceArn",
      `arn:aws:sqs:us-east-1:${OTHER}:q`,
      account(OTHER),
    ],
    [
      "a principal ARN of another account",
      "aws:PrincipalArn",
      `arn:aws:iam::${OTHER}:role/r`,
      account(OTHER),
    ],
    ["an ARN whose account is *", "aws:SourceArn", "arn:aws:sqs:us-east-1:*:q", ANY],
    [
      "a bucket ARN (no account)",
      "aws:SourceArn",
      "arn:aws:s3:::incoming",
      named("arn:aws:s3:::incoming"),
    ],
    ["a bucket wildcard", "aws:SourceArn", "arn:aws:s3:::*", ANY],
    [
      "no account, a wildcard in the region but not the resource",
      "aws:SourceArn",
      "arn:aws:s3:*::bucket",
      named("arn:aws:s3:*::bucket"),
    ],
    ["a bucket prefix wildcard", "aws:SourceArn", "arn:aws:s3:::in?oming", ANY],
    ["the ARN *", "aws:SourceArn", "*", ANY],
    ["a short text with a wildcard", "aws:SourceArn", "arn:*", ANY],
    ["a text that is not an ARN", "aws:SourceArn", "queue", named("queue")],
    [
      "six parts that are not an ARN",
      "aws:SourceArn",
      `nra:aws:sqs:us-east-1:${OTHER}:q`,
      named(`nra:aws:sqs:us-east-1:${OTHER}:q`),
    ],
    [
      "five parts",
      "aws:SourceArn",
      `arn:aws:sqs:us-east-1:${OTHER}`,
      named(`arn:aws:sqs:us-east-1:${OTHER}`),
    ],
    ["an organization", "aws:PrincipalOrgID", "o-abc123", organization("o-abc123")],
    ["SourceOrgID", "aws:SourceOrgID", "o-abc123", organization("o-abc123")],
    [
      "an organization path",
      "aws:PrincipalOrgPaths",
      "o-abc123/r-ab12/ou-ab12-11111111/",
      organization("o-abc123"),
    ],
    ["SourceOrgPaths", "aws:SourceOrgPaths", "o-abc123/*", organization("o-abc123")],
    ["an organization wildcard", "aws:PrincipalOrgID", "o-*", ANY],
    ["an organization id with more after it", "aws:PrincipalOrgID", "o-abc123x!", ANY],
    ["a text before the organization", "aws:PrincipalOrgID", "x/o-abc123", ANY],
    ["a VPC", "aws:SourceVpc", "vpc-0a1b", named("network vpc-0a1b")],
    ["a VPC endpoint", "aws:SourceVpce", "vpce-0a1b", named("network vpce-0a1b")],
    ["a network", "aws:SourceIp", "203.0.113.0/24", named("network 203.0.113.0/24")],
    ["every address", "aws:SourceIp", "0.0.0.0/0", ANY],
    ["a VPC wildcard", "aws:SourceVpc", "vpc-*", ANY],
  ])("%s", (_name, key, value, expected) => {
    expect(reach("StringEquals", key, value)).toEqual([{ key, reach: expected }]);
  });

  it("reads the key whatever its case, and names it as written", () => {
    expect(reach("StringEquals", "AWS:SOURCEACCOUNT", OTHER)).toEqual([
      { key: "AWS:SOURCEACCOUNT", reach: { kind: "account", accounts: [OTHER] } },
    ]);
  });

  it("judges an account as another when the own account is unknown", () => {
    expect(narrowingConditions({ StringEquals: { "aws:SourceAccount": OWN } }, undefined)).toEqual([
      { key: "aws:SourceAccount", reach: { kind: "account", accounts: [OWN] } },
    ]);
  });

  it.each([
    "StringNotEquals",
    "ArnNotLike",
    "stringnotlike",
    "StringEqualsIfExists",
    "ArnLikeIfExists",
    "Null",
    "null",
  ])("%s narrows nothing", (operator) => {
    expect(reach(operator, "aws:SourceAccount", OWN)).toEqual([
      { key: "aws:SourceAccount", reach: { kind: "any" } },
    ]);
  });

  it.each(["Nullish", "IfExistsStringEquals"])(
    "%s narrows: only Null itself and a final IfExists do not",
    (operator) => {
      expect(reach(operator, "aws:SourceAccount", OWN)).toEqual([
        { key: "aws:SourceAccount", reach: { kind: "own" } },
      ]);
    },
  );

  it("takes the broadest of a key's values: they are alternatives", () => {
    expect(reach("StringEquals", "aws:SourceAccount", [OWN, OTHER, THIRD, OTHER])).toEqual([
      { key: "aws:SourceAccount", reach: { kind: "account", accounts: [OTHER, THIRD] } },
    ]);
    expect(reach("StringEquals", "aws:SourceArn", ["arn:aws:s3:::a", "arn:aws:s3:::*"])).toEqual([
      { key: "aws:SourceArn", reach: { kind: "any" } },
    ]);
    expect(reach("StringEquals", "aws:PrincipalOrgID", ["o-aaa1", "o-bbb2", "o-aaa1"])).toEqual([
      { key: "aws:PrincipalOrgID", reach: { kind: "organization", ids: ["o-aaa1", "o-bbb2"] } },
    ]);
    expect(reach("StringEquals", "aws:SourceArn", ["arn:aws:s3:::a", "arn:aws:s3:::b"])).toEqual([
      { key: "aws:SourceArn", reach: named("arn:aws:s3:::a") },
    ]);
    expect(reach("StringEquals", "aws:SourceAccount", [OWN, OWN])).toEqual([
      { key: "aws:SourceAccount", reach: { kind: "own" } },
    ]);
    expect(
      reach("StringEquals", "aws:SourceArn", ["arn:aws:s3:::a", `arn:aws:sqs:us-east-1:${OWN}:q`]),
    ).toEqual([{ key: "aws:SourceArn", reach: { kind: "named", what: "arn:aws:s3:::a" } }]);
  });

  it("an empty list of values narrows nothing", () => {
    expect(reach("StringEquals", "aws:SourceAccount", [])).toEqual([
      { key: "aws:SourceAccount", reach: { kind: "any" } },
    ]);
  });

  it("reads a value that is not text as its text", () => {
    expect(reach("StringEquals", "aws:SourceAccount", 210987654321)).toEqual([
      { key: "aws:SourceAccount", reach: { kind: "account", accounts: [OTHER] } },
    ]);
  });

  it("skips keys that narrow nothing and blocks that are not objects", () => {
    expect(
      narrowingConditions(
        {
          Bool: { "aws:SecureTransport": "true" },
          StringEquals: null,
          ArnLike: "arn:aws:s3:::x",
          StringLike: { "lambda:FunctionUrlAuthType": "NONE", "aws:SourceAccount": OWN },
        },
        OWN,
      ),
    ).toEqual([{ key: "aws:SourceAccount", reach: { kind: "own" } }]);
  });

  it("lists each narrowing condition of each operator", () => {
    expect(
      narrowingConditions(
        {
          StringEquals: { "aws:SourceAccount": OWN },
          ArnLike: { "aws:SourceArn": "arn:aws:s3:::incoming" },
        },
        OWN,
      ),
    ).toEqual([
      { key: "aws:SourceAccount", reach: { kind: "own" } },
      { key: "aws:SourceArn", reach: { kind: "named", what: "arn:aws:s3:::incoming" } },
    ]);
  });

  it("knows the twelve narrowing keys, lower-cased", () => {
    expect([...NARROWING_KEY_NAMES].sort()).toEqual([
      "aws:principalaccount",
      "aws:principalarn",
      "aws:principalorgid",
      "aws:principalorgpaths",
      "aws:sourceaccount",
      "aws:sourcearn",
      "aws:sourceip",
      "aws:sourceorgid",
      "aws:sourceorgpaths",
      "aws:sourceowner",
      "aws:sourcevpc",
      "aws:sourcevpce",
    ]);
  });
});

describe("reachOf", () => {
  const own: Reach = { kind: "own" };
  const named: Reach = { kind: "named", what: "arn:aws:s3:::incoming" };
  const organization: Reach = { kind: "organization", ids: ["o-abc123"] };
  const account: Reach = { kind: "account", accounts: [OTHER] };
  const any: Reach = { kind: "any" };
  const of = (...reaches: Reach[]) => reachOf(reaches.map((r) => ({ key: "k", reach: r })));

  it("is any without conditions", () => {
    expect(of()).toEqual(any);
  });

  it("takes the narrowest of the keys: they all apply", () => {
    expect(of(any, account)).toEqual(account);
    expect(of(account, organization)).toEqual(organization);
    expect(of(organization, named)).toEqual(named);
    expect(of(named, own)).toEqual(own);
    expect(of(own, any, account, named, organization)).toEqual(own);
    expect(of(account, any)).toEqual(account);
  });

  it("keeps the first of two equally narrow keys", () => {
    const first: Reach = { kind: "account", accounts: [OTHER] };
    const second: Reach = { kind: "account", accounts: [THIRD] };
    expect(of(first, second)).toBe(first);
  });
});

describe("describeReach", () => {
  it.each<[Reach, string]>([
    [{ kind: "any" }, "any account"],
    [{ kind: "own" }, "the function's own account"],
    [{ kind: "account", accounts: [OTHER, THIRD] }, `account ${OTHER}, ${THIRD}`],
    [{ kind: "organization", ids: ["o-aaa1", "o-bbb2"] }, "organization o-aaa1, o-bbb2"],
    [{ kind: "named", what: "network vpc-0a1b" }, "network vpc-0a1b"],
  ])("%j: %s", (given, expected) => {
    expect(describeReach(given)).toBe(expected);
  });
});
