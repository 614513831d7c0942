import {
  GetFunctionCommand,
  type GetFunctionCommandOutput,
  LambdaClient,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { getFunctionAction } from "../../../../src/actions/get_function/get_function.js";
import {
  ACCOUNT_ID,
  FUNCTION_NAME,
  functionConfiguration,
  functionSummary,
  REGION,
  REQUEST_ID,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const CODE_URL =
  "https://awslambda-us-east-1-tasks.s3.us-east-1.amazonaws.com/snapshots/123456789012/enrich-indicator-5f1c?X-Amz-Signature=EXAMPLE";
const LAYER_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:layer:shared-enrichment-libs:4`;

/** GetFunction's answer for a function in a VPC, with secrets in its environment. */
function getFunctionResponse(
  overrides: Partial<GetFunctionCommandOutput> = {},
): GetFunctionCommandOutput {
  return {
    Configuration: functionConfiguration({
      Description: "Enriches indicators from VirusTotal",
      PackageType: "Zip",
      Architectures: ["arm64"],
      CodeSize: 4096,
      CodeSha256: "q9kD2x2cYQ3m0Gm4m0bIh0yQ1lQ7Yv3c0o5rJmQeB1E=",
      LastUpdateStatus: "Successful",
      Environment: { Variables: { VT_API_KEY: "vt-live-4f9a0c", LOG_LEVEL: "info" } },
      Layers: [{ Arn: LAYER_ARN, CodeSize: 1024 }],
      VpcConfig: {
        VpcId: "vpc-0a1b2c3d",
        SubnetIds: ["subnet-0a1b2c3d"],
        SecurityGroupIds: ["sg-0a1b2c3d"],
      },
    }),
    Code: { RepositoryType: "S3", Location: CODE_URL },
    Tags: { owner: "soc" },
    Concurrency: { ReservedConcurrentExecutions: 5 },
    $metadata: { httpStatusCode: 200, requestId: REQUEST_ID },
    ...overrides,
  };
}

describe("get_function", () => {
  const { run } = useActionRun(getFunctionAction, { mock: lambdaMock });

  it("describes the function, with environment values masked and no code location", async () => {
    // Prepare
    lambdaMock.on(GetFunctionCommand).resolves(getFunctionResponse());

    // Act
    const output = await run({ function_name: FUNCTION_NAME });

    // Assess
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(GetFunctionCommand, {
      FunctionName: FUNCTION_NAME,
    });
    expect(lambdaMock).not.toReceiveCommandWith(GetFunctionCommand, {
      Qualifier: expect.anything(),
    });
    expect(output).toEqual({
      function: functionSummary({
        version: "$LATEST",
        description: "Enriches indicators from VirusTotal",
        package_type: "Zip",
        architectures: ["arm64"],
        code_size: 4096,
        code_sha256: "q9kD2x2cYQ3m0Gm4m0bIh0yQ1lQ7Yv3c0o5rJmQeB1E=",
        state_reason: null,
        last_update_status: "Successful",
        last_update_status_reason: null,
      }),
      execution_role: `arn:aws:iam::${ACCOUNT_ID}:role/${FUNCTION_NAME}-exec`,
      reserved_concurrent_executions: 5,
      tags: { owner: "soc" },
      layers: [{ arn: LAYER_ARN, code_size: 1024 }],
      vpc: {
        vpc_id: "vpc-0a1b2c3d",
        subnet_ids: ["subnet-0a1b2c3d"],
        security_group_ids: ["sg-0a1b2c3d"],
      },
      environment: {
        names: ["LOG_LEVEL", "VT_API_KEY"],
        variables: { LOG_LEVEL: "***", VT_API_KEY: "***" },
        values_masked: true,
      },
      code_location: null,
    });
    expect(JSON.stringify(output)).not.toContain("vt-live-4f9a0c");
    expect(getFunctionAction.output.safeParse(output).success).toBe(true);
  });

  it.each([
    [
      "include_environment_values",
      { include_environment_values: true },
      {
        environment: {
          names: ["LOG_LEVEL", "VT_API_KEY"],
          variables: { LOG_LEVEL: "info", VT_API_KEY: "vt-live-4f9a0c" },
          values_masked: false,
        },
        code_location: null,
      },
    ],
    [
      "include_code_location",
      { include_code_location: true },
      {
        environment: {
          names: ["LOG_LEVEL", "VT_API_KEY"],
          variables: { LOG_LEVEL: "***", VT_API_KEY: "***" },
          values_masked: true,
        },
        code_location: CODE_URL,
      },
    ],
  ])("with %s, returns what it reveals and nothing more", async (_flag, flags, expected) => {
    lambdaMock.on(GetFunctionCommand).resolves(getFunctionResponse());

    const output = await run({ function_name: FUNCTION_NAME, ...flags });

    expect(output).toMatchObject(expected);
  });

  it("asks for the qualifier's configuration", async () => {
    lambdaMock.on(GetFunctionCommand).resolves(getFunctionResponse());

    await run({ function_name: FUNCTION_NAME, qualifier: "live" });

    expect(lambdaMock).toReceiveCommandExactlyOnceWith(GetFunctionCommand, {
      FunctionName: FUNCTION_NAME,
      Qualifier: "live",
    });
  });

  it("gives no VPC, no tags and no reserved concurrency when the function has none", async () => {
    lambdaMock.on(GetFunctionCommand).resolves({
      // Lambda answers an empty VpcConfig for a function outside any VPC.
      Configuration: functionConfiguration({
        VpcConfig: { VpcId: "", SubnetIds: [], SecurityGroupIds: [] },
      }),
      $metadata: { httpStatusCode: 200, requestId: REQUEST_ID },
    });

    const output = await run({ function_name: FUNCTION_NAME });

    expect(output).toMatchObject({
      vpc: null,
      tags: {},
      reserved_concurrent_executions: null,
      layers: [],
      environment: { names: [], variables: {}, values_masked: true },
    });
  });
});
