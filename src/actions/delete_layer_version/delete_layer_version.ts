import {
  DeleteLayerVersionCommand,
  GetLayerVersionCommand,
  type GetLayerVersionCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { deletedOutput, field } from "../../outputFields.js";
import { changeOutputs, requirePreviousStateInput } from "../change.js";
import { defineOperationAction } from "../defineAction.js";
import {
  describeLayerVersion,
  layerNameInput,
  layerNameOutput,
  layerVersionSchema,
  onLayerVersion,
} from "../layers.js";

/** delete_layer_version: delete one version of a layer. */
export const deleteLayerVersionAction = defineOperationAction({
  name: "delete_layer_version",
  title: "Delete Layer Version",
  description:
    "Delete one version of a Lambda layer (functions that already use it keep their copy); the deleted version's details are returned.",
  inputs: z.strictObject({
    layer_name: layerNameInput,
    version_number: z
      .number({
        error: (issue) => (issue.input === undefined ? "is required" : "must be a whole number"),
      })
      .int("must be a whole number")
      .min(1, "must be 1 or more")
      .meta({
        title: "Version Number",
        description: "The layer version to delete.",
        examples: [3],
      }),
    require_previous_state: requirePreviousStateInput,
  }),
  output: z.object({
    layer_name: layerNameOutput,
    version_number: field.number("The version as named in the inputs."),
    deleted: deletedOutput,
    ...changeOutputs(
      layerVersionSchema
        .nullable()
        .meta({ description: "The version as it was; null when it could not be read." }),
      "always, since a deleted version number is never reused (publish_layer_version makes a new one)",
    ),
  }),
  before: {
    operation: "GetLayerVersion",
    ...onLayerVersion,
    retry: "idempotent",
    command: (inputs) =>
      new GetLayerVersionCommand({
        LayerName: inputs.layer_name,
        VersionNumber: inputs.version_number,
      }),
    read: (response: GetLayerVersionCommandOutput) => describeLayerVersion(response),
    previous: (version) => version,
    checkWith: "list_layer_versions",
  },
  call: {
    operation: "DeleteLayerVersion",
    ...onLayerVersion,
    retry: "idempotent",
    command: (inputs) =>
      new DeleteLayerVersionCommand({
        LayerName: inputs.layer_name,
        VersionNumber: inputs.version_number,
      }),
    output: (_response: unknown, inputs, previous) => ({
      layer_name: inputs.layer_name,
      version_number: inputs.version_number,
      deleted: true,
      changed: true,
      previous: previous ?? null,
      undo: [],
    }),
  },
});
