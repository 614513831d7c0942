import { GetPolicyCommand, LambdaClient, RemovePermissionCommand } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { removePermissionAction } from "../../../../src/actions/remove_permission/remove_permission.js";
import {
  FUNCTION_ARN,
  FUNCTION_NAME,
  lambdaServiceError,
  REQUEST_ID,
  rejectedConnectorError,
  resourceNotFound,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const metadata = { httpStatusCode: 200, requestId: REQUEST_ID };

const POLICY = JSON.stringify({
  Version: "2012-10-17",
  Id: "default",
  Statement: [
    {
      Sid: "s3-trigger",
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: "lambda:InvokeFunction",
      Resource: FUNCTION_ARN,
      Condition: { ArnLike: { "AWS:SourceArn": "arn:aws:s3:::incoming-artifacts" } },
    },
    {
      Sid: "public-invoke",
      Effect: "Allow",
      Principal: "*",
      Action: "lambda:InvokeFunction",
      Resource: FUNCTION_ARN,
    },
  ],
});

describe("remove_permission", () => {
  const { run } = useActionRun(removePermissionAction, { mock: lambdaMock });

  it("removes the statement and returns it as it was, with the policy's revision before", async () => {
    // Prepare
    lambdaMock
      .on(GetPolicyCommand)
      .resolves({ Policy: POLICY, RevisionId: "rev-7", $metadata: metadata });
    lambdaMock.on(RemovePermissionCommand).resolves({ $metadata: metadata });

    // Act
    const output = await run({ function_name: FUNCTION_NAME, statement_id: "public-invoke" });

    // Assess
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(RemovePermissionCommand, {
      FunctionName: FUNCTION_NAME,
      StatementId: "public-invoke",
    });
    expect(lambdaMock).not.toReceiveCommandWith(RemovePermissionCommand, {
      RevisionId: expect.anything(),
    });
    expect(output).toEqual({
      function_name: FUNCTION_NAME,
      statement_id: "public-invoke",
      removed: true,
      removed_statement: {
        sid: "public-invoke",
        effect: "Allow",
        principal: "*",
        action: ["lambda:InvokeFunction"],
        resource: [FUNCTION_ARN],
        conditions: {},
      },
      previous_revision_id: "rev-7",
    });
  });

  it("passes the qualifier and the revision on, reading that qualifier's policy", async () => {
    lambdaMock
      .on(GetPolicyCommand)
      .resolves({ Policy: POLICY, RevisionId: "rev-7", $metadata: metadata });
    lambdaMock.on(RemovePermissionCommand).resolves({ $metadata: metadata });

    await run({
      function_name: FUNCTION_NAME,
      statement_id: "s3-trigger",
      qualifier: "live",
      revision_id: "rev-7",
    });

    expect(lambdaMock).toReceiveCommandExactlyOnceWith(GetPolicyCommand, {
      FunctionName: FUNCTION_NAME,
      Qualifier: "live",
    });
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(RemovePermissionCommand, {
      FunctionName: FUNCTION_NAME,
      StatementId: "s3-trigger",
      Qualifier: "live",
      RevisionId: "rev-7",
    });
  });

  it("points at statement_id when the function has no such statement", async () => {
    lambdaMock.on(GetPolicyCommand).rejects(resourceNotFound());
    lambdaMock.on(RemovePermissionCommand).rejects(resourceNotFound());

    const error = await rejectedConnectorError(
      run({ function_name: FUNCTION_NAME, statement_id: "public-invoke" }),
    );

    expect(error.code).toBe("not_found");
    expect(error.hint).toContain("Check statement_id against get_policy's statements");
  });

  it("says to read the policy again when it changed since revision_id", async () => {
    lambdaMock
      .on(GetPolicyCommand)
      .resolves({ Policy: POLICY, RevisionId: "rev-8", $metadata: metadata });
    lambdaMock
      .on(RemovePermissionCommand)
      .rejects(
        lambdaServiceError(
          "PreconditionFailedException",
          "The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id",
          412,
        ),
      );

    const error = await rejectedConnectorError(
      run({ function_name: FUNCTION_NAME, statement_id: "public-invoke", revision_id: "rev-7" }),
    );

    expect(error.awsErrorCode).toBe("PreconditionFailedException");
    expect(error.hint).toContain("run get_policy again and use its revision_id");
  });
});
