import { GetFunctionCommand, LambdaClient, TagResourceCommand } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { tagFunctionAction } from "../../../../src/actions/tag_function/tag_function.js";
import {
  FUNCTION_ARN,
  FUNCTION_NAME,
  functionConfiguration,
  REQUEST_ID,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const metadata = { httpStatusCode: 200, requestId: REQUEST_ID };

describe("tag_function", () => {
  const { run } = useActionRun(tagFunctionAction, { mock: lambdaMock });

  beforeEach(() => {
    lambdaMock.on(GetFunctionCommand).resolves({
      Configuration: functionConfiguration(),
      Tags: { owner: "soc", quarantine: "false" },
      $metadata: metadata,
    });
    lambdaMock.on(TagResourceCommand).resolves({ $metadata: metadata });
  });

  it("tags the function's ARN and returns each key's value before", async () => {
    // Act
    const output = await run({
      function_name: FUNCTION_NAME,
      tags: { quarantine: "true", case: "SW-1234" },
    });

    // Assess
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(GetFunctionCommand, {
      FunctionName: FUNCTION_NAME,
    });
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(TagResourceCommand, {
      Resource: FUNCTION_ARN,
      Tags: { quarantine: "true", case: "SW-1234" },
    });
    expect(output).toEqual({
      function_name: FUNCTION_NAME,
      arn: FUNCTION_ARN,
      tags: { owner: "soc", quarantine: "true", case: "SW-1234" },
      previous_values: { quarantine: "false", case: null },
    });
  });

  it("accepts a tag key of 128 characters and a value of 256, AWS's limits", () => {
    const tags = { ["k".repeat(128)]: "v".repeat(256) };

    expect(tagFunctionAction.inputs.parse({ function_name: FUNCTION_NAME, tags }).tags).toEqual(
      tags,
    );
  });
});
