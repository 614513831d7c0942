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
  metadata,
  rejectedConnectorError,
  resourceNotFound,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const URL = "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/";

describe("delete_function_url_config", () => {
  const { run } = useActionRun(deleteFunctionUrlConfigAction, { mock: lambdaMock });

  it("deletes the URL and returns its configuration before, with the step that re-creates it", async () => {
    // Prepare
    lambdaMock.on(GetFunctionUrlConfigCommand).resolves({
      FunctionUrl: URL,
      FunctionArn: `${FUNCTION_ARN}:live`,
      AuthType: "NONE",
      Cors: { AllowOrigins: ["https://soc.example.com"], MaxAge: 300 },
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
      previous_state_known: true,
      previous_state_error: null,
      function_name: FUNCTION_NAME,
      deleted: true,
      changed: true,
      previous: {
        configured: true,
        function_url: URL,
        auth_type: "NONE",
        cors: { allow_origins: ["https://soc.example.com"], max_age: 300 },
        invoke_mode: "RESPONSE_STREAM",
        last_modified: "2026-02-01T08:00:00.000Z",
      },
      undo: [
        {
          action: "create_function_url_config",
          inputs: {
            function_name: FUNCTION_NAME,
            auth_type: "NONE",
            cors: { allow_origins: ["https://soc.example.com"], max_age: 300 },
            invoke_mode: "RESPONSE_STREAM",
            qualifier: "live",
          },
        },
      ],
    });
  });

  it("succeeds with deleted: false and changed: false, sending nothing, when there is no URL", async () => {
    lambdaMock.on(GetFunctionUrlConfigCommand).rejects(resourceNotFound());

    const output = await run({ function_name: FUNCTION_NAME });

    expect(output).toMatchObject({
      deleted: false,
      changed: false,
      previous: { configured: false },
      undo: [],
    });
    expect(lambdaMock).not.toReceiveCommand(DeleteFunctionUrlConfigCommand);
  });

  it("says the function has no URL when it vanished between the read and the delete", async () => {
    lambdaMock.on(GetFunctionUrlConfigCommand).resolves({ FunctionUrl: URL, $metadata: metadata });
    lambdaMock.on(DeleteFunctionUrlConfigCommand).rejects(resourceNotFound());

    const error = await rejectedConnectorError(run({ function_name: FUNCTION_NAME }));

    expect(error.code).toBe("not_found");
    expect(error.hint).toContain("The function has no URL");
  });
});
