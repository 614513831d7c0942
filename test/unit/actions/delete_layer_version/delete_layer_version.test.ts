import {
  DeleteLayerVersionCommand,
  GetLayerVersionCommand,
  LambdaClient,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { deleteLayerVersionAction } from "../../../../src/actions/delete_layer_version/delete_layer_version.js";
import { ACCOUNT_ID, metadata, REGION, useActionRun } from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const LAYER = "shared-enrichment-libs";
const LAYER_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:layer:${LAYER}`;

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
    const output = await run({ layer_name: LAYER, version_number: 3 });

    // Assess
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(GetLayerVersionCommand, {
      LayerName: LAYER,
      VersionNumber: 3,
    });
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(DeleteLayerVersionCommand, {
      LayerName: LAYER,
      VersionNumber: 3,
    });
    expect(output).toEqual({
      previous_state_known: true,
      previous_state_error: null,
      layer_name: LAYER,
      version_number: 3,
      deleted: true,
      changed: true,
      undo: [],
      previous: {
        version_number: 3,
        arn: `${LAYER_ARN}:3`,
        description: "build 3",
        created_at: "2026-02-10T08:00:00.000Z",
        compatible_runtimes: ["python3.12"],
        compatible_architectures: ["x86_64"],
      },
    });
  });
});
