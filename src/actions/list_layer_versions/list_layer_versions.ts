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
import { pageMembers, pageOutcome, pageOutputs, paginationInputs } from "../pagination.js";

/** list_layer_versions: every version of one layer. */
export const listLayerVersionsAction = definePaginatedAction({
  name: "list_layer_versions",
  title: "List Layer Versions",
  description: "List the versions of a Lambda layer, newest first.",
  inputs: z.strictObject({ layer_name: layerNameInput, ...paginationInputs(1000) }),
  output: z.object({
    layer_name: layerNameOutput,
    layer_versions: z
      .array(layerVersionSchema)
      .meta({ description: "The layer's versions, newest first." }),
    ...pageOutputs("layer_versions"),
  }),
  call: {
    operation: "ListLayerVersions",
    ...onLayer,
    retry: "idempotent",
    command: (inputs, page) =>
      new ListLayerVersionsCommand({
        LayerName: inputs.layer_name,
        ...pageMembers(page),
      }),
    items: (response: ListLayerVersionsCommandOutput) => response.LayerVersions ?? [],
    nextMarker: (response) => response.NextMarker,
    output: (page, inputs) => ({
      layer_name: inputs.layer_name,
      layer_versions: page.items.map(describeLayerVersion),
      ...pageOutcome(page),
    }),
  },
});
