import {
  CreateFunctionCommand,
  GetPolicyCommand,
  LambdaClient,
  RemovePermissionCommand,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFunctionAction } from "../../../src/actions/create_function/create_function.js";
import { getPolicyAction } from "../../../src/actions/get_policy/get_policy.js";
import { putFunctionConcurrencyAction } from "../../../src/actions/put_function_concurrency/put_function_concurrency.js";
import { removePermissionAction } from "../../../src/actions/remove_permission/remove_permission.js";
import { Executor } from "../../../src/aws/executor.js";
import {
  ACCOUNT_ID,
  accessDenied,
  FUNCTION_NAME,
  HANDLER_ZIP_BASE64,
  keysAsset,
  REQUEST_ID,
  rejectedConnectorError,
  resourceNotFound,
  validAsset,
} from "../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

/** How the executor explains failures of declared actions, across actions. */
describe("errors of declared actions", () => {
  let executor: Executor;

  beforeEach(() => {
    lambdaMock.reset();
    executor = new Executor(validAsset(keysAsset));
  });

  afterEach(() => {
    executor.destroy();
  });

  it("gives a qualified call the qualified-ARN rule when access is denied", async () => {
    const arn = `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:${FUNCTION_NAME}:live`;
    lambdaMock.on(GetPolicyCommand).rejects(accessDenied("lambda:GetPolicy", arn));

    const error = await rejectedConnectorError(
      getPolicyAction.run(
        getPolicyAction.inputs.parse({ function_name: FUNCTION_NAME, qualifier: "live" }),
        executor,
      ),
    );

    expect(error.hint).toContain(`Grant lambda:GetPolicy on exactly ${arn}`);
    expect(error.hint).toContain("a qualified call needs the qualified ARN");
  });

  it("names the action AWS refused, when an operation needs more than its own (iam:PassRole)", async () => {
    const role = `arn:aws:iam::${ACCOUNT_ID}:role/triage-helper-exec`;
    lambdaMock.on(CreateFunctionCommand).rejects(accessDenied("iam:PassRole", role));

    const error = await rejectedConnectorError(
      createFunctionAction.run(
        createFunctionAction.inputs.parse({
          function_name: "triage-helper",
          runtime: "python3.12",
          handler: "app.handler",
          execution_role_arn: role,
          zip_file_base64: HANDLER_ZIP_BASE64,
        }),
        executor,
      ),
    );

    expect(error.message).toContain(`may not call iam:PassRole on ${role}`);
    expect(error.hint).toContain(`Grant iam:PassRole on exactly ${role}`);
  });

  it("says the statement was not found, not the function, when the function exists", async () => {
    // The statement was there when read, and gone by the time of the removal.
    lambdaMock.on(GetPolicyCommand).resolves({
      Policy:
        '{"Statement":[{"Sid":"gone","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction"}]}',
      RevisionId: "r1",
      $metadata: { requestId: REQUEST_ID },
    });
    lambdaMock.on(RemovePermissionCommand).rejects(resourceNotFound());

    const error = await rejectedConnectorError(
      removePermissionAction.run(
        removePermissionAction.inputs.parse({ function_name: FUNCTION_NAME, statement_id: "gone" }),
        executor,
      ),
    );

    expect(error.code).toBe("not_found");
    expect(error.message).toContain(`RemovePermission found nothing for function ${FUNCTION_NAME}`);
    expect(error.message).not.toContain("was not found");
    expect(error.hint).toContain("statement_id");
  });

  it("names only the inputs that identify the function when it is not found", async () => {
    lambdaMock.rejectsOnce(resourceNotFound());

    const error = await rejectedConnectorError(
      putFunctionConcurrencyAction.run(
        putFunctionConcurrencyAction.inputs.parse({
          function_name: FUNCTION_NAME,
          reserved_concurrent_executions: 0,
        }),
        executor,
      ),
    );

    expect(error.hint).toContain("Check function_name and qualifier");
    expect(error.hint).not.toContain("reserved_concurrent_executions");
  });
});
