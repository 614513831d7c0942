import { describe, expect, it } from "vitest";
import {
  type GatheredExposure,
  judgeExposure,
  judgeStatement,
} from "../../../../src/actions/assess_function_exposure/exposure.js";
import type { PolicyStatement } from "../../../../src/actions/policyStatements.js";
import { ACCOUNT_ID, FUNCTION_ARN } from "../../../fixtures.js";

const OTHER_ACCOUNT = "210987654321";
const BUCKET_ARN = "arn:aws:s3:::incoming-artifacts";

/** A named statement, one row of a table. */
type Case = [name: string, granted: PolicyStatement];

/** One statement of the function's policy, as get_policy parses it. */
function statement(
  principal: PolicyStatement["principal"],
  conditions: PolicyStatement["conditions"] = {},
  effect = "Allow",
): PolicyStatement {
  return {
    sid: "grant",
    effect,
    principal,
    action: ["lambda:InvokeFunction"],
    resource: [FUNCTION_ARN],
    conditions,
  };
}

describe("judgeStatement", () => {
  describe.each([
    {
      verdict: "high: anyone can invoke",
      expected: { severity: "high", who: "anyone" },
      cases: [
        ["principal *", statement("*")],
        ['{"AWS": "*"}', statement({ AWS: "*" })],
        ["* among the AWS principals", statement({ AWS: [ACCOUNT_ID, "*"] })],
        [
          "a condition that narrows nothing",
          statement("*", { Bool: { "aws:SecureTransport": "true" } }),
        ],
        [
          "FunctionUrlAuthType NONE",
          statement("*", { StringEquals: { "lambda:FunctionUrlAuthType": "NONE" } }),
        ],
      ] satisfies Case[],
    },
    {
      verdict: "medium: another account",
      expected: { severity: "medium", who: `account ${OTHER_ACCOUNT}` },
      cases: [
        ["by account id", statement({ AWS: OTHER_ACCOUNT })],
        ["by root ARN", statement({ AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` })],
        [
          "by role ARN",
          statement({ AWS: `arn:aws:iam::${OTHER_ACCOUNT}:role/partner-integration` }),
        ],
        ["beside the function's own account", statement({ AWS: [ACCOUNT_ID, OTHER_ACCOUNT] })],
      ] satisfies Case[],
    },
    {
      verdict: "medium: a service without a source condition (confused deputy)",
      expected: { severity: "medium", who: "service s3.amazonaws.com" },
      cases: [
        ["no condition at all", statement({ Service: "s3.amazonaws.com" })],
        [
          "a condition that narrows nothing",
          statement({ Service: "s3.amazonaws.com" }, { Bool: { "aws:SecureTransport": "true" } }),
        ],
      ] satisfies Case[],
    },
  ])("$verdict", ({ expected, cases }) => {
    it.each(cases)("%s", (_case, granted) => {
      expect(judgeStatement(granted, ACCOUNT_ID)).toMatchObject(expected);
    });
  });

  it.each([
    ["aws:SourceArn", statement("*", { ArnLike: { "aws:SourceArn": BUCKET_ARN } })],
    ["aws:SourceAccount", statement("*", { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } })],
    [
      "aws:PrincipalOrgID",
      statement({ AWS: "*" }, { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } }),
    ],
    ["AWS:SourceArn", statement("*", { ArnLike: { "AWS:SourceArn": BUCKET_ARN } })],
    [
      "aws:principalorgid",
      statement("*", { StringEquals: { "aws:principalorgid": "o-a1b2c3d4e5" } }),
    ],
  ])("principal * narrowed by %s is info only, naming the key as written", (key, granted) => {
    expect(judgeStatement(granted, ACCOUNT_ID)).toMatchObject({
      severity: "info",
      who: `anyone matching ${key}`,
    });
  });

  it.each([
    ["lambda:FunctionUrlAuthType", "AWS_IAM"],
    ["Lambda:FunctionUrlAuthType", ["AWS_IAM"]],
  ])("principal * behind a URL with %s %j is info only: callers must sign", (key, value) => {
    const granted = statement("*", { StringEquals: { [key]: value } });

    expect(judgeStatement(granted, ACCOUNT_ID)).toMatchObject({ severity: "info" });
  });

  it.each([
    ["lambda:FunctionUrlAuthType", "NONE"],
    ["LAMBDA:FUNCTIONURLAUTHTYPE", ["NONE"]],
  ])(
    "principal * behind a URL with %s %j says anyone on the internet can call it",
    (key, value) => {
      const granted = statement("*", { StringEquals: { [key]: value } });

      expect(judgeStatement(granted, ACCOUNT_ID)).toMatchObject({
        severity: "high",
        why: expect.stringContaining("anyone on the internet"),
      });
    },
  );

  it.each([
    ["the function's own account by id", statement({ AWS: ACCOUNT_ID })],
    ["the function's own account by ARN", statement({ AWS: `arn:aws:iam::${ACCOUNT_ID}:root` })],
    [
      "a role of the function's own account",
      statement({ AWS: `arn:aws:iam::${ACCOUNT_ID}:role/soc` }),
    ],
    [
      "a service tied to its source by aws:SourceArn",
      statement({ Service: "s3.amazonaws.com" }, { ArnLike: { "aws:SourceArn": BUCKET_ARN } }),
    ],
    [
      "a service tied to its source by AWS:SourceAccount",
      statement(
        { Service: "sns.amazonaws.com" },
        { StringEquals: { "AWS:SourceAccount": ACCOUNT_ID } },
      ),
    ],
    ["a Deny of principal *", statement("*", {}, "Deny")],
    ["a Deny of another account", statement({ AWS: OTHER_ACCOUNT }, {}, "Deny")],
    ["a Deny of a service", statement({ Service: "s3.amazonaws.com" }, {}, "Deny")],
  ])("%s is not a finding", (_case, granted) => {
    expect(judgeStatement(granted, ACCOUNT_ID)).toBeUndefined();
  });

  it("names every foreign account and every unnarrowed service it finds", () => {
    expect(
      judgeStatement(statement({ AWS: [OTHER_ACCOUNT, "111122223333"] }), ACCOUNT_ID)?.who,
    ).toBe(`account ${OTHER_ACCOUNT}, 111122223333`);
    expect(
      judgeStatement(
        statement({ Service: ["sns.amazonaws.com", "events.amazonaws.com"] }),
        ACCOUNT_ID,
      )?.who,
    ).toBe("service sns.amazonaws.com, events.amazonaws.com");
  });
});

describe("judgeStatement, a public URL statement and the URL it serves", () => {
  const urlStatement = statement("*", {
    StringEquals: { "lambda:FunctionUrlAuthType": "NONE" },
  });

  it.each([
    [true, "high"],
    [undefined, "high"],
    [false, "info"],
  ] as const)("with a URL of auth type NONE open: %s, is %s", (urlOpen, severity) => {
    expect(judgeStatement(urlStatement, ACCOUNT_ID, urlOpen)?.severity).toBe(severity);
  });

  it("calls a statement without an open URL dormant, and says to remove it", () => {
    expect(judgeStatement(urlStatement, ACCOUNT_ID, false)?.why).toContain("dormant");
  });
});

describe("judgeStatement, word for word and at the edges", () => {
  const NARROWING = [
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOwner",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceIp",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
  ];

  it.each(NARROWING)("counts principal * narrowed by %s as narrowed, naming the key", (key) => {
    expect(judgeStatement(statement("*", { StringEquals: { [key]: "x" } }), ACCOUNT_ID)).toEqual({
      severity: "info",
      who: `anyone matching ${key}`,
      why: `Principal * is narrowed by the condition on ${key}; check that the value names only trusted sources.`,
    });
  });

  it("names every narrowing key, in the order written", () => {
    const narrowed = statement("*", {
      StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
      ArnLike: { "aws:SourceArn": BUCKET_ARN },
    });

    expect(judgeStatement(narrowed, ACCOUNT_ID)?.who).toBe(
      "anyone matching aws:SourceAccount, aws:SourceArn",
    );
  });

  it.each([
    [
      "principal * without a condition",
      statement("*"),
      undefined,
      {
        severity: "high",
        who: "anyone",
        why: "Principal * without a condition that narrows it: any AWS account can invoke the function.",
      },
    ],
    [
      "principal * behind a URL of auth type NONE",
      statement("*", { StringEquals: { "lambda:FunctionUrlAuthType": "NONE" } }),
      true,
      {
        severity: "high",
        who: "anyone",
        why: "Principal * with FunctionUrlAuthType NONE: anyone on the internet can call the function URL.",
      },
    ],
    [
      "principal * behind a URL of auth type AWS_IAM",
      statement("*", { StringEquals: { "lambda:FunctionUrlAuthType": "AWS_IAM" } }),
      undefined,
      {
        severity: "info",
        who: "any IAM principal allowed by its own policy, through the function URL",
        why: "The URL requires signed requests (AWS_IAM), so only callers with IAM permission can use it.",
      },
    ],
    [
      "a public URL statement without an open URL",
      statement("*", { StringEquals: { "lambda:FunctionUrlAuthType": "NONE" } }),
      false,
      {
        severity: "info",
        who: "anyone, through the function URL, were its auth type NONE again",
        why: "The statement grants public URL access, but the URL now requires AWS_IAM or is gone: it is dormant. Remove it so that reopening the URL does not expose the function.",
      },
    ],
    [
      "principal * without a URL condition, while no URL is open",
      statement("*"),
      false,
      {
        severity: "high",
        who: "anyone",
        why: "Principal * without a condition that narrows it: any AWS account can invoke the function.",
      },
    ],
    [
      "another account",
      statement({ AWS: OTHER_ACCOUNT }),
      undefined,
      {
        severity: "medium",
        who: `account ${OTHER_ACCOUNT}`,
        why: "Another AWS account may invoke the function; check that it is trusted.",
      },
    ],
    [
      "a service without a source condition",
      statement({ Service: "s3.amazonaws.com" }),
      undefined,
      {
        severity: "medium",
        who: "service s3.amazonaws.com",
        why: "A service principal without aws:SourceArn or aws:SourceAccount: a resource of ANY account in that service can trigger the function (confused deputy).",
      },
    ],
  ] as const)("judges %s", (_case, granted, urlOpen, verdict) => {
    expect(judgeStatement(granted, ACCOUNT_ID, urlOpen)).toEqual(verdict);
  });

  it.each([
    [
      "another account narrowed by a condition",
      statement({ AWS: OTHER_ACCOUNT }, { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } }),
    ],
    ["a principal that is null", statement(null)],
    ["an account ID given as a number", statement({ AWS: [210987654321] })],
    ["an account ID inside a longer name", statement({ AWS: `partner-${OTHER_ACCOUNT}` })],
    ["a name that starts with an account ID", statement({ AWS: `${OTHER_ACCOUNT}0` })],
    ["an IAM name that is not an ARN", statement({ AWS: "partner-integration" })],
    [
      "an ARN-like text that does not start as an ARN",
      statement({ AWS: `x-arn:aws:iam::${OTHER_ACCOUNT}:root` }),
    ],
    [
      "a federated principal with an account in its ARN",
      statement({ Federated: `arn:aws:iam::${OTHER_ACCOUNT}:saml-provider/partner` }),
    ],
  ])("does not count %s as another account", (_case, granted) => {
    expect(judgeStatement(granted, ACCOUNT_ID)).toBeUndefined();
  });

  it("calls no account foreign while the function's own account is unknown", () => {
    expect(judgeStatement(statement({ AWS: OTHER_ACCOUNT }), undefined)).toBeUndefined();
  });

  it("reads the URL auth type only from lambda:FunctionUrlAuthType, and skips empty blocks", () => {
    const granted = statement("*", {
      Null: null,
      StringEquals: { "aws:SecureTransport": "AWS_IAM" },
    });

    expect(judgeStatement(granted, ACCOUNT_ID)?.severity).toBe("high");
  });
});

describe("judgeExposure", () => {
  const gathered = (overrides: Partial<GatheredExposure> = {}): GatheredExposure => ({
    function_name: "public-webhook",
    arn: FUNCTION_ARN,
    reserved_concurrent_executions: null,
    qualifiers: ["live"],
    qualifiers_truncated: false,
    places: [
      { qualifier: undefined, statements: [statement({ AWS: OTHER_ACCOUNT })], url: undefined },
      {
        qualifier: "live",
        statements: [],
        url: { configured: true, auth_type: "NONE", function_url: "https://u.lambda-url/" },
      },
    ],
    mappings: [
      { uuid: "m-on", state: "Enabled", event_source_arn: "arn:aws:sqs:us-east-1:1:q" },
      { uuid: "m-off", state: "Disabled", event_source_arn: null },
    ],
    ...overrides,
  });

  it("lists every way in, most severe first, each with the action that closes it", () => {
    const verdict = judgeExposure(gathered());

    expect(verdict.findings.map((f) => [f.severity, f.kind, f.qualifier, f.containment])).toEqual([
      [
        "high",
        "function_url",
        "live",
        {
          action: "update_function_url_config",
          inputs: { function_name: "public-webhook", qualifier: "live", auth_type: "AWS_IAM" },
        },
      ],
      [
        "medium",
        "resource_policy",
        null,
        {
          action: "remove_permission",
          inputs: { function_name: "public-webhook", statement_id: "grant" },
        },
      ],
      [
        "info",
        "event_source_mapping",
        null,
        { action: "update_event_source_mapping", inputs: { uuid: "m-on", enabled: false } },
      ],
    ]);
    expect(verdict.exposed).toBe(true);
    expect(verdict.checked).toEqual({
      qualifiers: ["live"],
      policy_statements: 1,
      function_urls: 1,
      event_source_mappings: 2,
      qualifiers_truncated: false,
    });
  });

  it("is not exposed without a high finding, and has no ARN when AWS gave none", () => {
    const verdict = judgeExposure(gathered({ arn: "", places: [], mappings: [] }));

    expect(verdict).toMatchObject({ exposed: false, findings: [], function_arn: null });
  });
});
