import {
  DeleteLayerVersionCommand,
  GetLayerVersionCommand,
  LambdaClient,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { deleteLayerVersionAction } from "../../../../src/actions/delete_layer_version/delete_layer_version.js";
import { LAYER_ARN, LAYER_NAME, REQUEST_ID, useActionRun } from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const metadata = { httpStatusCode: 200, requestId: REQUEST_ID };

describe("delete_layer_version", () => {
  const { run } = useActionRun(deleteLayerVersionAction, { mock: lambdaMock });

  beforeEach(() => {
    lambdaMock.on(GetLayerVersionCommand).resolves({
      LayerArn: LAYER_ARN,
      LayerVersionArn: `${LAYER_ARN}:3`,
      Version: 3,
      Description: "build 3",
      CreatedDate: "2026-02-10T08:00:00.000+0000",
      CompatibleRuntimes: ["python3.12"],
      CompatibleArchitectures: ["x86_64"],
      $metadata: metadata,
    });
    lambdaMock.on(DeleteLayerVersionCommand).resolves({ $metadata: metadata });
  });

  it("deletes the version and returns it as it was", async () => {
    // Act
    const output = await run({ layer_name: LAYER_NAME, version_number: 3 });

    // Assess
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(GetLayerVersionCommand, {
      LayerName: LAYER_NAME,
      VersionNumber: 3,
    });
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(DeleteLayerVersionCommand, {
      LayerName: LAYER_NAME,
      VersionNumber: 3,
    });
    expect(output).toEqual({
      layer_name: LAYER_NAME,
      version_number: 3,
      deleted: true,
      previous: {
        version: 3,
        arn: `${LAYER_ARN}:3`,
        description: "build 3",
        created: "2026-02-10T08:00:00.000+0000",
        compatible_runtimes: ["python3.12"],
        compatible_architectures: ["x86_64"],
      },
    });
  });
});
