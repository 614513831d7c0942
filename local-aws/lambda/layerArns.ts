import type { LayerDefinition, LayerVersionDefinition, World } from "../World.js";

/** `arn:aws:lambda:<region>:<account>:layer:<name>`. */
export function layerArnOf(
  accountId: string,
  layer: Pick<LayerDefinition, "region" | "name">,
): string {
  return `arn:aws:lambda:${layer.region}:${accountId}:layer:${layer.name}`;
}

/** A layer version in the world, found by its ARN (`…:layer:<name>:<version>`). */
export function findLayerVersion(
  world: World,
  layerVersionArn: string,
): { layer: LayerDefinition; version: LayerVersionDefinition } | undefined {
  const at = layerVersionArn.lastIndexOf(":");
  const layerArn = layerVersionArn.slice(0, at);
  const number = Number(layerVersionArn.slice(at + 1));
  const layer = world.layers?.find(
    (candidate) => layerArnOf(world.accountId, candidate) === layerArn,
  );
  const version = layer?.versions.find((candidate) => candidate.version === number);
  return layer === undefined || version === undefined ? undefined : { layer, version };
}
