import { GetFunctionCommand, LambdaClient, UntagResourceCommand } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { untagFunctionAction } from "../../../../src/actions/untag_function/untag_function.js";
import {
  FUNCTION_ARN,
  FUNCTION_NAME,
  functionConfiguration,
  REQUEST_ID,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const metadata = { httpStatusCode: 200, requestId: REQUEST_ID };

describe("untag_function", () => {
  const { run } = useActionRun(untagFunctionAction, { mock: lambdaMock });

  beforeEach(() => {
    lambdaMock.on(GetFunctionCommand).resolves({
      Configuration: functionConfiguration(),
      Tags: { owner: "soc", quarantine: "true", case: "SW-1234" },
      $metadata: metadata,
    });
    lambdaMock.on(UntagResourceCommand).resolves({ $metadata: metadata });
  });

  it("removes the keys from the function's ARN and returns their values, to restore them", async () => {
    // Act
    const output = await run({
      function_name: FUNCTION_NAME,
      tag_keys: ["quarantine", "case", "ticket"],
    });

    // Assess
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(UntagResourceCommand, {
      Resource: FUNCTION_ARN,
      TagKeys: ["quarantine", "case", "ticket"],
    });
    expect(output).toEqual({
      function_name: FUNCTION_NAME,
      arn: FUNCTION_ARN,
      tags: { owner: "soc" },
      previous_values: { quarantine: "true", case: "SW-1234", ticket: null },
    });
  });
});
