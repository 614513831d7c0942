import {
  LambdaClient,
  type LayerVersionsListItem,
  ListLayerVersionsCommand,
  type ListLayerVersionsCommandInput,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { listLayerVersionsAction } from "../../../../src/actions/list_layer_versions/list_layer_versions.js";
import { LAYER_ARN, LAYER_NAME, listPage, useActionRun } from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

/** Versions newest first, as Lambda lists them. */
function versions(count: number): LayerVersionsListItem[] {
  return Array.from({ length: count }, (_, i) => ({
    LayerVersionArn: `${LAYER_ARN}:${count - i}`,
    Version: count - i,
    Description: `build ${count - i}`,
    CreatedDate: "2026-02-10T08:00:00.000+0000",
    CompatibleRuntimes: ["python3.12", "python3.13"],
  }));
}

/** A fake ListLayerVersions over `all`, paging by Marker = index. */
function serve(all: LayerVersionsListItem[]): void {
  lambdaMock
    .on(ListLayerVersionsCommand)
    .callsFake((input: ListLayerVersionsCommandInput) => listPage("LayerVersions", all, input));
}

describe("list_layer_versions", () => {
  const { run } = useActionRun(listLayerVersionsAction, { mock: lambdaMock });

  it("lists the layer's versions, newest first, across pages", async () => {
    // Prepare
    serve(versions(55));

    // Act
    const output = await run({ layer_name: LAYER_NAME });

    // Assess
    expect(lambdaMock.commandCalls(ListLayerVersionsCommand).map((c) => c.args[0].input)).toEqual([
      { LayerName: LAYER_NAME, MaxItems: 50 },
      { LayerName: LAYER_NAME, MaxItems: 50, Marker: "50" },
    ]);
    expect(output).toMatchObject({
      layer_name: LAYER_NAME,
      count: 55,
      truncated: false,
      next_marker: null,
    });
    expect(output.layer_versions[0]).toEqual({
      version_number: 55,
      arn: `${LAYER_ARN}:55`,
      description: "build 55",
      created_at: "2026-02-10T08:00:00.000Z",
      compatible_runtimes: ["python3.12", "python3.13"],
      compatible_architectures: [],
    });
  });

  it("stops at max_items and says more exist", async () => {
    serve(versions(5));

    const output = await run({ layer_name: LAYER_ARN, max_items: 2 });

    expect(lambdaMock).toReceiveCommandExactlyOnceWith(ListLayerVersionsCommand, {
      LayerName: LAYER_ARN,
      MaxItems: 2,
    });
    expect(output).toMatchObject({ count: 2, truncated: true, next_marker: "2" });
  });
});
