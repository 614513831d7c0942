import { jsonReply } from "../../http/jsonReply.js";
import { authorize } from "../authorize.js";
import { type OperationTable, refuse, serve } from "../LambdaCall.js";
import { lambdaError } from "../lambdaError.js";
import { describeVersion } from "./layerOperations.js";

const LAYER_VERSION_ARN =
  /^arn:[a-zA-Z0-9-]+:lambda:(?<region>[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}):(?<account>\d{12}):layer:(?<name>[a-zA-Z0-9-_]+):(?<version>[0-9]+)$/;

/**
 * GetLayerVersionByArn (`GET /2018-10-31/layers?find=LayerVersion&Arn=…`,
 * `lambda:GetLayerVersion` on the layer version's ARN): a layer version of this account
 * or, shared with it, of another, as GetLayerVersion describes it.
 */
export const layerVersionByArnOperations = {
  GetLayerVersionByArn(call) {
    const arn = call.query.get("Arn") ?? "";
    const parsed = LAYER_VERSION_ARN.exec(arn)?.groups;
    if (parsed === undefined) {
      return refuse(
        lambdaError(
          400,
          "ValidationException",
          `1 validation error detected: Value '${arn}' at 'arn' failed to satisfy constraint: Member must satisfy regular expression pattern: ${LAYER_VERSION_ARN.source}`,
        ),
      );
    }
    const denied = authorize(call, "lambda:GetLayerVersion", arn);
    if (denied !== undefined) {
      return refuse(denied);
    }
    const { region = "", account = "", name = "" } = parsed;
    const own = account === call.world.accountId ? (call.world.layers ?? []) : [];
    const shared = (call.world.sharedLayers ?? []).filter((layer) => layer.accountId === account);
    const version = [...own, ...shared]
      .find((layer) => layer.name === name && layer.region === region)
      ?.versions.find((candidate) => candidate.version === Number(parsed.version));
    if (version === undefined) {
      return refuse(
        lambdaError(404, "ResourceNotFoundException", "The resource you requested does not exist."),
      );
    }
    const layerArn = arn.slice(0, arn.lastIndexOf(":"));
    return serve(() =>
      jsonReply(
        describeVersion(call, { name, region, accountId: account, arn: layerArn }, version),
      ),
    );
  },
} satisfies OperationTable;
