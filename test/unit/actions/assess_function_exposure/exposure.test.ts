import { describe, expect, it } from "vitest";
import {
  type GatheredExposure,
  judgeExposure,
  judgeStatement,
  type PlaceUrl,
  placeUrl,
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
          "InvokeFunctionUrl with FunctionUrlAuthType NONE",
          {
            ...statement("*", { StringEquals: { "lambda:FunctionUrlAuthType": "NONE" } }),
            action: ["lambda:InvokeFunctionUrl"],
          },
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
    [
      "lambda:FunctionUrlAuthType",
      "AWS_IAM",
      "ANY AWS account grant itself lambda:InvokeFunctionUrl",
    ],
    ["Lambda:FunctionUrlAuthType", ["AWS_IAM"], "ANY AWS account grant itself"],
    ["lambda:FunctionUrlAuthType", "NONE", "anyone on the internet"],
    ["LAMBDA:FUNCTIONURLAUTHTYPE", ["NONE"], "anyone on the internet"],
  ])("principal * with InvokeFunctionUrl behind %s %j is high: %s", (key, value, why) => {
    const granted = {
      ...statement("*", { StringEquals: { [key]: value } }),
      action: ["lambda:InvokeFunctionUrl"],
    };

    expect(judgeStatement(granted, ACCOUNT_ID)).toMatchObject({
      severity: "high",
      why: expect.stringContaining(why),
    });
  });

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

const PUBLIC_URL_GRANT: PolicyStatement = {
  ...statement("*", { StringEquals: { "lambda:FunctionUrlAuthType": "NONE" } }),
  action: ["lambda:InvokeFunctionUrl"],
};
const NO_URL: PlaceUrl = { auth: null, urlGrant: false, invokeGrant: false };
const OPEN_URL: PlaceUrl = { auth: "NONE", urlGrant: true, invokeGrant: true };
const IAM_URL: PlaceUrl = { auth: "AWS_IAM", urlGrant: true, invokeGrant: false };

/** A statement granting `action` to `principal`, as get_policy parses it. */
function grant(
  action: string[],
  principal: PolicyStatement["principal"],
  conditions: PolicyStatement["conditions"] = {},
): PolicyStatement {
  return { ...statement(principal, conditions), action };
}

describe("judgeStatement, the function URL rules", () => {
  const publicUrl = grant(["lambda:InvokeFunctionUrl"], "*", {
    StringEquals: { "lambda:FunctionUrlAuthType": "NONE" },
  });
  const iamUrl = grant(["lambda:InvokeFunctionUrl"], "*", {
    StringEquals: { "lambda:FunctionUrlAuthType": "AWS_IAM" },
  });
  const viaUrl = grant(["lambda:InvokeFunction"], "*", {
    Bool: { "lambda:InvokedViaFunctionUrl": "true" },
  });

  it.each([
    ["public URL grant, open URL", publicUrl, OPEN_URL, "high", "anyone on the internet"],
    ["public URL grant, unknown URL", publicUrl, undefined, "high", "anyone on the internet"],
    ["public URL grant, no URL", publicUrl, NO_URL, "info", "dormant"],
    ["public URL grant, URL now AWS_IAM", publicUrl, IAM_URL, "info", "dormant"],
    ["AWS_IAM URL grant to *, AWS_IAM URL", iamUrl, IAM_URL, "high", "ANY AWS account"],
    ["AWS_IAM URL grant to *, no URL", iamUrl, NO_URL, "info", "dormant"],
    ["console's via-URL invoke, no URL", viaUrl, NO_URL, "info", "no URL exists"],
    [
      "console's via-URL invoke, open URL without the URL grant",
      viaUrl,
      { auth: "NONE", urlGrant: false, invokeGrant: true },
      "info",
      "lambda:InvokeFunctionUrl is not granted",
    ],
    [
      "console's via-URL invoke, open URL with the URL grant",
      viaUrl,
      OPEN_URL,
      "high",
      "on the internet",
    ],
    [
      "console's via-URL invoke, AWS_IAM URL with the URL grant",
      viaUrl,
      IAM_URL,
      "high",
      "AWS credentials of any account",
    ],
  ] as const)("%s: %s", (_case, granted, url, severity, why) => {
    const verdict = judgeStatement(granted, ACCOUNT_ID, url);

    expect(verdict?.severity).toBe(severity);
    expect(verdict?.why).toContain(why);
  });

  it("never calls the console's via-URL statement 'any AWS account can invoke'", () => {
    expect(judgeStatement(viaUrl, ACCOUNT_ID, NO_URL)?.why).not.toContain("any AWS account");
  });

  it.each([
    [true, "callable under both rules"],
    [false, "created before October 2025"],
  ])("on an open URL with lambda:InvokeFunction granted: %s, says %s", (invokeGrant, rule) => {
    const url: PlaceUrl = { auth: "NONE", urlGrant: true, invokeGrant };

    expect(judgeStatement(publicUrl, ACCOUNT_ID, url)?.why).toContain(rule);
  });
});

describe("judgeStatement, what a statement grants", () => {
  it.each([
    ["lambda:GetFunction", ["lambda:GetFunction"]],
    ["lambda:GetFunctionConfiguration", ["lambda:GetFunctionConfiguration"]],
  ])("a grant of only %s to * is medium, and not 'can invoke'", (_case, actions) => {
    const verdict = judgeStatement(grant(actions, "*"), ACCOUNT_ID);

    expect(verdict).toMatchObject({ severity: "medium", who: "anyone" });
    expect(verdict?.why).toContain("not invoke");
  });

  it("a grant of only lambda:GetFunction to another account says it cannot invoke", () => {
    const verdict = judgeStatement(
      grant(["lambda:GetFunction"], { AWS: OTHER_ACCOUNT }),
      ACCOUNT_ID,
    );

    expect(verdict?.severity).toBe("medium");
    expect(verdict?.why).toContain("(not invoke)");
  });

  it.each([
    ["lambda:*"],
    ["*"],
    ["lambda:Invoke*"],
    ["LAMBDA:INVOKEFUNCTION"],
    ["lambda:InvokeAsync"],
  ])("%s to * without a condition is high: anyone can invoke", (action) => {
    expect(judgeStatement(grant([action], "*"), ACCOUNT_ID)).toMatchObject({
      severity: "high",
      who: "anyone",
    });
  });

  it("an action it does not know nothing about invoking is no finding when empty", () => {
    expect(judgeStatement(grant([], "*"), ACCOUNT_ID)).toBeUndefined();
  });
});

describe("judgeStatement, conditions judged by their values", () => {
  it.each([
    ["aws:SourceArn arn:aws:s3:::*", { ArnLike: { "aws:SourceArn": "arn:aws:s3:::*" } }],
    ["aws:SourceArn *", { ArnLike: { "aws:SourceArn": "*" } }],
    [
      "aws:SourceArn of any account",
      { ArnLike: { "aws:SourceArn": "arn:aws:sns:us-east-1:*:alerts" } },
    ],
    ["aws:SourceAccount *", { StringLike: { "aws:SourceAccount": "*" } }],
    ["aws:SourceAccount with ?", { StringLike: { "aws:SourceAccount": "12345678901?" } }],
    ["a negated operator", { StringNotEquals: { "aws:SourceAccount": ACCOUNT_ID } }],
    ["…IfExists", { StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT_ID } }],
    ["aws:PrincipalOrgID o-*", { StringLike: { "aws:PrincipalOrgID": "o-*" } }],
    ["aws:SourceIp 0.0.0.0/0", { IpAddress: { "aws:SourceIp": "0.0.0.0/0" } }],
  ])("a service narrowed by %s narrows nothing: confused deputy", (_case, conditions) => {
    const verdict = judgeStatement(
      statement({ Service: "s3.amazonaws.com" }, conditions),
      ACCOUNT_ID,
    );

    expect(verdict?.severity).toBe("medium");
    expect(verdict?.why).toContain("ANY account");
  });

  it.each([
    ["aws:SourceArn arn:aws:s3:::*", { ArnLike: { "aws:SourceArn": "arn:aws:s3:::*" } }],
    ["aws:SourceAccount *", { StringLike: { "aws:SourceAccount": "*" } }],
  ])("principal * narrowed by %s is still high", (_case, conditions) => {
    expect(judgeStatement(statement("*", conditions), ACCOUNT_ID)?.severity).toBe("high");
  });

  it.each([
    ["aws:SourceAccount", { StringEquals: { "aws:SourceAccount": OTHER_ACCOUNT } }],
    [
      "aws:SourceArn",
      { ArnLike: { "aws:SourceArn": `arn:aws:sns:us-east-1:${OTHER_ACCOUNT}:alerts` } },
    ],
  ])("a service narrowed by %s of another account is medium, naming it", (_case, conditions) => {
    expect(
      judgeStatement(statement({ Service: "sns.amazonaws.com" }, conditions), ACCOUNT_ID),
    ).toMatchObject({
      severity: "medium",
      who: `service sns.amazonaws.com, for resources of account ${OTHER_ACCOUNT}`,
    });
  });

  it("principal * narrowed to another account's source is medium, not info", () => {
    const verdict = judgeStatement(
      statement("*", { StringEquals: { "aws:SourceAccount": OTHER_ACCOUNT } }),
      ACCOUNT_ID,
    );

    expect(verdict).toMatchObject({ severity: "medium" });
    expect(verdict?.why).toContain(`account ${OTHER_ACCOUNT}`);
  });

  it.each(["aws:PrincipalOrgID", "aws:SourceOrgID", "aws:PrincipalOrgPaths", "aws:SourceOrgPaths"])(
    "%s narrows principal * to the organization: info, naming it",
    (key) => {
      const value = key.endsWith("Paths") ? "o-a1b2c3d4e5/r-ab12/*" : "o-a1b2c3d4e5";
      const verdict = judgeStatement(
        statement("*", { StringEquals: { [key]: value } }),
        ACCOUNT_ID,
      );

      expect(verdict?.severity).toBe("info");
      expect(verdict?.why).toContain("organization o-a1b2c3d4e5");
    },
  );

  it.each(["aws:PrincipalOrgID", "aws:SourceOrgID"])(
    "%s narrows a service to the organization: info, naming it",
    (key) => {
      const verdict = judgeStatement(
        statement({ Service: "events.amazonaws.com" }, { StringEquals: { [key]: "o-a1b2c3d4e5" } }),
        ACCOUNT_ID,
      );

      expect(verdict).toMatchObject({
        severity: "info",
        who: "service events.amazonaws.com, for resources of organization o-a1b2c3d4e5",
      });
    },
  );

  it("another account narrowed by a condition stays medium, and says how it is narrowed", () => {
    const verdict = judgeStatement(
      statement({ AWS: OTHER_ACCOUNT }, { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } }),
      ACCOUNT_ID,
    );

    expect(verdict).toMatchObject({ severity: "medium", who: `account ${OTHER_ACCOUNT}` });
    expect(verdict?.why).toContain("organization o-a1b2c3d4e5");
  });

  it("keys all apply: the narrowest decides, so own account beats a wildcard ARN", () => {
    const verdict = judgeStatement(
      statement(
        { Service: "s3.amazonaws.com" },
        {
          ArnLike: { "aws:SourceArn": "arn:aws:s3:::*" },
          StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
        },
      ),
      ACCOUNT_ID,
    );

    expect(verdict).toBeUndefined();
  });

  it("values are alternatives: the broadest decides, so one foreign account is enough", () => {
    const verdict = judgeStatement(
      statement(
        { Service: "sns.amazonaws.com" },
        { StringEquals: { "aws:SourceAccount": [ACCOUNT_ID, OTHER_ACCOUNT] } },
      ),
      ACCOUNT_ID,
    );

    expect(verdict?.who).toContain(OTHER_ACCOUNT);
  });
});

describe("judgeStatement, principals as endpoints write them", () => {
  it("reads a bare account principal as that account", () => {
    expect(judgeStatement(statement(OTHER_ACCOUNT), ACCOUNT_ID)).toMatchObject({
      severity: "medium",
      who: `account ${OTHER_ACCOUNT}`,
    });
  });

  it("a bare account principal of the function's own account is no finding", () => {
    expect(judgeStatement(statement(ACCOUNT_ID), ACCOUNT_ID)).toBeUndefined();
  });

  it("without the function's ARN, takes its account from the statement's resource", () => {
    expect(judgeStatement(statement({ AWS: OTHER_ACCOUNT }), undefined)?.who).toBe(
      `account ${OTHER_ACCOUNT}`,
    );
    expect(judgeStatement(statement({ AWS: ACCOUNT_ID }), undefined)).toBeUndefined();
  });

  it("with no account known at all, still reports an account principal", () => {
    const granted = { ...statement({ AWS: OTHER_ACCOUNT }), resource: [] };

    expect(judgeStatement(granted, undefined)).toMatchObject({
      severity: "medium",
      who: `account ${OTHER_ACCOUNT} (the function's own account is unknown)`,
    });
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
        statements: [{ ...PUBLIC_URL_GRANT, sid: "public-url" }],
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
        "resource_policy",
        "live",
        {
          action: "remove_permission",
          inputs: {
            function_name: "public-webhook",
            qualifier: "live",
            statement_id: "public-url",
          },
        },
      ],
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
    expect(verdict).toMatchObject({ exposed: true, complete: true });
    expect(verdict.checked).toEqual({
      qualifiers: ["live"],
      policy_statements: 2,
      function_urls: 1,
      event_source_mappings: 2,
      qualifiers_truncated: false,
    });
  });

  it("is not exposed without a high finding, and has no ARN when AWS gave none", () => {
    const verdict = judgeExposure(gathered({ arn: "", places: [], mappings: [] }));

    expect(verdict).toMatchObject({ exposed: false, findings: [], function_arn: null });
  });

  const openUrlPlace = (
    statements: PolicyStatement[],
    cors: unknown = null,
  ): GatheredExposure["places"][number] => ({
    qualifier: undefined,
    statements,
    url: { configured: true, auth_type: "NONE", function_url: "https://u.lambda-url/", cors },
  });

  it("rates a URL of auth type NONE without a public URL grant info: nobody can call it unsigned", () => {
    const verdict = judgeExposure(gathered({ places: [openUrlPlace([])], mappings: [] }));

    expect(verdict.exposed).toBe(false);
    expect(verdict.findings).toMatchObject([{ severity: "info", kind: "function_url" }]);
  });

  it.each([
    [[{ ...PUBLIC_URL_GRANT, sid: "url" }], "created before October 2025"],
    [
      [
        { ...PUBLIC_URL_GRANT, sid: "url" },
        {
          ...statement("*", { Bool: { "lambda:InvokedViaFunctionUrl": "true" } }),
          sid: "invoke",
        },
      ],
      "callable under both rules",
    ],
  ])("says which URL permission rule makes the open URL callable (%#)", (statements, rule) => {
    const verdict = judgeExposure(gathered({ places: [openUrlPlace(statements)], mappings: [] }));
    const url = verdict.findings.find((f) => f.kind === "function_url");

    expect(url).toMatchObject({ severity: "high" });
    expect(url?.why).toContain(rule);
  });

  it("reports CORS allow_origins * on an open URL, and not on a URL nobody can call", () => {
    const cors = { allow_origins: ["*"] };
    const open = judgeExposure(
      gathered({
        places: [openUrlPlace([{ ...PUBLIC_URL_GRANT, sid: "url" }], cors)],
        mappings: [],
      }),
    );
    const closed = judgeExposure(gathered({ places: [openUrlPlace([], cors)], mappings: [] }));

    expect(open.findings.filter((f) => f.what.includes("CORS"))).toMatchObject([
      { severity: "medium", containment: { action: "update_function_url_config" } },
    ]);
    expect(closed.findings.some((f) => f.what.includes("CORS"))).toBe(false);
  });

  it("never claims a complete verdict from a walk that stopped", () => {
    const verdict = judgeExposure(
      gathered({ qualifiers_truncated: true, places: [], mappings: [] }),
    );

    expect(verdict).toMatchObject({ exposed: false, complete: false });
  });
});

describe("judgeStatement, each verdict in full", () => {
  const queue = `arn:aws:sqs:us-east-1:${OTHER_ACCOUNT}:q`;
  const noUrl = NO_URL;
  const openUrl = (invokeGrant: boolean): PlaceUrl => ({
    auth: "NONE",
    urlGrant: true,
    invokeGrant,
  });
  const viaUrl = (value: string | string[]) => ({
    Bool: { "lambda:InvokedViaFunctionUrl": value },
  });
  const authType = (value: string) => ({ StringEquals: { "lambda:FunctionUrlAuthType": value } });
  const medium = (who: string, why: string) => ({ severity: "medium", who, why });
  const high = (who: string, why: string) => ({ severity: "high", who, why });
  const info = (who: string, why: string) => ({ severity: "info", who, why });
  const mayInvoke = "Another AWS account may invoke the function; check that it is trusted.";
  const anyInvoke =
    "Principal * without a condition that narrows it: any AWS account can invoke the function.";
  const dormant = (of: string) =>
    `The statement grants URL access, but no URL${of} exists where it applies: it is dormant. Remove it so that reopening the URL does not expose the function.`;
  const onlyViaUrl = (because: string) =>
    `lambda:InvokeFunction is granted to * only through a function URL (lambda:InvokedViaFunctionUrl), and ${because}: no account can invoke the function this way now. Remove it so that a new URL does not expose the function.`;
  const openNone =
    "Principal * with FunctionUrlAuthType NONE: anyone on the internet can call the function URL. ";
  const bothRules =
    "lambda:InvokeFunction is granted to * too, so it is callable under both rules (URLs created since October 2025 need both permissions).";
  const oldRule =
    "lambda:InvokeFunction is not granted to *: callable if the URL was created before October 2025 (it needs only lambda:InvokeFunctionUrl); a URL created since also needs lambda:InvokeFunction.";
  const signed = high(
    "any AWS account, through the function URL, signed",
    "The URL requires signed requests (AWS_IAM), but Principal * lets ANY AWS account grant itself lambda:InvokeFunctionUrl and call it signed.",
  );
  const throughUrl = (who: string) =>
    high(
      "anyone, through the function URL",
      `lambda:InvokeFunction with lambda:InvokedViaFunctionUrl and lambda:InvokeFunctionUrl are both granted to *: anyone ${who} can call the function URL.`,
    );

  it.each<[string, PolicyStatement, PlaceUrl | undefined, unknown]>([
    [
      "another account, invoke",
      grant(["lambda:InvokeFunction"], { AWS: OTHER_ACCOUNT }),
      undefined,
      medium(`account ${OTHER_ACCOUNT}`, mayInvoke),
    ],
    [
      "another account, the URL only",
      grant(["lambda:InvokeFunctionUrl"], { AWS: OTHER_ACCOUNT }),
      undefined,
      medium(`account ${OTHER_ACCOUNT}`, mayInvoke),
    ],
    [
      "another account, reads only",
      grant(["lambda:GetFunction", "lambda:GetPolicy"], { AWS: OTHER_ACCOUNT }),
      undefined,
      medium(
        `account ${OTHER_ACCOUNT}`,
        "Another AWS account may call lambda:GetFunction, lambda:GetPolicy (not invoke): it can read the function's configuration and code.",
      ),
    ],
    [
      "another account, narrowed",
      grant(
        ["lambda:InvokeFunction"],
        { AWS: OTHER_ACCOUNT },
        { ArnLike: { "aws:SourceArn": queue } },
      ),
      undefined,
      medium(
        `account ${OTHER_ACCOUNT}`,
        `${mayInvoke} Its condition narrows it to account ${OTHER_ACCOUNT}.`,
      ),
    ],
    [
      "anyone narrowed to another account by two keys",
      statement("*", {
        StringEquals: { "aws:SourceAccount": [OTHER_ACCOUNT], "aws:SourceArn": "arn:aws:s3:::*" },
      }),
      undefined,
      medium(
        "anyone matching aws:SourceAccount, aws:SourceArn",
        `Principal * is narrowed by the condition on aws:SourceAccount, aws:SourceArn to account ${OTHER_ACCOUNT}; check that it names only trusted sources.`,
      ),
    ],
    [
      "anyone, reads only",
      grant(["lambda:GetFunction", "lambda:GetFunctionConfiguration"], "*"),
      undefined,
      medium(
        "anyone",
        "Principal * may call lambda:GetFunction, lambda:GetFunctionConfiguration: not invoke, but read the function's configuration and download its code.",
      ),
    ],
    [
      "anyone, reads and invoke",
      grant(["lambda:GetFunction", "lambda:InvokeFunction"], "*"),
      undefined,
      high("anyone", anyInvoke),
    ],
    [
      "anyone, InvokeAsync",
      grant(["lambda:InvokeAsync"], "*"),
      undefined,
      high("anyone", anyInvoke),
    ],
    ["a bare *", statement("*"), undefined, high("anyone", anyInvoke)],
    [
      "a bare account",
      statement(OTHER_ACCOUNT),
      undefined,
      medium(`account ${OTHER_ACCOUNT}`, mayInvoke),
    ],
    [
      "URL grant, no URL",
      grant(["lambda:InvokeFunctionUrl"], "*"),
      noUrl,
      info("anyone, through the function URL, were its auth type NONE again", dormant("")),
    ],
    [
      "AWS_IAM URL grant, no URL",
      grant(["lambda:InvokeFunctionUrl"], "*", authType("AWS_IAM")),
      noUrl,
      info(
        "anyone, through the function URL, were its auth type AWS_IAM again",
        dormant(" of auth type AWS_IAM"),
      ),
    ],
    [
      "AWS_IAM URL grant, a URL of auth type NONE",
      grant(["lambda:InvokeFunctionUrl"], "*", authType("AWS_IAM")),
      openUrl(true),
      info(
        "anyone, through the function URL, were its auth type AWS_IAM again",
        dormant(" of auth type AWS_IAM"),
      ),
    ],
    [
      "URL grant of any auth type, an AWS_IAM URL",
      grant(["lambda:InvokeFunctionUrl"], "*"),
      IAM_URL,
      signed,
    ],
    [
      "AWS_IAM URL grant, the URL unknown",
      grant(["lambda:InvokeFunctionUrl"], "*", authType("AWS_IAM")),
      undefined,
      signed,
    ],
    [
      "URL grant, an open URL, no invoke grant",
      grant(["lambda:InvokeFunctionUrl"], "*"),
      openUrl(false),
      high("anyone", openNone + oldRule),
    ],
    [
      "URL grant, an open URL, an invoke grant",
      grant(["lambda:InvokeFunctionUrl"], "*"),
      openUrl(true),
      high("anyone", openNone + bothRules),
    ],
    [
      "URL grant, the URL unknown",
      grant(["lambda:InvokeFunctionUrl"], "*"),
      undefined,
      high("anyone", openNone + bothRules),
    ],
    [
      "via-URL invoke (TRUE), an open URL",
      statement("*", viaUrl("TRUE")),
      openUrl(true),
      throughUrl("on the internet"),
    ],
    [
      "via-URL invoke ([true]), an AWS_IAM URL",
      statement("*", viaUrl(["true"])),
      IAM_URL,
      throughUrl("with AWS credentials of any account"),
    ],
    [
      "via-URL invoke, the URL unknown",
      statement("*", viaUrl("true")),
      undefined,
      throughUrl("on the internet"),
    ],
    [
      "via-URL invoke, no URL grant",
      statement("*", viaUrl("true")),
      { auth: "NONE", urlGrant: false, invokeGrant: true },
      info(
        "anyone, only through a function URL",
        onlyViaUrl("lambda:InvokeFunctionUrl is not granted to *"),
      ),
    ],
    [
      "via-URL invoke, no URL",
      statement("*", viaUrl("true")),
      { auth: null, urlGrant: true, invokeGrant: true },
      info("anyone, only through a function URL", onlyViaUrl("no URL exists there")),
    ],
    [
      "InvokedViaFunctionUrl false",
      statement("*", viaUrl("false")),
      noUrl,
      high("anyone", anyInvoke),
    ],
    [
      "invoke behind FunctionUrlAuthType: only through a URL",
      statement("*", authType("NONE")),
      noUrl,
      info("anyone, only through a function URL", onlyViaUrl("no URL exists there")),
    ],
    [
      "a service whose conditions match any account",
      statement(
        { Service: "s3.amazonaws.com" },
        {
          ArnLike: { "aws:SourceArn": "arn:aws:s3:::*" },
          StringLike: { "aws:SourceAccount": "*" },
        },
      ),
      undefined,
      medium(
        "service s3.amazonaws.com",
        "A service principal whose condition on aws:SourceArn, aws:SourceAccount matches any account: a resource of ANY account in that service can trigger the function (confused deputy).",
      ),
    ],
    [
      "a service without conditions",
      statement({ Service: "s3.amazonaws.com" }),
      undefined,
      medium(
        "service s3.amazonaws.com",
        "A service principal without aws:SourceArn or aws:SourceAccount: a resource of ANY account in that service can trigger the function (confused deputy).",
      ),
    ],
    [
      "a service for another account's resources",
      statement(
        { Service: "sns.amazonaws.com" },
        { StringEquals: { "aws:SourceAccount": OTHER_ACCOUNT } },
      ),
      undefined,
      medium(
        `service sns.amazonaws.com, for resources of account ${OTHER_ACCOUNT}`,
        "The service may invoke the function for resources of another AWS account; check that it is trusted.",
      ),
    ],
    [
      "a service for an organization's resources",
      statement(
        { Service: "events.amazonaws.com" },
        { StringEquals: { "aws:SourceOrgID": "o-abc123" } },
      ),
      undefined,
      info(
        "service events.amazonaws.com, for resources of organization o-abc123",
        "The service may invoke the function for resources of any account in that organization.",
      ),
    ],
    [
      "an account among names that are not text",
      statement({ AWS: [42, OTHER_ACCOUNT] }),
      undefined,
      medium(`account ${OTHER_ACCOUNT}`, mayInvoke),
    ],
  ])("%s", (_case, granted, url, expected) => {
    expect(judgeStatement(granted, ACCOUNT_ID, url)).toEqual(expected);
  });

  it("a URL grant and an invoke grant in one statement: the most severe, the first of equals", () => {
    const both = grant(["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"], "*", viaUrl("true"));

    // The URL is open (high) but the via-URL invoke lacks the URL grant here (info).
    expect(
      judgeStatement(both, ACCOUNT_ID, { auth: "NONE", urlGrant: false, invokeGrant: true }),
    ).toEqual(high("anyone", openNone + bothRules));
    // Both high: the URL grant's verdict, found first, stands.
    expect(judgeStatement(both, ACCOUNT_ID, openUrl(true))).toEqual(
      high("anyone", openNone + bothRules),
    );
    // A dormant URL grant (info) beside an unnarrowed invoke (high): the invoke.
    expect(
      judgeStatement(
        grant(["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"], "*"),
        ACCOUNT_ID,
        noUrl,
      ),
    ).toEqual(high("anyone", anyInvoke));
  });

  it.each<[string, PolicyStatement]>([
    ["a federated principal", statement({ Federated: "cognito-identity.amazonaws.com" })],
    ["a federated principal that looks like an account", statement({ Federated: OTHER_ACCOUNT })],
    ["an AWS principal that names no account", statement({ AWS: "AIDAEXAMPLEUSERID" })],
    ["an account id with text before it", statement({ AWS: `x${OTHER_ACCOUNT}` })],
    ["an account id with text after it", statement({ AWS: `${OTHER_ACCOUNT}x` })],
    ["a role ARN with text before it", statement({ AWS: `x:arn:aws:iam::${OTHER_ACCOUNT}:root` })],
    ["a principal that is a number", statement(42 as unknown as PolicyStatement["principal"])],
    ["a principal that is null", statement(null as unknown as PolicyStatement["principal"])],
    [
      "a service name that is not text",
      statement({ Service: [42] } as unknown as PolicyStatement["principal"]),
    ],
    ["an action that only looks like invoke", grant(["lambda:InvokeSomethingElse"], "*")],
  ])("%s is no finding", (_case, granted) => {
    expect(judgeStatement(granted, ACCOUNT_ID)).toBeUndefined();
  });

  it("reads the via-URL condition past a condition block that is null", () => {
    const granted = statement("*", {
      Null: null,
      Bool: { "lambda:InvokedViaFunctionUrl": "true" },
    } as unknown as PolicyStatement["conditions"]);

    expect(judgeStatement(granted, ACCOUNT_ID, NO_URL)).toMatchObject({
      severity: "info",
      who: "anyone, only through a function URL",
    });
  });

  it("reads a service principal * as anyone", () => {
    expect(judgeStatement(statement({ Service: "*" }), ACCOUNT_ID)).toMatchObject({
      severity: "high",
      who: "anyone",
    });
  });

  it("takes the function's account from the first resource that is a function ARN", () => {
    const granted = { ...statement({ AWS: ACCOUNT_ID }), resource: ["*", FUNCTION_ARN] };

    expect(judgeStatement(granted, undefined)).toBeUndefined();
  });

  it("does not read an account from a resource that only contains a function ARN", () => {
    const granted = { ...statement({ AWS: ACCOUNT_ID }), resource: [`x${FUNCTION_ARN}`] };

    expect(judgeStatement(granted, undefined)).toEqual(
      medium(`account ${ACCOUNT_ID} (the function's own account is unknown)`, mayInvoke),
    );
  });
});

describe("placeUrl", () => {
  const url = (auth_type: string) => ({ configured: true, auth_type, function_url: "https://u/" });

  it("keeps the URL's auth type, AWS_IAM or NONE", () => {
    expect(placeUrl([PUBLIC_URL_GRANT], url("AWS_IAM"), ACCOUNT_ID)).toEqual({
      auth: "AWS_IAM",
      urlGrant: false,
      invokeGrant: false,
    });
    expect(placeUrl([PUBLIC_URL_GRANT], url("NONE"), ACCOUNT_ID)).toEqual({
      auth: "NONE",
      urlGrant: true,
      invokeGrant: false,
    });
  });

  it("counts only unnarrowed Allow statements to *", () => {
    const statements = [
      { ...PUBLIC_URL_GRANT, principal: { AWS: OTHER_ACCOUNT } },
      { ...PUBLIC_URL_GRANT, effect: "Deny" },
      grant(["lambda:InvokeFunction"], "*", { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } }),
    ];

    expect(placeUrl(statements, url("NONE"), ACCOUNT_ID)).toEqual({
      auth: "NONE",
      urlGrant: false,
      invokeGrant: false,
    });
    expect(placeUrl([grant(["lambda:InvokeFunction"], "*")], url("NONE"), ACCOUNT_ID)).toEqual({
      auth: "NONE",
      urlGrant: false,
      invokeGrant: true,
    });
  });

  it("counts a statement to * among other principals, without an auth type condition, beside one that grants nothing", () => {
    const statements = [
      grant([], "*"),
      grant(["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"], { AWS: ["*", OTHER_ACCOUNT] }),
    ];

    expect(placeUrl(statements, url("NONE"), ACCOUNT_ID)).toEqual({
      auth: "NONE",
      urlGrant: true,
      invokeGrant: true,
    });
  });

  it("has no URL where none is configured", () => {
    expect(placeUrl([PUBLIC_URL_GRANT], { ...url("NONE"), configured: false }, ACCOUNT_ID)).toEqual(
      NO_URL,
    );
    expect(placeUrl([PUBLIC_URL_GRANT], undefined, ACCOUNT_ID)).toEqual(NO_URL);
  });
});

describe("judgeExposure, the findings' texts", () => {
  const gathered = (
    places: GatheredExposure["places"],
    mappings: GatheredExposure["mappings"] = [],
  ): GatheredExposure => ({
    function_name: "public-webhook",
    arn: FUNCTION_ARN,
    reserved_concurrent_executions: 0,
    qualifiers: [],
    qualifiers_truncated: false,
    places,
    mappings,
  });

  it("words each finding: the statement, who, what it may call and where; the open URL and its CORS", () => {
    const partner = { ...statement({ AWS: OTHER_ACCOUNT }), sid: "partner" };
    const publicUrl = {
      ...grant(["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"], "*", {
        StringEquals: { "lambda:FunctionUrlAuthType": "NONE" },
      }),
      sid: "public-url",
    };
    const live = { function_name: "public-webhook", qualifier: "live" };
    const closeUrl = {
      action: "update_function_url_config",
      inputs: { ...live, auth_type: "AWS_IAM" },
    };
    const bothRules =
      "lambda:InvokeFunction is granted to * too, so it is callable under both rules (URLs created since October 2025 need both permissions).";

    const verdict = judgeExposure(
      gathered([
        { qualifier: undefined, statements: [partner], url: undefined },
        {
          qualifier: "live",
          statements: [publicUrl],
          url: {
            configured: true,
            auth_type: "NONE",
            function_url: "https://u.lambda-url/",
            cors: { allow_origins: ["https://soc.example.com", "*"] },
          },
        },
      ]),
    );

    expect(verdict.findings).toEqual([
      {
        severity: "high",
        kind: "resource_policy",
        qualifier: "live",
        what: "Statement public-url allows anyone to call lambda:InvokeFunctionUrl, lambda:InvokeFunction on live.",
        why: `Principal * with FunctionUrlAuthType NONE: anyone on the internet can call the function URL. ${bothRules}`,
        containment: {
          action: "remove_permission",
          inputs: { ...live, statement_id: "public-url" },
        },
      },
      {
        severity: "high",
        kind: "function_url",
        qualifier: "live",
        what: "The function URL https://u.lambda-url/ has auth type NONE and the policy grants lambda:InvokeFunctionUrl to *.",
        why: `Anyone who knows the URL can call it over HTTPS, without signing. ${bothRules}`,
        containment: closeUrl,
      },
      {
        severity: "medium",
        kind: "resource_policy",
        qualifier: null,
        what: `Statement partner allows account ${OTHER_ACCOUNT} to call lambda:InvokeFunction.`,
        why: "Another AWS account may invoke the function; check that it is trusted.",
        containment: {
          action: "remove_permission",
          inputs: { function_name: "public-webhook", statement_id: "partner" },
        },
      },
      {
        severity: "medium",
        kind: "function_url",
        qualifier: "live",
        what: "The open function URL https://u.lambda-url/ allows CORS from any origin (allow_origins *).",
        why: "Any web page a victim visits can call the URL from the browser and read its answers.",
        containment: closeUrl,
      },
    ]);
  });

  it("skips a statement without a sid: there is nothing to remove it by", () => {
    const verdict = judgeExposure(
      gathered([
        { qualifier: undefined, statements: [{ ...statement("*"), sid: null }], url: undefined },
      ]),
    );

    expect(verdict.findings).toEqual([]);
    expect(verdict.checked.policy_statements).toBe(1);
  });

  it("says what it found where AWS gave no URL text and no event source", () => {
    const verdict = judgeExposure(
      gathered(
        [
          {
            qualifier: undefined,
            statements: [],
            url: { configured: true, auth_type: "NONE", function_url: null },
          },
        ],
        [{ uuid: "m-1", state: "Enabling", event_source_arn: null }],
      ),
    );

    expect(verdict.findings).toEqual([
      {
        severity: "info",
        kind: "function_url",
        qualifier: null,
        what: "The function URL  has auth type NONE, but no statement grants lambda:InvokeFunctionUrl to *.",
        why: "Nobody can call it unsigned now, yet one add_permission would open it to the internet: set its auth type to AWS_IAM.",
        containment: {
          action: "update_function_url_config",
          inputs: { function_name: "public-webhook", auth_type: "AWS_IAM" },
        },
      },
      {
        severity: "info",
        kind: "event_source_mapping",
        qualifier: null,
        what: "Trigger m-1 feeds it from an event source (Enabling).",
        why: "Whoever can write to that source drives the function; disable the trigger to stop it consuming events.",
        containment: {
          action: "update_event_source_mapping",
          inputs: { uuid: "m-1", enabled: false },
        },
      },
    ]);
  });

  it("judges with the account of the function's ARN, names the ARN, and counts only configured URLs", () => {
    const own = { ...statement({ AWS: ACCOUNT_ID }), sid: "own", resource: ["*"] };
    const verdict = judgeExposure(
      gathered([
        {
          qualifier: undefined,
          statements: [own],
          url: { configured: false, auth_type: null, function_url: null },
        },
        { qualifier: "3", statements: [], url: undefined },
      ]),
    );

    expect(verdict).toMatchObject({ function_arn: FUNCTION_ARN, findings: [], exposed: false });
    expect(verdict.checked).toMatchObject({ policy_statements: 1, function_urls: 0 });
  });
});
