import {
  LambdaClient,
  type LayersListItem,
  ListLayersCommand,
  type ListLayersCommandInput,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { listLayersAction } from "../../../../src/actions/list_layers/list_layers.js";
import { ACCOUNT_ID, listPage, REGION, useActionRun } from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const layerArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:layer:${name}`;

function layer(name: string): LayersListItem {
  return {
    LayerName: name,
    LayerArn: layerArn(name),
    LatestMatchingVersion: {
      LayerVersionArn: `${layerArn(name)}:4`,
      Version: 4,
      Description: "",
      CreatedDate: "2026-02-10T08:00:00.000+0000",
      CompatibleRuntimes: ["python3.12"],
      CompatibleArchitectures: ["arm64"],
    },
  };
}

/** A fake ListLayers over `all`, paging by Marker = index. */
function serve(all: LayersListItem[]): void {
  lambdaMock
    .on(ListLayersCommand)
    .callsFake((input: ListLayersCommandInput) => listPage("Layers", all, input));
}

describe("list_layers", () => {
  const { run } = useActionRun(listLayersAction, { mock: lambdaMock });

  it("lists the region's layers with their latest version", async () => {
    // Prepare
    serve([layer("shared-enrichment-libs"), { LayerName: "empty", LayerArn: layerArn("empty") }]);

    // Act
    const output = await run({});

    // Assess
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(ListLayersCommand, { MaxItems: 50 });
    expect(output).toEqual({
      layers: [
        {
          name: "shared-enrichment-libs",
          arn: layerArn("shared-enrichment-libs"),
          latest_layer_version: {
            version_number: 4,
            arn: `${layerArn("shared-enrichment-libs")}:4`,
            description: null,
            created_at: "2026-02-10T08:00:00.000Z",
            compatible_runtimes: ["python3.12"],
            compatible_architectures: ["arm64"],
          },
        },
        { name: "empty", arn: layerArn("empty"), latest_layer_version: null },
      ],
      count: 2,
      truncated: false,
      next_marker: null,
    });
  });

  it("collects pages, resuming from marker, up to max_items", async () => {
    serve(Array.from({ length: 130 }, (_, i) => layer(`layer-${String(i).padStart(3, "0")}`)));

    const output = await run({ marker: "10", max_items: 100 });

    expect(lambdaMock.commandCalls(ListLayersCommand).map((c) => c.args[0].input)).toEqual([
      { MaxItems: 50, Marker: "10" },
      { MaxItems: 50, Marker: "60" },
    ]);
    expect(output).toMatchObject({ count: 100, truncated: true, next_marker: "110" });
    expect(output.layers[0]?.name).toBe("layer-010");
  });
});
