import {
  GetPolicyCommand as GetIamPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import {
  GetFunctionCodeSigningConfigCommand,
  GetFunctionCommand,
  GetFunctionRecursionConfigCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  LambdaClient,
  ListAliasesCommand,
  ListEventSourceMappingsCommand,
  ListFunctionEventInvokeConfigsCommand,
  ListVersionsByFunctionCommand,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { assessFunctionSecurityAction } from "../../../../src/actions/assess_function_security/assess_function_security.js";
import {
  ACCOUNT_ID,
  accessDenied,
  FUNCTION_ARN,
  FUNCTION_NAME,
  functionConfiguration,
  metadata,
  REGION,
  resourceNotFound,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);
const iamMock = mockClient(IAMClient);
const NOW = Date.parse("2026-03-01T12:00:00Z");
const OTHER_ACCOUNT = "210987654321";
const ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/service-role/${FUNCTION_NAME}-role`;

/** A function with nothing to find: every read answers, and answers nothing risky. */
function serveQuietFunction(configuration: Record<string, unknown> = {}): void {
  lambdaMock.on(GetFunctionCommand).resolves({
    Configuration: functionConfiguration({
      Runtime: "python3.13",
      Role: ROLE,
      LastModified: "2026-01-01T00:00:00.000+0000",
      ...configuration,
    }),
    $metadata: metadata,
  });
  lambdaMock.on(ListAliasesCommand).resolves({ Aliases: [], $metadata: metadata });
  lambdaMock.on(ListVersionsByFunctionCommand).resolves({ Versions: [], $metadata: metadata });
  lambdaMock
    .on(ListEventSourceMappingsCommand)
    .resolves({ EventSourceMappings: [], $metadata: metadata });
  lambdaMock.on(GetPolicyCommand).rejects(resourceNotFound());
  lambdaMock.on(GetFunctionUrlConfigCommand).rejects(resourceNotFound());
  lambdaMock.on(GetFunctionCodeSigningConfigCommand).resolves({
    CodeSigningConfigArn: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:code-signing-config:csc-1`,
    FunctionName: FUNCTION_NAME,
    $metadata: metadata,
  });
  lambdaMock
    .on(ListFunctionEventInvokeConfigsCommand)
    .resolves({ FunctionEventInvokeConfigs: [], $metadata: metadata });
  lambdaMock
    .on(GetFunctionRecursionConfigCommand)
    .resolves({ RecursiveLoop: "Terminate", $metadata: metadata });
  iamMock.on(ListAttachedRolePoliciesCommand).resolves({
    AttachedPolicies: [
      {
        PolicyName: "AWSLambdaBasicExecutionRole",
        PolicyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
      },
    ],
    IsTruncated: false,
    $metadata: metadata,
  });
  iamMock
    .on(ListRolePoliciesCommand)
    .resolves({ PolicyNames: [], IsTruncated: false, $metadata: metadata });
}

describe("assess_function_security", () => {
  const { run } = useActionRun(assessFunctionSecurityAction, {
    mock: lambdaMock,
    executorOptions: () => ({ now: () => NOW }),
  });
  beforeEach(() => {
    iamMock.reset();
  });

  it("is clean only when every check was made and nothing found", async () => {
    serveQuietFunction();

    const output = await run({ function_name: FUNCTION_NAME });

    expect(output).toMatchObject({
      verdict: "clean",
      complete: true,
      incomplete_checks: [],
      findings: [],
      counts: { high: 0, medium: 0, info: 0 },
      assessed_at: "2026-03-01T12:00:00.000Z",
    });
    expect(iamMock).toReceiveCommandWith(ListAttachedRolePoliciesCommand, {
      RoleName: `${FUNCTION_NAME}-role`,
    });
  });

  it.each([
    [
      "IAM denied",
      () =>
        iamMock
          .on(ListAttachedRolePoliciesCommand)
          .rejects(accessDenied("iam:ListAttachedRolePolicies", ROLE)),
      "execution_role",
      "access_denied",
    ],
    [
      "recursion config denied",
      () =>
        lambdaMock
          .on(GetFunctionRecursionConfigCommand)
          .rejects(accessDenied("lambda:GetFunctionRecursionConfig", FUNCTION_ARN)),
      "data_paths",
      "access_denied",
    ],
    [
      "an alias's policy denied",
      () => {
        lambdaMock
          .on(ListAliasesCommand)
          .resolves({ Aliases: [{ Name: "live", FunctionVersion: "1" }], $metadata: metadata });
        lambdaMock
          .on(GetPolicyCommand, { FunctionName: FUNCTION_NAME, Qualifier: "live" })
          .rejects(accessDenied("lambda:GetPolicy", `${FUNCTION_ARN}:live`));
      },
      "ways_in",
      "access_denied",
    ],
  ])(
    "with %s, is incomplete, never clean, with a could-not-check finding",
    async (_case, refuse, check, code) => {
      serveQuietFunction();
      refuse();

      const output = await run({ function_name: FUNCTION_NAME });

      expect(output).toMatchObject({ verdict: "incomplete", complete: false });
      expect(output.incomplete_checks).toEqual([
        expect.objectContaining({ check, error_code: code }),
      ]);
      expect(output.findings).toEqual([
        expect.objectContaining({ severity: "info", check, kind: "could_not_check" }),
      ]);
    },
  );

  it("finds data paths out to other accounts, recursion allowed, a foreign layer, no code signing and recent changes", async () => {
    serveQuietFunction({
      LastModified: "2026-03-01T06:00:00.000+0000",
      Layers: [{ Arn: `arn:aws:lambda:${REGION}:${OTHER_ACCOUNT}:layer:helpers:3` }],
      DeadLetterConfig: { TargetArn: `arn:aws:sqs:${REGION}:${OTHER_ACCOUNT}:dead-letters` },
    });
    lambdaMock
      .on(GetFunctionCodeSigningConfigCommand)
      .resolves({ FunctionName: FUNCTION_NAME, $metadata: metadata });
    lambdaMock
      .on(GetFunctionRecursionConfigCommand)
      .resolves({ RecursiveLoop: "Allow", $metadata: metadata });
    lambdaMock.on(ListFunctionEventInvokeConfigsCommand).resolves({
      FunctionEventInvokeConfigs: [
        {
          FunctionArn: `${FUNCTION_ARN}:live`,
          DestinationConfig: {
            OnSuccess: {
              Destination: `arn:aws:events:${REGION}:${OTHER_ACCOUNT}:event-bus/collector`,
            },
            OnFailure: { Destination: `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:own-failures` },
          },
        },
      ],
      $metadata: metadata,
    });
    lambdaMock.on(ListVersionsByFunctionCommand).resolves({
      Versions: [
        functionConfiguration({ Version: "$LATEST" }),
        functionConfiguration({ Version: "1", LastModified: "2026-01-01T00:00:00.000+0000" }),
        functionConfiguration({ Version: "2", LastModified: "2026-02-28T12:00:00.000+0000" }),
      ],
      $metadata: metadata,
    });

    const output = await run({ function_name: FUNCTION_NAME, changed_within_hours: 48 });

    expect(output.findings.map((f) => [f.severity, f.check, f.kind, f.qualifier])).toEqual([
      ["medium", "supply_chain", "foreign_layer", null],
      ["medium", "data_paths", "foreign_destination", null],
      ["medium", "data_paths", "foreign_destination", "live"],
      ["medium", "data_paths", "recursion_allowed", null],
      ["info", "supply_chain", "no_code_signing", null],
      ["info", "change_signals", "recently_modified", null],
      ["info", "change_signals", "recent_versions", null],
    ]);
    expect(output.findings.find((f) => f.kind === "recent_versions")?.what).toBe(
      "Versions 2 were published within the last 48 hours.",
    );
    expect(output).toMatchObject({ verdict: "medium", complete: true });
  });

  it("judges a deprecated runtime by the dated table, naming the date and its source", async () => {
    serveQuietFunction({ Runtime: "nodejs16.x" });

    const output = await run({ function_name: FUNCTION_NAME });

    expect(output.findings).toMatchObject([
      {
        severity: "medium",
        kind: "deprecated_runtime",
        evidence: {
          deprecation_date: "2024-06-12",
          source: expect.stringContaining("lambda-runtimes"),
        },
      },
    ]);
  });

  it("reads every page of the role's policies, URL-encoded documents and the default version", async () => {
    serveQuietFunction();
    const customer = `arn:aws:iam::${ACCOUNT_ID}:policy/forwarding`;
    iamMock
      .on(ListAttachedRolePoliciesCommand)
      .resolves({ AttachedPolicies: [], IsTruncated: true, Marker: "page-2", $metadata: metadata })
      .on(ListAttachedRolePoliciesCommand, { Marker: "page-2" })
      .resolves({
        AttachedPolicies: [{ PolicyName: "forwarding", PolicyArn: customer }],
        IsTruncated: false,
        $metadata: metadata,
      });
    iamMock.on(GetIamPolicyCommand).resolves({
      Policy: { Arn: customer, DefaultVersionId: "v2" },
      $metadata: metadata,
    });
    iamMock
      .on(GetPolicyVersionCommand)
      .rejects(new Error("only the default version is read"))
      .on(GetPolicyVersionCommand, { PolicyArn: customer, VersionId: "v2" })
      .resolves({
        PolicyVersion: {
          Document: encodeURIComponent(
            JSON.stringify({
              Statement: [{ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }],
            }),
          ),
        },
        $metadata: metadata,
      });
    iamMock
      .on(ListRolePoliciesCommand)
      .resolves({ PolicyNames: ["escalate"], IsTruncated: false, $metadata: metadata });
    iamMock.on(GetRolePolicyCommand).resolves({
      PolicyDocument: encodeURIComponent(
        JSON.stringify({ Statement: { Effect: "Allow", Action: "iam:Attach*", Resource: "*" } }),
      ),
      $metadata: metadata,
    });

    const output = await run({ function_name: FUNCTION_NAME });

    expect(output.findings.map((f) => [f.severity, f.kind, f.evidence.policy])).toEqual([
      ["high", "role_policy", customer],
      ["high", "role_policy", "escalate"],
    ]);
    expect(output).toMatchObject({ verdict: "high", complete: true });
  });
});
