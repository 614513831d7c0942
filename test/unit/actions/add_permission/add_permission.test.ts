import { AddPermissionCommand, GetPolicyCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { addPermissionAction } from "../../../../src/actions/add_permission/add_permission.js";
import {
  ACCOUNT_ID,
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
const BUCKET_ARN = "arn:aws:s3:::incoming-artifacts";

/** The statement AddPermission answers with: JSON text, as Lambda sends it. */
const ADDED = JSON.stringify({
  Sid: "s3-trigger",
  Effect: "Allow",
  Principal: { Service: "s3.amazonaws.com" },
  Action: "lambda:InvokeFunction",
  Resource: FUNCTION_ARN,
  Condition: {
    StringEquals: { "AWS:SourceAccount": ACCOUNT_ID },
    ArnLike: { "AWS:SourceArn": BUCKET_ARN },
  },
});

const s3Trigger = {
  function_name: FUNCTION_NAME,
  statement_id: "s3-trigger",
  principal: "s3.amazonaws.com",
  source_arn: BUCKET_ARN,
  source_account: ACCOUNT_ID,
};

describe("add_permission", () => {
  const { run } = useActionRun(addPermissionAction, { mock: lambdaMock });

  it("adds the statement to a function without a policy and returns it parsed", async () => {
    // Prepare
    lambdaMock.on(GetPolicyCommand).rejects(resourceNotFound());
    lambdaMock.on(AddPermissionCommand).resolves({ Statement: ADDED, $metadata: metadata });

    // Act
    const output = await run(s3Trigger);

    // Assess
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(AddPermissionCommand, {
      FunctionName: FUNCTION_NAME,
      StatementId: "s3-trigger",
      Principal: "s3.amazonaws.com",
      Action: "lambda:InvokeFunction",
      SourceArn: BUCKET_ARN,
      SourceAccount: ACCOUNT_ID,
    });
    expect(output).toEqual({
      function_name: FUNCTION_NAME,
      statement_id: "s3-trigger",
      statement: {
        sid: "s3-trigger",
        effect: "Allow",
        principal: { Service: "s3.amazonaws.com" },
        action: ["lambda:InvokeFunction"],
        resource: [FUNCTION_ARN],
        conditions: {
          StringEquals: { "AWS:SourceAccount": ACCOUNT_ID },
          ArnLike: { "AWS:SourceArn": BUCKET_ARN },
        },
      },
      previous_statement: null,
      previous_revision_id: null,
    });
  });

  it("returns the revision of the policy it added to, and passes URL auth type and qualifier on", async () => {
    lambdaMock.on(GetPolicyCommand).resolves({
      Policy: JSON.stringify({ Version: "2012-10-17", Statement: [] }),
      RevisionId: "rev-3",
      $metadata: metadata,
    });
    lambdaMock.on(AddPermissionCommand).resolves({ Statement: ADDED, $metadata: metadata });

    const output = await run({
      function_name: FUNCTION_NAME,
      statement_id: "url-iam",
      principal: ACCOUNT_ID,
      action: "lambda:InvokeFunctionUrl",
      function_url_auth_type: "AWS_IAM",
      qualifier: "live",
    });

    expect(lambdaMock).toReceiveCommandExactlyOnceWith(AddPermissionCommand, {
      FunctionName: FUNCTION_NAME,
      StatementId: "url-iam",
      Principal: ACCOUNT_ID,
      Action: "lambda:InvokeFunctionUrl",
      FunctionUrlAuthType: "AWS_IAM",
      Qualifier: "live",
    });
    expect(output.previous_revision_id).toBe("rev-3");
  });

  it("says to pick another statement_id when one with this id exists", async () => {
    lambdaMock.on(GetPolicyCommand).rejects(resourceNotFound());
    lambdaMock
      .on(AddPermissionCommand)
      .rejects(
        lambdaServiceError(
          "ResourceConflictException",
          "The statement id (s3-trigger) provided already exists. Please provide a new statement id, or remove the existing statement.",
          409,
        ),
      );

    const error = await rejectedConnectorError(run(s3Trigger));

    expect(error.hint).toContain("A statement with this statement_id already exists");
  });
});
