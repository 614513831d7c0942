import type { LayerVersionsListItem } from "@aws-sdk/client-lambda";
import { z } from "zod";
import type { Location } from "../aws/call.js";

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

/** A layer version as the layer actions print it. */
export const layerVersionSchema = z.object({
  version: z.number().nullable(),
  arn: z.string().nullable(),
  description: z.string().nullable(),
  created: z.string().nullable(),
  compatible_runtimes: z.array(z.string()),
  compatible_architectures: z.array(z.string()),
});

/** A layer version from AWS, as the actions print it. */
export function describeLayerVersion(
  version: LayerVersionsListItem,
): z.output<typeof layerVersionSchema> {
  return {
    version: version.Version ?? null,
    arn: version.LayerVersionArn ?? null,
    description: version.Description || null,
    created: version.CreatedDate ?? null,
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
