import { IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recreateStep } from "../../../src/actions/create_event_source_mapping/create_event_source_mapping.js";
import {
  isQuarantineDocument,
  QUARANTINE_POLICY_NAME,
  quarantineDocument,
  revokedBeforeOf,
  roleNameOf,
} from "../../../src/actions/executionRole.js";
import { quarantineExecutionRoleAction } from "../../../src/actions/quarantine_execution_role/quarantine_execution_role.js";
import { releaseExecutionRoleAction } from "../../../src/actions/release_execution_role/release_execution_role.js";
import { Executor } from "../../../src/aws/executor.js";
import { fakeTime, keysAsset, REQUEST_ID, validAsset } from "../../fixtures.js";

const iamMock = mockClient(IAMClient);
const SUCCESS = { $metadata: { httpStatusCode: 200, requestId: REQUEST_ID } };

describe("the quarantine policy", () => {
  it("denies everything, and every session issued before the instant it names", () => {
    const document = quarantineDocument("2026-12-02T04:00:00Z");

    expect(isQuarantineDocument(document)).toBe(true);
    expect(revokedBeforeOf(document)).toBe("2026-12-02T04:00:00Z");
    expect(JSON.stringify(document)).toContain('"aws:TokenIssueTime":"2026-12-02T04:00:00Z"');
  });

  it("is told apart from another policy of the same name", () => {
    const foreign = { Statement: [{ Sid: "TurbineQuarantineDenyAll", Effect: "Allow" }] };

    expect(isQuarantineDocument(foreign)).toBe(false);
    expect(isQuarantineDocument(null)).toBe(false);
    expect(isQuarantineDocument({ Statement: "*" })).toBe(false);
    expect(revokedBeforeOf(foreign)).toBeNull();
  });

  it("names the role by the last part of its ARN, whatever its path", () => {
    expect(roleNameOf("arn:aws:iam::123456789012:role/service-role/echo-role")).toBe("echo-role");
  });
});

describe("the role actions, around the IAM client", () => {
  let executor: Executor;

  beforeEach(() => {
    iamMock.reset();
    executor = new Executor(validAsset(keysAsset), {
      ...fakeTime(),
      now: () => Date.UTC(2026, 11, 2, 4, 0, 0, 750),
    });
  });

  afterEach(() => {
    executor.destroy();
  });

  it("puts the policy with the revocation instant of the executor's clock, to the second", async () => {
    iamMock.rejects(
      Object.assign(new Error("The role policy with name TurbineQuarantine cannot be found."), {
        name: "NoSuchEntityException",
        $metadata: { httpStatusCode: 404, requestId: REQUEST_ID },
      }),
    );
    iamMock.on(PutRolePolicyCommand).resolves(SUCCESS);

    const output = await quarantineExecutionRoleAction.run(
      quarantineExecutionRoleAction.inputs.parse({
        role_name: "echo-role",
        confirm_role_name: "echo-role",
      }),
      executor,
    );

    const put = iamMock.commandCalls(PutRolePolicyCommand)[0]?.args[0].input;
    expect(put?.PolicyName).toBe(QUARANTINE_POLICY_NAME);
    expect(JSON.parse(put?.PolicyDocument ?? "{}")).toEqual(
      quarantineDocument("2026-12-02T04:00:00Z"),
    );
    expect(output).toMatchObject({
      changed: true,
      previous: { quarantine: null },
      role: { role_arn: null },
    });
  });

  it("refuses inputs that name no role, or both the function and the role", () => {
    expect(() => quarantineExecutionRoleAction.inputs.parse({ confirm_role_name: "x" })).toThrow(
      "give exactly one of function_name and role_name",
    );
    expect(() =>
      quarantineExecutionRoleAction.inputs.parse({
        function_name: "echo",
        role_name: "echo-role",
        confirm_role_name: "echo-role",
      }),
    ).toThrow("give exactly one of function_name and role_name");
    expect(() => releaseExecutionRoleAction.inputs.parse({ role_name: "a/b" })).toThrow(
      "IAM role name",
    );
  });
});

describe("delete_event_source_mapping's undo", () => {
  it("re-creates the mapping as AWS described it, disabled when it was", () => {
    expect(
      recreateStep({
        FunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:f",
        EventSourceArn: "arn:aws:sqs:us-east-1:123456789012:q",
        State: "Disabled",
        BatchSize: 5,
        MaximumBatchingWindowInSeconds: 2,
      }),
    ).toEqual({
      action: "create_event_source_mapping",
      inputs: {
        function_name: "arn:aws:lambda:us-east-1:123456789012:function:f",
        event_source_arn: "arn:aws:sqs:us-east-1:123456789012:q",
        enabled: false,
        batch_size: 5,
        maximum_batching_window_in_seconds: 2,
      },
    });
  });
});
