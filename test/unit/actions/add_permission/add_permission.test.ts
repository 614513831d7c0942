import { AddPermissionCommand, GetPolicyCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { addPermissionAction } from "../../../../src/actions/add_permission/add_permission.js";
import { InvalidInputError } from "../../../../src/errors.js";
import { parseDocument } from "../../../../src/validation.js";
import {
  ACCOUNT_ID,
  FUNCTION_NAME,
  lambdaServiceError,
  metadata,
  printedS3Trigger,
  rejectedConnectorError,
  resourceNotFound,
  s3TriggerStatement,
  thrownConnectorError,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const BUCKET_ARN = "arn:aws:s3:::incoming-artifacts";

/** The statement AddPermission answers with: JSON text, as Lambda sends it. */
const ADDED = JSON.stringify(s3TriggerStatement({ account: true }));

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
      previous_state_known: true,
      previous_state_error: null,
      function_name: FUNCTION_NAME,
      statement_id: "s3-trigger",
      changed: true,
      statement: printedS3Trigger({ account: true }),
      previous: { revision_id: null, statement: null },
      undo: [
        {
          action: "remove_permission",
          inputs: { function_name: FUNCTION_NAME, statement_id: "s3-trigger" },
        },
      ],
    });
  });

  it("passes every condition AddPermission takes", async () => {
    lambdaMock.on(GetPolicyCommand).rejects(resourceNotFound());
    lambdaMock.on(AddPermissionCommand).resolves({ Statement: ADDED, $metadata: metadata });

    await run({
      function_name: FUNCTION_NAME,
      statement_id: "org-url",
      principal: "*",
      principal_org_id: "o-a1b2c3d4e5",
      event_source_token: "amzn1.ask.skill.1234",
      invoked_via_function_url: true,
      revision_id: "rev-3",
    });

    expect(lambdaMock).toReceiveCommandExactlyOnceWith(AddPermissionCommand, {
      FunctionName: FUNCTION_NAME,
      StatementId: "org-url",
      Principal: "*",
      Action: "lambda:InvokeFunction",
      PrincipalOrgID: "o-a1b2c3d4e5",
      EventSourceToken: "amzn1.ask.skill.1234",
      InvokedViaFunctionUrl: true,
      RevisionId: "rev-3",
    });
  });

  it("succeeds with changed: false and sends nothing when the same statement is in place", async () => {
    lambdaMock.on(GetPolicyCommand).resolves({
      Policy: JSON.stringify({ Statement: [JSON.parse(ADDED)] }),
      RevisionId: "rev-4",
      $metadata: metadata,
    });

    const output = await run(s3Trigger);

    expect(output).toMatchObject({
      changed: false,
      undo: [],
      previous: { revision_id: "rev-4", statement: { sid: "s3-trigger" } },
    });
    expect(lambdaMock).not.toReceiveCommand(AddPermissionCommand);
  });

  it("sends AddPermission when a statement with this id grants something else", async () => {
    lambdaMock.on(GetPolicyCommand).resolves({
      Policy: JSON.stringify({ Statement: [JSON.parse(ADDED)] }),
      $metadata: metadata,
    });
    lambdaMock.on(AddPermissionCommand).resolves({ Statement: ADDED, $metadata: metadata });

    await run({ ...s3Trigger, source_account: "210987654321" });

    expect(lambdaMock).toReceiveCommandTimes(AddPermissionCommand, 1);
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
    expect(output.previous?.revision_id).toBe("rev-3");
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

  it.each([
    [{ ...s3Trigger, principal: undefined }, "principal"],
    [{ ...s3Trigger, action: "InvokeFunction" }, "action"],
    [{ ...s3Trigger, source_account: "12345" }, "source_account"],
    [{ ...s3Trigger, function_url_auth_type: "PUBLIC" }, "function_url_auth_type"],
    [{ ...s3Trigger, statement_id: "s3 trigger" }, "statement_id"],
    [{ ...s3Trigger, principal_org_id: "a1b2c3d4e5" }, "principal_org_id"],
    [{ ...s3Trigger, event_source_token: "token with spaces" }, "event_source_token"],
    [{ ...s3Trigger, invoked_via_function_url: "true" }, "invoked_via_function_url"],
  ])("refuses %j, naming %s", (raw, field) => {
    const error = thrownConnectorError(() =>
      parseDocument(addPermissionAction.inputs, raw, "inputs"),
    );

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe(field);
  });
});
