import {
  type AliasConfiguration,
  type EventSourceMappingConfiguration,
  GetFunctionCommand,
  GetFunctionUrlConfigCommand,
  type GetFunctionUrlConfigCommandInput,
  GetPolicyCommand,
  type GetPolicyCommandInput,
  LambdaClient,
  ListAliasesCommand,
  ListEventSourceMappingsCommand,
  ListVersionsByFunctionCommand,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import {
  assessFunctionExposureAction,
  MAX_QUALIFIERS,
} from "../../../../src/actions/assess_function_exposure/assess_function_exposure.js";
import { runConnector } from "../../../../src/runConnector.js";
import { parseErrorLine } from "../../../../src/turbine/contract.js";
import {
  ACCOUNT_ID,
  FUNCTION_ARN,
  FUNCTION_NAME,
  functionConfiguration,
  functionNotFound,
  keysAsset,
  metadata,
  REGION,
  rejectedConnectorError,
  resourceNotFound,
  s3TriggerStatement,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:indicators`;
const LIVE_URL = "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/";
const TRIGGER_UUID = "a1b2c3d4-0000-4000-8000-000000000001";

/** The function, its aliases, versions and triggers, and each qualifier's policy and URL. */
interface Estate {
  aliases?: AliasConfiguration[];
  aliasesMarker?: string;
  versions?: string[];
  mappings?: EventSourceMappingConfiguration[];
  /** Statements by qualifier ("" for the function itself); none means no policy. */
  policies?: Record<string, unknown[]>;
  /** Auth type of the URL by qualifier ("" for the function itself); none means no URL. */
  urls?: Record<string, "NONE" | "AWS_IAM">;
}

function serve(estate: Estate): void {
  lambdaMock.on(GetFunctionCommand).resolves({
    Configuration: functionConfiguration(),
    Concurrency: { ReservedConcurrentExecutions: 10 },
    $metadata: metadata,
  });
  lambdaMock.on(ListAliasesCommand).resolves({
    Aliases: estate.aliases ?? [],
    ...(estate.aliasesMarker === undefined ? {} : { NextMarker: estate.aliasesMarker }),
    $metadata: metadata,
  });
  lambdaMock.on(ListVersionsByFunctionCommand).resolves({
    Versions: ["$LATEST", ...(estate.versions ?? [])].map((version) =>
      functionConfiguration({ Version: version }),
    ),
    $metadata: metadata,
  });
  lambdaMock.on(ListEventSourceMappingsCommand).resolves({
    EventSourceMappings: estate.mappings ?? [],
    $metadata: metadata,
  });
  lambdaMock.on(GetPolicyCommand).callsFake((input: GetPolicyCommandInput) => {
    const statements = estate.policies?.[input.Qualifier ?? ""];
    if (statements === undefined) {
      throw resourceNotFound();
    }
    return {
      Policy: JSON.stringify({ Version: "2012-10-17", Id: "default", Statement: statements }),
      RevisionId: "rev-1",
      $metadata: metadata,
    };
  });
  lambdaMock
    .on(GetFunctionUrlConfigCommand)
    .callsFake((input: GetFunctionUrlConfigCommandInput) => {
      const authType = estate.urls?.[input.Qualifier ?? ""];
      if (authType === undefined) {
        throw resourceNotFound();
      }
      return { FunctionUrl: LIVE_URL, AuthType: authType, $metadata: metadata };
    });
}

const publicInvoke = {
  Sid: "public-invoke",
  Effect: "Allow",
  Principal: "*",
  Action: "lambda:InvokeFunction",
  Resource: FUNCTION_ARN,
};
const s3Trigger = s3TriggerStatement();
const publicUrl = {
  Sid: "public-url",
  Effect: "Allow",
  Principal: "*",
  Action: "lambda:InvokeFunctionUrl",
  Resource: `${FUNCTION_ARN}:live`,
  Condition: { StringEquals: { "lambda:FunctionUrlAuthType": "NONE" } },
};
const partnerInvoke = {
  Sid: "partner-invoke",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::210987654321:root" },
  Action: "lambda:InvokeFunction",
  Resource: `${FUNCTION_ARN}:3`,
};

describe("assess_function_exposure", () => {
  const { run } = useActionRun(assessFunctionExposureAction, { mock: lambdaMock });

  it("finds every way in, on the function, its alias and its version, worst first, each with its containment", async () => {
    // Prepare
    serve({
      aliases: [{ Name: "live", FunctionVersion: "3", AliasArn: `${FUNCTION_ARN}:live` }],
      versions: ["3"],
      mappings: [
        { UUID: TRIGGER_UUID, EventSourceArn: QUEUE_ARN, State: "Enabled" },
        {
          UUID: "a1b2c3d4-0000-4000-8000-000000000002",
          EventSourceArn: QUEUE_ARN,
          State: "Disabled",
        },
      ],
      policies: { "": [s3Trigger, publicInvoke], "3": [partnerInvoke], live: [publicUrl] },
      urls: { live: "NONE" },
    });

    // Act
    const output = await run({ function_name: FUNCTION_NAME });

    // Assess
    expect(output).toMatchObject({
      function_name: FUNCTION_NAME,
      function_arn: FUNCTION_ARN,
      exposed: true,
      complete: true,
      reserved_concurrent_executions: 10,
      checked: {
        qualifiers: ["live", "3"],
        policy_statements: 4,
        function_urls: 1,
        event_source_mappings: 2,
        qualifiers_truncated: false,
      },
    });
    expect(
      output.findings.map(({ severity, kind, qualifier, containment }) => ({
        severity,
        kind,
        qualifier,
        containment,
      })),
    ).toEqual([
      {
        severity: "high",
        kind: "resource_policy",
        qualifier: null,
        containment: {
          action: "remove_permission",
          inputs: { function_name: FUNCTION_NAME, statement_id: "public-invoke" },
        },
      },
      {
        severity: "high",
        kind: "resource_policy",
        qualifier: "live",
        containment: {
          action: "remove_permission",
          inputs: { function_name: FUNCTION_NAME, qualifier: "live", statement_id: "public-url" },
        },
      },
      {
        severity: "high",
        kind: "function_url",
        qualifier: "live",
        containment: {
          action: "update_function_url_config",
          inputs: { function_name: FUNCTION_NAME, qualifier: "live", auth_type: "AWS_IAM" },
        },
      },
      {
        severity: "medium",
        kind: "resource_policy",
        qualifier: "3",
        containment: {
          action: "remove_permission",
          inputs: { function_name: FUNCTION_NAME, qualifier: "3", statement_id: "partner-invoke" },
        },
      },
      {
        severity: "info",
        kind: "event_source_mapping",
        qualifier: null,
        containment: {
          action: "update_event_source_mapping",
          inputs: { uuid: TRIGGER_UUID, enabled: false },
        },
      },
    ]);
    expect(output.findings[0]?.what).toBe(
      "Statement public-invoke allows anyone to call lambda:InvokeFunction.",
    );
    expect(output.findings[2]?.what).toContain(LIVE_URL);
    expect(output.findings[3]?.what).toContain("account 210987654321");
    expect(assessFunctionExposureAction.output.safeParse(output).success).toBe(true);
  });

  it("checks each qualifier's policy, and URLs only where they can exist (not on versions)", async () => {
    serve({
      aliases: [{ Name: "live", FunctionVersion: "3" }],
      versions: ["2", "3"],
    });

    await run({ function_name: FUNCTION_NAME });

    expect(lambdaMock.commandCalls(GetPolicyCommand).map((c) => c.args[0].input.Qualifier)).toEqual(
      [undefined, "live", "2", "3"],
    );
    expect(
      lambdaMock.commandCalls(GetFunctionUrlConfigCommand).map((c) => c.args[0].input.Qualifier),
    ).toEqual([undefined, "live"]);
  });

  it("is not exposed when nothing but an IAM-authenticated URL and a narrowed trigger exist", async () => {
    serve({ policies: { "": [s3Trigger] }, urls: { "": "AWS_IAM" } });

    const output = await run({ function_name: FUNCTION_NAME });

    expect(output).toMatchObject({
      exposed: false,
      findings: [],
      checked: {
        qualifiers: [],
        policy_statements: 1,
        function_urls: 1,
        event_source_mappings: 0,
        qualifiers_truncated: false,
      },
    });
  });

  it("walks every page of aliases and checks each, the last page's too", async () => {
    serve({});
    const aliases = Array.from({ length: 120 }, (_, i) => ({
      Name: `canary-${i}`,
      FunctionVersion: "1",
    }));
    lambdaMock.on(ListAliasesCommand).callsFake((input: { Marker?: string; MaxItems?: number }) => {
      const from = Number(input.Marker ?? "0");
      const to = from + (input.MaxItems ?? 50);
      return {
        Aliases: aliases.slice(from, to),
        ...(to < aliases.length ? { NextMarker: String(to) } : {}),
        $metadata: metadata,
      };
    });
    const lastAlias = `canary-${aliases.length - 1}`;
    lambdaMock
      .on(GetPolicyCommand, { FunctionName: FUNCTION_NAME, Qualifier: lastAlias })
      .resolves({ Policy: JSON.stringify({ Statement: [publicInvoke] }), $metadata: metadata });

    const output = await run({ function_name: FUNCTION_NAME });

    expect(output.checked.qualifiers).toHaveLength(aliases.length);
    expect(output).toMatchObject({
      exposed: true,
      complete: true,
      checked: { qualifiers_truncated: false },
    });
    expect(output.findings[0]).toMatchObject({ severity: "high", qualifier: lastAlias });
  });

  it("says the verdict is not complete when the alias walk could not finish", async () => {
    serve({});
    // More items than asked for: the executor cuts the page and says more exist.
    lambdaMock.on(ListAliasesCommand).callsFake((input: { MaxItems?: number }) => ({
      Aliases: Array.from({ length: (input.MaxItems ?? 50) + 1 }, (_, i) => ({
        Name: `canary-${i}`,
        FunctionVersion: "1",
      })),
      $metadata: metadata,
    }));

    const output = await run({ function_name: FUNCTION_NAME });

    expect(output).toMatchObject({
      exposed: false,
      complete: false,
      checked: { qualifiers_truncated: true },
    });
    expect(MAX_QUALIFIERS).toBeGreaterThan(50);
  });

  it("fails as not_found, naming the function and the region, before reading anything else", async () => {
    lambdaMock.on(GetFunctionCommand).rejects(functionNotFound());

    const error = await rejectedConnectorError(run({ function_name: FUNCTION_NAME }));

    expect(error.code).toBe("not_found");
    expect(error.message).toContain(`Function ${FUNCTION_NAME} was not found in region ${REGION}`);
    expect(lambdaMock).not.toReceiveCommand(GetPolicyCommand);
  });

  it.each([`${FUNCTION_NAME}:live`, `${FUNCTION_ARN}:3`])(
    "refuses the qualified %s with exit 2 naming function_name, before any call",
    async (name) => {
      const result = await runConnector(
        "assess_function_exposure",
        JSON.stringify({ asset: keysAsset, inputs: { function_name: name } }),
      );

      expect(result.exitCode).toBe(2);
      const line = parseErrorLine(result.stderr.trimEnd().split("\n").at(-1) ?? "");
      expect(line?.field).toContain("function_name");
      expect(line?.message).toContain("without a version or alias");
      expect(lambdaMock.calls()).toHaveLength(0);
    },
  );
});
