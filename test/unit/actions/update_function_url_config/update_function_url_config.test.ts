import {
  GetFunctionUrlConfigCommand,
  LambdaClient,
  UpdateFunctionUrlConfigCommand,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { updateFunctionUrlConfigAction } from "../../../../src/actions/update_function_url_config/update_function_url_config.js";
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

/** A public URL, as GetFunctionUrlConfig describes it before the change. */
const PUBLIC_URL = {
  FunctionUrl: URL,
  FunctionArn: FUNCTION_ARN,
  AuthType: "NONE" as const,
  Cors: { AllowOrigins: ["*"] },
  InvokeMode: "BUFFERED" as const,
  LastModifiedTime: "2026-02-01T08:00:00.000Z",
};

describe("update_function_url_config", () => {
  const { run } = useActionRun(updateFunctionUrlConfigAction, { mock: lambdaMock });

  it("closes a public URL to unsigned callers and returns the configuration before", async () => {
    // Prepare
    lambdaMock.on(GetFunctionUrlConfigCommand).resolves({ ...PUBLIC_URL, $metadata: metadata });
    lambdaMock.on(UpdateFunctionUrlConfigCommand).resolves({
      ...PUBLIC_URL,
      AuthType: "AWS_IAM",
      LastModifiedTime: "2026-03-01T12:00:00.000Z",
      $metadata: metadata,
    });

    // Act
    const output = await run({ function_name: FUNCTION_NAME, auth_type: "AWS_IAM" });

    // Assess
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(UpdateFunctionUrlConfigCommand, {
      FunctionName: FUNCTION_NAME,
      AuthType: "AWS_IAM",
    });
    // Without cors, the current CORS settings stay: none are sent.
    expect(lambdaMock).not.toReceiveCommandWith(UpdateFunctionUrlConfigCommand, {
      Cors: expect.anything(),
    });
    expect(output).toEqual({
      previous_state_known: true,
      previous_state_error: null,
      function_name: FUNCTION_NAME,
      configured: true,
      function_url: URL,
      auth_type: "AWS_IAM",
      cors: { allow_origins: ["*"] },
      invoke_mode: "BUFFERED",
      last_modified: "2026-03-01T12:00:00.000Z",
      changed: true,
      previous: {
        configured: true,
        function_url: URL,
        auth_type: "NONE",
        cors: { allow_origins: ["*"] },
        invoke_mode: "BUFFERED",
        last_modified: "2026-02-01T08:00:00.000Z",
      },
      undo: [
        {
          action: "update_function_url_config",
          inputs: {
            function_name: FUNCTION_NAME,
            auth_type: "NONE",
            cors: { allow_origins: ["*"] },
          },
        },
      ],
    });
  });

  it("says changed: false with no undo when the URL already had these settings", async () => {
    lambdaMock
      .on(GetFunctionUrlConfigCommand)
      .resolves({ ...PUBLIC_URL, AuthType: "AWS_IAM", $metadata: metadata });
    lambdaMock
      .on(UpdateFunctionUrlConfigCommand)
      .resolves({ ...PUBLIC_URL, AuthType: "AWS_IAM", $metadata: metadata });

    const output = await run({ function_name: FUNCTION_NAME, auth_type: "AWS_IAM" });

    expect(output).toMatchObject({ changed: false, undo: [] });
  });

  it("sends CORS settings in AWS's shape, on the qualifier's URL", async () => {
    lambdaMock.on(GetFunctionUrlConfigCommand).resolves({ ...PUBLIC_URL, $metadata: metadata });
    lambdaMock.on(UpdateFunctionUrlConfigCommand).resolves({ ...PUBLIC_URL, $metadata: metadata });

    await run({
      function_name: FUNCTION_NAME,
      qualifier: "live",
      auth_type: "AWS_IAM",
      cors: { allow_origins: ["https://soc.example.com"], allow_methods: ["POST"], max_age: 300 },
    });

    expect(lambdaMock).toReceiveCommandExactlyOnceWith(GetFunctionUrlConfigCommand, {
      FunctionName: FUNCTION_NAME,
      Qualifier: "live",
    });
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(UpdateFunctionUrlConfigCommand, {
      FunctionName: FUNCTION_NAME,
      Qualifier: "live",
      AuthType: "AWS_IAM",
      Cors: { AllowOrigins: ["https://soc.example.com"], AllowMethods: ["POST"], MaxAge: 300 },
    });
  });

  it("says the function has no URL to update when it has none", async () => {
    lambdaMock.on(GetFunctionUrlConfigCommand).rejects(resourceNotFound());
    lambdaMock.on(UpdateFunctionUrlConfigCommand).rejects(resourceNotFound());

    const error = await rejectedConnectorError(
      run({ function_name: FUNCTION_NAME, auth_type: "AWS_IAM" }),
    );

    expect(error.code).toBe("not_found");
    expect(error.hint).toContain("The function has no URL to update");
  });
});
