import { GetFunctionUrlConfigCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { getFunctionUrlConfigAction } from "../../../../src/actions/get_function_url_config/get_function_url_config.js";
import {
  accessDenied,
  FUNCTION_ARN,
  FUNCTION_NAME,
  functionNotFound,
  REGION,
  REQUEST_ID,
  rejectedConnectorError,
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
      cors: { AllowOrigins: ["*"], AllowMethods: ["POST"] },
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

  it("fails as not_found, naming the function and the region, when the function does not exist", async () => {
    lambdaMock.on(GetFunctionUrlConfigCommand).rejects(functionNotFound());

    const error = await rejectedConnectorError(run({ function_name: FUNCTION_NAME }));

    expect(error.code).toBe("not_found");
    expect(error.message).toContain(`Function ${FUNCTION_NAME} was not found in region ${REGION}`);
  });

  it("names lambda:GetFunctionUrlConfig and the function's ARN when access is denied", async () => {
    lambdaMock
      .on(GetFunctionUrlConfigCommand)
      .rejects(accessDenied("lambda:GetFunctionUrlConfig", FUNCTION_ARN));

    const error = await rejectedConnectorError(run({ function_name: FUNCTION_ARN }));

    expect(error.code).toBe("access_denied");
    expect(error.message).toContain(`may not call lambda:GetFunctionUrlConfig on ${FUNCTION_ARN}`);
    expect(error.hint).toContain(`Grant lambda:GetFunctionUrlConfig on exactly ${FUNCTION_ARN}`);
    expect(error.hint).not.toMatch(/payload|qualifier/);
  });

  it("refuses a qualifier that is not a version or alias, naming it", () => {
    const result = getFunctionUrlConfigAction.inputs.safeParse({
      function_name: FUNCTION_NAME,
      qualifier: "live/blue",
    });

    expect(result.error?.issues[0]?.path).toEqual(["qualifier"]);
  });
});
