import { GetPolicyCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { getPolicyAction } from "../../../../src/actions/get_policy/get_policy.js";
import {
  FUNCTION_ARN,
  FUNCTION_NAME,
  printedS3Trigger,
  REQUEST_ID,
  resourceNotFound,
  s3TriggerStatement,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

/** A policy as Lambda keeps it: a trigger narrowed to its bucket, and a public grant. */
const POLICY = {
  Version: "2012-10-17",
  Id: "default",
  Statement: [
    s3TriggerStatement({ account: true }),
    {
      Sid: "public-invoke",
      Effect: "Allow",
      Principal: "*",
      Action: ["lambda:InvokeFunction", "lambda:GetFunction"],
      Resource: FUNCTION_ARN,
    },
  ],
};

describe("get_policy", () => {
  const { run } = useActionRun(getPolicyAction, { mock: lambdaMock });

  it("parses the policy text into one entry per statement, lists widened", async () => {
    // Prepare
    lambdaMock.on(GetPolicyCommand).resolves({
      Policy: JSON.stringify(POLICY),
      RevisionId: "4b3c1e7a-rev",
      $metadata: { httpStatusCode: 200, requestId: REQUEST_ID },
    });

    // Act
    const output = await run({ function_name: FUNCTION_NAME });

    // Assess
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(GetPolicyCommand, {
      FunctionName: FUNCTION_NAME,
    });
    expect(output).toEqual({
      function_name: FUNCTION_NAME,
      qualifier: null,
      has_policy: true,
      revision_id: "4b3c1e7a-rev",
      statements: [
        printedS3Trigger({ account: true }),
        {
          sid: "public-invoke",
          effect: "Allow",
          principal: "*",
          action: ["lambda:InvokeFunction", "lambda:GetFunction"],
          resource: [FUNCTION_ARN],
          conditions: {},
        },
      ],
      policy: POLICY,
    });
    // The policy is an object in the output, never JSON text inside JSON.
    expect(JSON.stringify(output)).not.toContain('\\"Statement\\"');
  });

  it("reads the policy of the qualifier asked for", async () => {
    lambdaMock.on(GetPolicyCommand).resolves({
      Policy: JSON.stringify(POLICY),
      $metadata: { httpStatusCode: 200, requestId: REQUEST_ID },
    });

    const output = await run({ function_name: FUNCTION_NAME, qualifier: "live" });

    expect(lambdaMock).toReceiveCommandExactlyOnceWith(GetPolicyCommand, {
      FunctionName: FUNCTION_NAME,
      Qualifier: "live",
    });
    expect(output.qualifier).toBe("live");
  });

  it("succeeds with has_policy false and no statements when the function has no policy", async () => {
    lambdaMock.on(GetPolicyCommand).rejects(resourceNotFound());

    const output = await run({ function_name: FUNCTION_NAME });

    expect(output).toEqual({
      function_name: FUNCTION_NAME,
      qualifier: null,
      has_policy: false,
      revision_id: null,
      statements: [],
      policy: null,
    });
  });
});
