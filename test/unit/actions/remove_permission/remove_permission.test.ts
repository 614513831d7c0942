import { GetPolicyCommand, LambdaClient, RemovePermissionCommand } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { removePermissionAction } from "../../../../src/actions/remove_permission/remove_permission.js";
import {
  FUNCTION_ARN,
  FUNCTION_NAME,
  lambdaServiceError,
  metadata,
  rejectedConnectorError,
  resourceNotFound,
  s3TriggerStatement,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const POLICY = JSON.stringify({
  Version: "2012-10-17",
  Id: "default",
  Statement: [
    s3TriggerStatement(),
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

  it("removes the statement and returns it as it was, with the policy's revision before and its undo", async () => {
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
      previous_state_known: true,
      previous_state_error: null,
      function_name: FUNCTION_NAME,
      statement_id: "public-invoke",
      changed: true,
      previous: {
        revision_id: "rev-7",
        statement: {
          sid: "public-invoke",
          effect: "Allow",
          principal: "*",
          action: ["lambda:InvokeFunction"],
          resource: [FUNCTION_ARN],
          conditions: {},
        },
      },
      undo: [
        {
          action: "add_permission",
          inputs: {
            function_name: FUNCTION_NAME,
            statement_id: "public-invoke",
            principal: "*",
            action: "lambda:InvokeFunction",
          },
        },
      ],
    });
  });

  it("restores a conditioned statement with its conditions, on the qualifier it was removed from", async () => {
    lambdaMock
      .on(GetPolicyCommand)
      .resolves({ Policy: POLICY, RevisionId: "rev-7", $metadata: metadata });
    lambdaMock.on(RemovePermissionCommand).resolves({ $metadata: metadata });

    const output = await run({
      function_name: FUNCTION_NAME,
      statement_id: "s3-trigger",
      qualifier: "live",
    });

    expect(output.undo).toEqual([
      {
        action: "add_permission",
        inputs: {
          function_name: FUNCTION_NAME,
          statement_id: "s3-trigger",
          principal: "s3.amazonaws.com",
          action: "lambda:InvokeFunction",
          source_arn: "arn:aws:s3:::incoming-artifacts",
          qualifier: "live",
        },
      },
    ]);
  });

  it("gives no undo for a statement add_permission cannot write, rather than a looser one", async () => {
    const ipScoped = JSON.stringify({
      Statement: [
        {
          Sid: "ip-scoped",
          Effect: "Allow",
          Principal: "*",
          Action: "lambda:InvokeFunction",
          Resource: FUNCTION_ARN,
          Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
        },
      ],
    });
    lambdaMock.on(GetPolicyCommand).resolves({ Policy: ipScoped, $metadata: metadata });
    lambdaMock.on(RemovePermissionCommand).resolves({ $metadata: metadata });

    const output = await run({ function_name: FUNCTION_NAME, statement_id: "ip-scoped" });

    expect(output.changed).toBe(true);
    expect(output.undo).toEqual([]);
    expect(output.previous?.statement?.conditions).toEqual({
      IpAddress: { "aws:SourceIp": "203.0.113.0/24" },
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

  it.each([
    ["has no policy", () => lambdaMock.on(GetPolicyCommand).rejects(resourceNotFound())],
    [
      "has no such statement",
      () => lambdaMock.on(GetPolicyCommand).resolves({ Policy: POLICY, $metadata: metadata }),
    ],
  ])(
    "succeeds with changed: false and sends nothing when the function %s",
    async (_case, prepare) => {
      prepare();

      const output = await run({ function_name: FUNCTION_NAME, statement_id: "gone-already" });

      expect(output).toMatchObject({ changed: false, undo: [], previous: { statement: null } });
      expect(lambdaMock).not.toReceiveCommand(RemovePermissionCommand);
    },
  );

  it("points at statement_id when the statement vanished between the read and the removal", async () => {
    lambdaMock.on(GetPolicyCommand).resolves({ Policy: POLICY, $metadata: metadata });
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
