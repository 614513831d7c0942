import { createHash } from "node:crypto";
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  UpdateFunctionCodeCommand,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { updateFunctionCodeAction } from "../../../../src/actions/update_function_code/update_function_code.js";
import { InvalidInputError } from "../../../../src/errors.js";
import { parseDocument } from "../../../../src/validation.js";
import {
  FUNCTION_NAME,
  HANDLER_ZIP_BASE64,
  handlerZip,
  metadata,
  rejectedConnectorError,
  thrownConnectorError,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);
const ZIP_SHA256 = createHash("sha256").update(handlerZip()).digest("base64");
const OTHER_SHA256 = createHash("sha256").update("another package").digest("base64");

describe("update_function_code", () => {
  const { run } = useActionRun(updateFunctionCodeAction, { mock: lambdaMock });

  it("sends nothing when the zip's SHA-256 is not the one expected", async () => {
    const error = await rejectedConnectorError(
      run({
        function_name: FUNCTION_NAME,
        zip_file_base64: HANDLER_ZIP_BASE64,
        expected_sha256: OTHER_SHA256,
      }),
    );

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe("expected_sha256");
    expect(error.message).toContain(ZIP_SHA256);
    expect(lambdaMock.calls()).toHaveLength(0);
  });

  it.each([
    ["base64", ZIP_SHA256],
    ["hex", createHash("sha256").update(handlerZip()).digest("hex")],
  ])("deploys the zip whose SHA-256 is the one expected (%s)", async (_form, expected) => {
    lambdaMock
      .on(GetFunctionConfigurationCommand)
      .resolves({ FunctionName: FUNCTION_NAME, CodeSha256: OTHER_SHA256, $metadata: metadata });
    lambdaMock.on(UpdateFunctionCodeCommand).resolves({
      FunctionName: FUNCTION_NAME,
      CodeSha256: ZIP_SHA256,
      Version: "7",
      LastUpdateStatus: "Successful",
      $metadata: metadata,
    });

    const output = await run({
      function_name: FUNCTION_NAME,
      zip_file_base64: HANDLER_ZIP_BASE64,
      expected_sha256: expected,
      publish: true,
    });

    const sent = lambdaMock.commandCalls(UpdateFunctionCodeCommand)[0]?.args[0].input;
    expect(sent).toMatchObject({ FunctionName: FUNCTION_NAME, Publish: true });
    expect(Buffer.from(sent?.ZipFile ?? []).toString("base64")).toBe(HANDLER_ZIP_BASE64);
    expect(output).toMatchObject({
      changed: true,
      published_version: "7",
      function: { code_sha256: ZIP_SHA256 },
      previous: { code_sha256: OTHER_SHA256 },
      update_successful: true,
    });
  });

  it("changes nothing when the function already runs this package", async () => {
    lambdaMock.on(GetFunctionConfigurationCommand).resolves({
      FunctionName: FUNCTION_NAME,
      CodeSha256: ZIP_SHA256,
      LastUpdateStatus: "Successful",
      $metadata: metadata,
    });

    const output = await run({ function_name: FUNCTION_NAME, zip_file_base64: HANDLER_ZIP_BASE64 });

    expect(output).toMatchObject({ changed: false, undo: [] });
    expect(lambdaMock.commandCalls(UpdateFunctionCodeCommand)).toHaveLength(0);
  });

  it("waits while the update is InProgress, by the executor's clock", async () => {
    lambdaMock
      .on(GetFunctionConfigurationCommand)
      .resolvesOnce({ FunctionName: FUNCTION_NAME, CodeSha256: OTHER_SHA256, $metadata: metadata })
      .resolvesOnce({ LastUpdateStatus: "InProgress", $metadata: metadata })
      .resolves({
        LastUpdateStatus: "Failed",
        LastUpdateStatusReason: "Lambda could not unzip the package.",
        LastUpdateStatusReasonCode: "InvalidZipFileException",
        $metadata: metadata,
      });
    lambdaMock
      .on(UpdateFunctionCodeCommand)
      .resolves({ LastUpdateStatus: "InProgress", $metadata: metadata });

    const output = await run({ function_name: FUNCTION_NAME, zip_file_base64: HANDLER_ZIP_BASE64 });

    expect(output).toMatchObject({
      last_update_status: "Failed",
      last_update_status_reason: "Lambda could not unzip the package.",
      last_update_status_reason_code: "InvalidZipFileException",
      update_successful: false,
      waited_seconds: 2,
    });
  });

  it("refuses expected_sha256 with code in S3, which it cannot check before sending", () => {
    const error = thrownConnectorError(() =>
      parseDocument(
        updateFunctionCodeAction.inputs,
        {
          function_name: FUNCTION_NAME,
          s3_bucket: "artifacts",
          s3_key: "f.zip",
          expected_sha256: ZIP_SHA256,
        },
        "inputs",
      ),
    );

    expect(error.field).toBe("expected_sha256");
  });
});
