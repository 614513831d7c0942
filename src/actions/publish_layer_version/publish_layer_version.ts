import {
  PublishLayerVersionCommand,
  type PublishLayerVersionCommandOutput,
  type Runtime,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import type { AwsCall } from "../../aws/call.js";
import type { Executor } from "../../aws/executor.js";
import { field } from "../../outputFields.js";
import { changedSchema, undoSchema, undoStep } from "../change.js";
import { checkCodeSource, codeSourceInputs, resolveCode } from "../codeSource.js";
import { defineCustomAction } from "../defineAction.js";
import { describeLayerVersion, layerNameOutput, layerVersionSchema, onLayer } from "../layers.js";

/** The inputs of publish_layer_version. */
export const publishLayerVersionInputs = z
  .strictObject({
    layer_name: z
      .string({
        error: (issue) => (issue.input === undefined ? "is required" : "must be a string"),
      })
      .regex(/^[a-zA-Z0-9-_]{1,140}$/, "must be 1 to 140 of letters, digits, - and _")
      .meta({ title: "Layer Name", examples: ["shared-enrichment-libs"] }),
    ...codeSourceInputs,
    compatible_runtimes: z
      .array(z.string().regex(/^[a-z0-9.]+$/, "must be runtime identifiers such as python3.12"), {
        error: "must be a list of runtimes",
      })
      .max(15, "must hold at most 15 runtimes")
      .optional()
      .meta({ title: "Compatible Runtimes", examples: [["python3.12"]] }),
    description: z
      .string({ error: "must be a string" })
      .max(256, "must be at most 256 characters")
      .optional()
      .meta({ title: "Description" }),
  })
  .superRefine(checkCodeSource);

type Inputs = z.output<typeof publishLayerVersionInputs>;

const publishCall: AwsCall<Inputs> = {
  operation: "PublishLayerVersion",
  ...onLayer,
  inputs: Object.keys(publishLayerVersionInputs.shape),
  retry: "at-most-once",
};

/** publish_layer_version: publish a new version of a layer from a zip. */
export const publishLayerVersionAction = defineCustomAction({
  name: "publish_layer_version",
  title: "Publish Layer Version",
  description:
    "Publish a new version of a Lambda layer from a zip (a Turbine file, base64 text, or an S3 object).",
  inputs: publishLayerVersionInputs,
  output: z.object({
    layer_name: layerNameOutput,
    layer_arn: field.nullableText("The layer's ARN (without a version)."),
    layer_version: layerVersionSchema.meta({ description: "The version just published." }),
    changed: changedSchema,
    undo: undoSchema(""),
  }),
  iamActions: ["lambda:PublishLayerVersion"],
  why: "The code is fetched from Turbine's file API (or decoded) before the call.",
  run: async (inputs: Inputs, executor: Executor) => {
    const content = await resolveCode(inputs, executor);
    const response = await executor.send<PublishLayerVersionCommandOutput, Inputs>(
      publishCall,
      new PublishLayerVersionCommand({
        LayerName: inputs.layer_name,
        Content: content,
        ...(inputs.compatible_runtimes === undefined
          ? {}
          : { CompatibleRuntimes: inputs.compatible_runtimes as Runtime[] }),
        ...(inputs.description === undefined ? {} : { Description: inputs.description }),
      }),
      inputs,
    );
    const version = describeLayerVersion(response);
    return {
      layer_name: inputs.layer_name,
      layer_arn: response.LayerArn ?? null,
      layer_version: version,
      changed: true,
      undo:
        version.version_number === null
          ? []
          : [
              undoStep("delete_layer_version", {
                layer_name: inputs.layer_name,
                version_number: version.version_number,
              }),
            ],
    };
  },
});
