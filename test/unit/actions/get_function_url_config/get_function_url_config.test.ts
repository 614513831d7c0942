import { GetFunctionUrlConfigCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { getFunctionUrlConfigAction } from "../../../../src/actions/get_function_url_config/get_function_url_config.js";
import {
  FUNCTION_ARN,
  FUNCTION_NAME,
  REQUEST_ID,
  resourceNotFound,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const URL = "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/";

describe("get_function_url_config", () => {
  const { run } = useActionRun(getFunctionUrlConfigAction, { mock: lambdaMock });

  it("gives the URL, its auth type and CORS settings", async () => {
    // Prepare
    lambdaMock.on(GetFunctionUrlConfigCommand).resolves({
      FunctionUrl: URL,
      FunctionArn: FUNCTION_ARN,
      AuthType: "NONE",
      Cors: { AllowOrigins: ["*"], AllowMethods: ["POST"] },
      InvokeMode: "BUFFERED",
      CreationTime: "2026-01-10T08:00:00.000Z",
      LastModifiedTime: "2026-02-01T08:00:00.000Z",
      $metadata: { httpStatusCode: 200, requestId: REQUEST_ID },
    });

    // Act
    const output = await run({ function_name: FUNCTION_NAME, qualifier: "live" });

    // Assess
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(GetFunctionUrlConfigCommand, {
      FunctionName: FUNCTION_NAME,
      Qualifier: "live",
    });
    expect(output).toEqual({
      function_name: FUNCTION_NAME,
      configured: true,
      function_url: URL,
      auth_type: "NONE",
      cors: { allow_origins: ["*"], allow_methods: ["POST"] },
      invoke_mode: "BUFFERED",
      last_modified: "2026-02-01T08:00:00.000Z",
    });
  });

  it("succeeds with configured false when the function has no URL", async () => {
    lambdaMock.on(GetFunctionUrlConfigCommand).rejects(resourceNotFound());

    const output = await run({ function_name: FUNCTION_NAME });

    expect(output).toEqual({
      function_name: FUNCTION_NAME,
      configured: false,
      function_url: null,
      auth_type: null,
      cors: null,
      invoke_mode: null,
      last_modified: null,
    });
  });
});
