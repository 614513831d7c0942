import {
  DeleteLayerVersionCommand,
  GetLayerVersionCommand,
  type GetLayerVersionCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { defineOperationAction } from "../defineAction.js";
import {
  describeLayerVersion,
  layerArnFor,
  layerNameInput,
  layerNameOutput,
  layerVersionSchema,
} from "../layers.js";
import {
  changedSchema,
  previousStateFields,
  requirePreviousStateInput,
  undoSchema,
} from "../undo.js";

const versionTarget = (inputs: { layer_name: string; version_number: number }) =>
  `layer ${inputs.layer_name} version ${inputs.version_number}`;

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
    version_number: z.number().meta({ description: "The version as named in the inputs." }),
    deleted: z.boolean().meta({ description: "true: this run deleted it." }),
    changed: changedSchema,
    previous: layerVersionSchema
      .nullable()
      .meta({ description: "The version as it was; null when it could not be read." }),
    undo: undoSchema(
      "always, since a deleted version number is never reused (publish_layer_version makes a new one)",
    ),
    ...previousStateFields,
  }),
  before: {
    operation: "GetLayerVersion",
    resource: (inputs, where) => layerArnFor(inputs.layer_name, where),
    target: versionTarget,
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
    resource: (inputs, where) => layerArnFor(inputs.layer_name, where),
    target: versionTarget,
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
