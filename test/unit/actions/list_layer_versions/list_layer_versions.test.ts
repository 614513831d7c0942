import {
  LambdaClient,
  type LayerVersionsListItem,
  ListLayerVersionsCommand,
  type ListLayerVersionsCommandInput,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { listLayerVersionsAction } from "../../../../src/actions/list_layer_versions/list_layer_versions.js";
import { InvalidInputError } from "../../../../src/errors.js";
import { parseDocument } from "../../../../src/validation.js";
import {
  ACCOUNT_ID,
  accessDenied,
  REGION,
  REQUEST_ID,
  rejectedConnectorError,
  resourceNotFound,
  thrownConnectorError,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const LAYER = "shared-enrichment-libs";
const LAYER_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:layer:${LAYER}`;

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
  lambdaMock.on(ListLayerVersionsCommand).callsFake((input: ListLayerVersionsCommandInput) => {
    const start = Number(input.Marker ?? 0);
    const end = Math.min(all.length, start + (input.MaxItems ?? 50));
    return {
      LayerVersions: all.slice(start, end),
      ...(end < all.length ? { NextMarker: String(end) } : {}),
      $metadata: { httpStatusCode: 200, requestId: REQUEST_ID },
    };
  });
}

describe("list_layer_versions", () => {
  const { run } = useActionRun(listLayerVersionsAction, { mock: lambdaMock });

  it("lists the layer's versions, newest first, across pages", async () => {
    // Prepare
    serve(versions(55));

    // Act
    const output = await run({ layer_name: LAYER });

    // Assess
    expect(lambdaMock.commandCalls(ListLayerVersionsCommand).map((c) => c.args[0].input)).toEqual([
      { LayerName: LAYER, MaxItems: 50 },
      { LayerName: LAYER, MaxItems: 50, Marker: "50" },
    ]);
    expect(output).toMatchObject({
      layer_name: LAYER,
      count: 55,
      truncated: false,
      next_marker: null,
    });
    expect(output.versions[0]).toEqual({
      version: 55,
      arn: `${LAYER_ARN}:55`,
      description: "build 55",
      created: "2026-02-10T08:00:00.000+0000",
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

  it("fails as not_found, naming the layer and the region, when the layer does not exist", async () => {
    lambdaMock.on(ListLayerVersionsCommand).rejects(resourceNotFound());

    const error = await rejectedConnectorError(run({ layer_name: LAYER }));

    expect(error.code).toBe("not_found");
    expect(error.message).toContain(`Layer ${LAYER} was not found in region ${REGION}`);
  });

  it("names lambda:ListLayerVersions and the layer's ARN when access is denied", async () => {
    lambdaMock
      .on(ListLayerVersionsCommand)
      .rejects(accessDenied("lambda:ListLayerVersions", `${LAYER_ARN}:*`));

    const error = await rejectedConnectorError(run({ layer_name: LAYER_ARN }));

    expect(error.code).toBe("access_denied");
    expect(error.message).toContain(`may not call lambda:ListLayerVersions on ${LAYER_ARN}:*`);
    expect(error.hint).toContain(`Grant lambda:ListLayerVersions on exactly ${LAYER_ARN}:*`);
    expect(error.hint).not.toMatch(/payload|qualifier/);
  });

  it.each([
    [{}, "layer_name"],
    [{ layer_name: "shared libs" }, "layer_name"],
    [{ layer_name: "x".repeat(141) }, "layer_name"],
  ])("refuses %j, naming %s", (raw, field) => {
    const error = thrownConnectorError(() =>
      parseDocument(listLayerVersionsAction.inputs, raw, "inputs"),
    );

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe(field);
  });
});
