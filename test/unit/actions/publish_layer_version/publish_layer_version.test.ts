import { LambdaClient, PublishLayerVersionCommand } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { publishLayerVersionAction } from "../../../../src/actions/publish_layer_version/publish_layer_version.js";
import { InvalidInputError } from "../../../../src/errors.js";
import { parseDocument } from "../../../../src/validation.js";
import {
  ACCOUNT_ID,
  accessDenied,
  HANDLER_ZIP_BASE64,
  handlerZip,
  REGION,
  REQUEST_ID,
  rejectedConnectorError,
  thrownConnectorError,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const LAYER = "shared-enrichment-libs";
const LAYER_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:layer:${LAYER}`;

describe("publish_layer_version", () => {
  const { run } = useActionRun(publishLayerVersionAction, { mock: lambdaMock });

  beforeEach(() => {
    lambdaMock.on(PublishLayerVersionCommand).resolves({
      LayerArn: LAYER_ARN,
      LayerVersionArn: `${LAYER_ARN}:5`,
      Version: 5,
      Description: "requests 2.32",
      CreatedDate: "2026-03-01T12:00:00.000+0000",
      CompatibleRuntimes: ["python3.12"],
      CompatibleArchitectures: ["arm64"],
      $metadata: { httpStatusCode: 201, requestId: REQUEST_ID },
    });
  });

  it("publishes the zip from base64 and describes the new version", async () => {
    // Act
    const output = await run({
      layer_name: LAYER,
      zip_file_base64: HANDLER_ZIP_BASE64,
      compatible_runtimes: ["python3.12"],
      description: "requests 2.32",
    });

    // Assess
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(PublishLayerVersionCommand, {
      LayerName: LAYER,
      Content: { ZipFile: handlerZip() },
      CompatibleRuntimes: ["python3.12"],
      Description: "requests 2.32",
    });
    expect(output).toEqual({
      layer_name: LAYER,
      layer_arn: LAYER_ARN,
      layer_version: {
        version_number: 5,
        arn: `${LAYER_ARN}:5`,
        description: "requests 2.32",
        created_at: "2026-03-01T12:00:00.000Z",
        compatible_runtimes: ["python3.12"],
        compatible_architectures: ["arm64"],
      },
      changed: true,
      undo: [{ action: "delete_layer_version", inputs: { layer_name: LAYER, version_number: 5 } }],
    });
  });

  it("sends an S3 location as it is", async () => {
    await run({ layer_name: LAYER, s3_bucket: "soc-deployments", s3_key: "layers/requests.zip" });

    expect(lambdaMock).toReceiveCommandExactlyOnceWith(PublishLayerVersionCommand, {
      LayerName: LAYER,
      Content: { S3Bucket: "soc-deployments", S3Key: "layers/requests.zip" },
    });
  });

  it("refuses base64 that is not a zip, naming zip_file_base64, before calling AWS", async () => {
    const error = await rejectedConnectorError(
      run({ layer_name: LAYER, zip_file_base64: Buffer.from("requests==2.32").toString("base64") }),
    );

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe("zip_file_base64");
    expect(lambdaMock).not.toReceiveAnyCommand();
  });

  it.each([
    ["no code at all", {}, "zip_file"],
    [
      "base64 and S3",
      { zip_file_base64: HANDLER_ZIP_BASE64, s3_bucket: "soc-deployments", s3_key: "l.zip" },
      "s3_bucket",
    ],
    ["an S3 bucket without its key", { s3_bucket: "soc-deployments" }, "s3_key"],
    [
      "a bad layer name",
      { layer_name: "shared libs", zip_file_base64: HANDLER_ZIP_BASE64 },
      "layer_name",
    ],
  ])("refuses %s, naming %s", (_case, change, field) => {
    const error = thrownConnectorError(() =>
      parseDocument(publishLayerVersionAction.inputs, { layer_name: LAYER, ...change }, "inputs"),
    );

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe(field);
  });

  it("names lambda:PublishLayerVersion and the layer's ARN when access is denied", async () => {
    lambdaMock
      .on(PublishLayerVersionCommand)
      .rejects(accessDenied("lambda:PublishLayerVersion", LAYER_ARN));

    const error = await rejectedConnectorError(
      run({ layer_name: LAYER, zip_file_base64: HANDLER_ZIP_BASE64 }),
    );

    expect(error.code).toBe("access_denied");
    expect(error.message).toContain(`may not call lambda:PublishLayerVersion on ${LAYER_ARN}`);
    expect(error.hint).toContain(`Grant lambda:PublishLayerVersion on exactly ${LAYER_ARN}`);
    expect(error.hint).not.toMatch(/payload|qualifier/);
  });
});
