import type { LayerVersionsListItem } from "@aws-sdk/client-lambda";
import { z } from "zod";
import type { Location } from "../aws/call.js";
import { field } from "../outputFields.js";
import { isoTimestamp, timestampOutput } from "./fields.js";

/** A layer name or ARN, as the layer actions take it. */
export const layerNameInput = z
  .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
  .regex(
    /^((arn:[a-zA-Z0-9-]+:lambda:[a-z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+)$/,
    "must be a layer name (1 to 140 of letters, digits, - and _) or a layer ARN",
  )
  .max(140, "must be at most 140 characters")
  .meta({
    title: "Layer Name",
    description: "The layer's name or ARN.",
    examples: ["shared-enrichment-libs"],
  });

/** The `layer_name` output: the layer as the inputs named it. */
export const layerNameOutput = field.text("The layer as named in the inputs.");

/** A layer version as the layer actions print it. */
export const layerVersionSchema = z.object({
  version_number: field.nullableNumber("The version's number; delete_layer_version takes it."),
  arn: field.nullableText("The layer version's ARN, as functions use it."),
  description: field.nullableText("The description it was published with."),
  created_at: timestampOutput("When the version was published."),
  compatible_runtimes: field.texts("The runtimes it declares, e.g. python3.12; [] when none."),
  compatible_architectures: field.texts("x86_64 and/or arm64; [] when none is declared."),
});

/** A layer version from AWS, as the actions print it. */
export function describeLayerVersion(
  version: LayerVersionsListItem,
): z.output<typeof layerVersionSchema> {
  return {
    version_number: version.Version ?? null,
    arn: version.LayerVersionArn ?? null,
    description: version.Description || null,
    created_at: isoTimestamp(version.CreatedDate),
    compatible_runtimes: version.CompatibleRuntimes ?? [],
    compatible_architectures: version.CompatibleArchitectures ?? [],
  };
}

/** The ARN IAM checks for a layer (all its versions). */
export function layerArnFor(layerName: string, where: Location): string {
  return layerName.startsWith("arn:")
    ? `${layerName}:*`
    : `arn:${where.partition}:lambda:${where.region}:*:layer:${layerName}:*`;
}

/** What a call on a layer declares: the ARN IAM checks (all its versions), and how to name it. */
export const onLayer = {
  resource: (inputs: { layer_name: string }, where: Location) =>
    layerArnFor(inputs.layer_name, where),
  target: (inputs: { layer_name: string }) => `layer ${inputs.layer_name}`,
};

/** What a call on one version of a layer declares: the layer's ARN, and the version named. */
export const onLayerVersion = {
  resource: onLayer.resource,
  target: (inputs: { layer_name: string; version_number: number }) =>
    `layer ${inputs.layer_name} version ${inputs.version_number}`,
};
