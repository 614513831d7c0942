import {
  ListLayerVersionsCommand,
  type ListLayerVersionsCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { definePaginatedAction } from "../defineAction.js";
import {
  describeLayerVersion,
  layerNameInput,
  layerNameOutput,
  layerVersionSchema,
  onLayer,
} from "../layers.js";
import { pageItems, pageMembers, pageOf, pagesOf, paginationInputs } from "../pagination.js";

/** list_layer_versions: every version of one layer. */
export const listLayerVersionsAction = definePaginatedAction({
  name: "list_layer_versions",
  title: "List Layer Versions",
  description: "List the versions of a Lambda layer, newest first.",
  inputs: z.strictObject({ layer_name: layerNameInput, ...paginationInputs(1000) }),
  output: z.object({
    layer_name: layerNameOutput,
    ...pageOf("layer_versions", layerVersionSchema, "The layer's versions, newest first."),
  }),
  call: {
    operation: "ListLayerVersions",
    ...onLayer,
    command: (inputs, page) =>
      new ListLayerVersionsCommand({
        LayerName: inputs.layer_name,
        ...pageMembers(page),
      }),
    ...pagesOf((response: ListLayerVersionsCommandOutput) => response.LayerVersions),
    output: (page, inputs) => ({
      layer_name: inputs.layer_name,
      ...pageItems(page, "layer_versions", describeLayerVersion),
    }),
  },
});
