import {
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  LambdaClient,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { deleteFunctionUrlConfigAction } from "../../../../src/actions/delete_function_url_config/delete_function_url_config.js";
import {
  FUNCTION_ARN,
  FUNCTION_NAME,
  REQUEST_ID,
  rejectedConnectorError,
  resourceNotFound,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const metadata = { httpStatusCode: 200, requestId: REQUEST_ID };
const URL = "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/";

describe("delete_function_url_config", () => {
  const { run } = useActionRun(deleteFunctionUrlConfigAction, { mock: lambdaMock });

  it("deletes the URL and returns its configuration before", async () => {
    // Prepare
    lambdaMock.on(GetFunctionUrlConfigCommand).resolves({
      FunctionUrl: URL,
      FunctionArn: `${FUNCTION_ARN}:live`,
      AuthType: "NONE",
      InvokeMode: "RESPONSE_STREAM",
      LastModifiedTime: "2026-02-01T08:00:00.000Z",
      $metadata: metadata,
    });
    lambdaMock.on(DeleteFunctionUrlConfigCommand).resolves({ $metadata: metadata });

    // Act
    const output = await run({ function_name: FUNCTION_NAME, qualifier: "live" });

    // Assess
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(DeleteFunctionUrlConfigCommand, {
      FunctionName: FUNCTION_NAME,
      Qualifier: "live",
    });
    expect(output).toEqual({
      function_name: FUNCTION_NAME,
      deleted: true,
      previous: {
        configured: true,
        function_url: URL,
        auth_type: "NONE",
        cors: null,
        invoke_mode: "RESPONSE_STREAM",
        last_modified: "2026-02-01T08:00:00.000Z",
      },
    });
  });

  it("says the function has no URL when there is none to delete", async () => {
    lambdaMock.on(GetFunctionUrlConfigCommand).rejects(resourceNotFound());
    lambdaMock.on(DeleteFunctionUrlConfigCommand).rejects(resourceNotFound());

    const error = await rejectedConnectorError(run({ function_name: FUNCTION_NAME }));

    expect(error.code).toBe("not_found");
    expect(error.hint).toContain("The function has no URL");
  });
});
