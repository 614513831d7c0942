import {
  type LayersListItem,
  ListLayersCommand,
  type ListLayersCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { field } from "../../outputFields.js";
import { definePaginatedAction } from "../defineAction.js";
import { describeLayerVersion, layerVersionSchema } from "../layers.js";
import { pageItems, pageMembers, pageOf, pagesOf, paginationInputs } from "../pagination.js";

/** list_layers: the region's layers with their latest version. */
export const listLayersAction = definePaginatedAction({
  name: "list_layers",
  title: "List Layers",
  description: "List the Lambda layers of the asset's region, each with its latest version.",
  inputs: z.strictObject({ ...paginationInputs(1000) }),
  output: z.object({
    ...pageOf(
      "layers",
      z.object({
        name: field.text("The layer's name."),
        arn: field.text("The layer's ARN (without a version)."),
        latest_layer_version: layerVersionSchema
          .nullable()
          .meta({ description: "Its newest version; null when AWS gave none." }),
      }),
      "The region's layers.",
    ),
  }),
  call: {
    operation: "ListLayers",
    command: (_inputs, page) => new ListLayersCommand(pageMembers(page)),
    ...pagesOf((response: ListLayersCommandOutput) => response.Layers),
    output: (page) => ({
      ...pageItems(page, "layers", (layer: LayersListItem) => ({
        name: layer.LayerName ?? "",
        arn: layer.LayerArn ?? "",
        latest_layer_version:
          layer.LatestMatchingVersion === undefined
            ? null
            : describeLayerVersion(layer.LatestMatchingVersion),
      })),
    }),
  },
});
