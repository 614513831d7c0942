import { Architecture, Runtime } from "@aws-sdk/client-lambda";
import { jsonReply } from "../../http/jsonReply.js";
import type { Step } from "../../http/Reply.js";
import type { LayerDefinition, LayerVersionDefinition } from "../../World.js";
import { authorize } from "../authorize.js";
import { type LambdaCall, noContent, type OperationTable, refuse, serve } from "../LambdaCall.js";
import { lambdaError } from "../lambdaError.js";
import { lambdaTimestamp } from "../lambdaTimestamp.js";
import { layerArnOf } from "../layerArns.js";
import { MemberReader } from "../MemberReader.js";
import { paginate, readMaxItems } from "../paginate.js";
import { readCodeMembers, readCodeSource } from "../readCodeSource.js";
import { readJsonBody } from "../readJsonBody.js";
import { stableUuid } from "../stableUuid.js";
import { ValidationProblems } from "../ValidationProblems.js";

/** Lambda lists at most 50 layers or layer versions a call, and takes no higher MaxItems. */
const PAGE_LIMIT = 50;
const LAYER_NAME =
  "(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+";
const LAYER_ARN =
  /^arn:[a-zA-Z0-9-]+:lambda:(?<region>[a-zA-Z0-9-]+):(?<account>\d{12}):layer:(?<name>[a-zA-Z0-9-_]+)$/;
const RUNTIMES = Object.values(Runtime);
const ARCHITECTURES = Object.values(Architecture);

/** The layer a `LayerName` label names: by name in the signed region, or by ARN. */
interface LayerName {
  name: string;
  region: string;
  accountId: string;
  arn: string;
}

function readLayerName(call: LambdaCall, problems: ValidationProblems): LayerName {
  const label = call.labels.LayerName ?? "";
  new MemberReader({ LayerName: label }, problems).string("LayerName", {
    min: 1,
    max: 140,
    pattern: LAYER_NAME,
  });
  const fromArn = LAYER_ARN.exec(label)?.groups;
  const named = {
    name: fromArn?.name ?? label,
    region: fromArn?.region ?? call.region,
    accountId: fromArn?.account ?? call.world.accountId,
  };
  return { ...named, arn: `arn:aws:lambda:${named.region}:${named.accountId}:layer:${named.name}` };
}

function findLayer(call: LambdaCall, named: LayerName): LayerDefinition | undefined {
  if (named.accountId !== call.world.accountId || named.region !== call.region) {
    return undefined;
  }
  return call.world.layers?.find(
    (layer) => layer.name === named.name && layer.region === named.region,
  );
}

/** Reads the `LayerName` and `VersionNumber` labels of the calls on one layer version. */
function readLayerVersion(
  call: LambdaCall,
): Step<LayerName & { version: number; versionArn: string }> {
  const problems = new ValidationProblems();
  const named = readLayerName(call, problems);
  const label = call.labels.VersionNumber ?? "";
  if (!/^\d+$/.test(label)) {
    problems.add(label, "versionNumber", "Member must be a whole number");
  }
  const invalid = problems.reply();
  if (invalid !== undefined) {
    return refuse(invalid);
  }
  const version = Number(label);
  return { ok: true, value: { ...named, version, versionArn: `${named.arn}:${version}` } };
}

/**
 * Where the layer's archive can be downloaded for ten minutes: on the endpoint itself when
 * it serves downloads, else made up and served by nothing.
 */
export function contentLocation(
  call: LambdaCall,
  named: Pick<LayerName, "arn" | "name" | "region">,
  version: Pick<LayerVersionDefinition, "version" | "content">,
): string {
  if (call.downloads !== undefined) {
    return call.downloads.issue(
      version.content === undefined ? undefined : { bytes: version.content },
      named.region,
    );
  }
  const snapshot = stableUuid(`layer:${named.arn}:${version.version}`);
  return `https://prod-04-2014-layers.s3.${named.region}.amazonaws.com/snapshots/${call.world.accountId}/${named.name}-${snapshot}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=600&X-Amz-SignedHeaders=host&X-Amz-Signature=${snapshot.replaceAll("-", "")}`;
}

/** A layer version as ListLayerVersions and ListLayers list it. */
function listItem(layerArn: string, version: LayerVersionDefinition): object {
  return {
    LayerVersionArn: `${layerArn}:${version.version}`,
    Version: version.version,
    Description: version.description,
    CreatedDate: version.createdDate,
    ...(version.compatibleRuntimes === undefined
      ? {}
      : { CompatibleRuntimes: version.compatibleRuntimes }),
    ...(version.compatibleArchitectures === undefined
      ? {}
      : { CompatibleArchitectures: version.compatibleArchitectures }),
    ...(version.licenseInfo === undefined ? {} : { LicenseInfo: version.licenseInfo }),
  };
}

/** A layer version as GetLayerVersion and PublishLayerVersion describe it. */
export function describeVersion(
  call: LambdaCall,
  named: LayerName,
  version: LayerVersionDefinition,
): object {
  const { LayerVersionArn, ...rest } = listItem(named.arn, version) as Record<string, unknown>;
  return {
    Content: {
      Location: contentLocation(call, named, version),
      CodeSha256: version.codeSha256,
      CodeSize: version.codeSize,
    },
    LayerArn: named.arn,
    LayerVersionArn,
    ...rest,
  };
}

/** Reads the CompatibleRuntime and CompatibleArchitecture filters of the listings. */
function readFilters(call: LambdaCall, problems: ValidationProblems) {
  const filters = new MemberReader(Object.fromEntries(call.query), problems);
  const runtime = filters.string("CompatibleRuntime", { values: RUNTIMES });
  const architecture = filters.string("CompatibleArchitecture", { values: ARCHITECTURES });
  return (version: LayerVersionDefinition) =>
    (runtime === undefined || (version.compatibleRuntimes ?? []).includes(runtime)) &&
    (architecture === undefined || (version.compatibleArchitectures ?? []).includes(architecture));
}

/** Newest first, as Lambda lists them. */
function newestFirst(layer: LayerDefinition): LayerVersionDefinition[] {
  return [...layer.versions].sort((a, b) => b.version - a.version);
}

/**
 * Lambda layers: PublishLayerVersion (`lambda:PublishLayerVersion` on the layer's ARN;
 * 201, a base64 `ZipFile` or an S3 location; version numbers are never reused),
 * ListLayers and ListLayerVersions (`lambda:ListLayers`, `lambda:ListLayerVersions` on
 * `*`; at most 50 a page, newest version first), GetLayerVersion and DeleteLayerVersion
 * (`lambda:GetLayerVersion`, `lambda:DeleteLayerVersion` on the layer version's ARN;
 * deleting a version that is gone is still a 204).
 */
export const layerOperations = {
  PublishLayerVersion(call) {
    const json = readJsonBody(call.request.body);
    if (!json.ok) {
      return json;
    }
    const problems = new ValidationProblems();
    const named = readLayerName(call, problems);
    const body = new MemberReader(json.value, problems);
    const content = body.structure("Content", { required: true });
    const source = content === undefined ? undefined : readCodeMembers(content);
    const description = body.string("Description", { max: 256 });
    const compatibleRuntimes = body.strings("CompatibleRuntimes", {
      maxItems: 15,
      values: RUNTIMES,
    });
    const compatibleArchitectures = body.strings("CompatibleArchitectures", {
      maxItems: 2,
      values: ARCHITECTURES,
    });
    const licenseInfo = body.string("LicenseInfo", { max: 512 });
    const invalid = problems.reply();
    if (invalid !== undefined || source === undefined) {
      return refuse(invalid ?? lambdaError(400, "ValidationException", "Invalid request"));
    }
    const denied = authorize(call, "lambda:PublishLayerVersion", named.arn);
    if (denied !== undefined) {
      return refuse(denied);
    }
    if (named.region !== call.region || named.accountId !== call.world.accountId) {
      return refuse(
        lambdaError(
          400,
          "InvalidParameterValueException",
          `A layer can only be published in the region and account the request is signed for (${call.region}, ${call.world.accountId}).`,
        ),
      );
    }
    const archive = readCodeSource(source);
    if (!archive.ok) {
      return archive;
    }
    return serve(() => {
      const layers = call.world.layers ?? [];
      call.world.layers = layers;
      let layer = findLayer(call, named);
      if (layer === undefined) {
        layer = { name: named.name, region: named.region, latestVersion: 0, versions: [] };
        layers.push(layer);
      }
      layer.latestVersion += 1;
      const version: LayerVersionDefinition = {
        version: layer.latestVersion,
        description: description ?? "",
        createdDate: lambdaTimestamp(call.now),
        codeSize: archive.value.sizeBytes,
        codeSha256: archive.value.sha256,
        ...(compatibleRuntimes === undefined ? {} : { compatibleRuntimes }),
        ...(compatibleArchitectures === undefined ? {} : { compatibleArchitectures }),
        ...(licenseInfo === undefined ? {} : { licenseInfo }),
      };
      layer.versions.push(version);
      return jsonReply(describeVersion(call, named, version), 201);
    });
  },

  ListLayers(call) {
    const problems = new ValidationProblems();
    const maxItems = readMaxItems(call.query, problems, PAGE_LIMIT, PAGE_LIMIT);
    const matches = readFilters(call, problems);
    const invalid = problems.reply();
    if (invalid !== undefined) {
      return refuse(invalid);
    }
    const denied = authorize(call, "lambda:ListLayers", "*");
    if (denied !== undefined) {
      return refuse(denied);
    }
    const listed = (call.world.layers ?? [])
      .filter((layer) => layer.region === call.region)
      .map((layer) => ({ layer, latest: newestFirst(layer).find(matches) }))
      .filter((entry) => entry.latest !== undefined)
      .sort((a, b) => (a.layer.name < b.layer.name ? -1 : 1));
    const page = paginate(
      listed,
      {
        scope: `ListLayers:${call.region}:${call.query.get("CompatibleRuntime") ?? ""}:${call.query.get("CompatibleArchitecture") ?? ""}`,
        marker: call.query.get("Marker") ?? undefined,
        maxItems,
        pageLimit: PAGE_LIMIT,
        keyOf: (entry) => entry.layer.name,
      },
      call.markers,
    );
    if (!page.ok) {
      return page;
    }
    const { items, nextMarker } = page.value;
    return serve(() =>
      jsonReply({
        Layers: items.map(({ layer, latest }) => {
          const arn = layerArnOf(call.world.accountId, layer);
          return {
            LayerName: layer.name,
            LayerArn: arn,
            ...(latest === undefined ? {} : { LatestMatchingVersion: listItem(arn, latest) }),
          };
        }),
        ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }),
      }),
    );
  },

  ListLayerVersions(call) {
    const problems = new ValidationProblems();
    const named = readLayerName(call, problems);
    const maxItems = readMaxItems(call.query, problems, PAGE_LIMIT, PAGE_LIMIT);
    const matches = readFilters(call, problems);
    const invalid = problems.reply();
    if (invalid !== undefined) {
      return refuse(invalid);
    }
    const denied = authorize(call, "lambda:ListLayerVersions", "*");
    if (denied !== undefined) {
      return refuse(denied);
    }
    const layer = findLayer(call, named);
    const versions = layer === undefined ? [] : newestFirst(layer).filter(matches);
    const page = paginate(
      versions,
      {
        scope: `ListLayerVersions:${named.arn}:${call.query.get("CompatibleRuntime") ?? ""}:${call.query.get("CompatibleArchitecture") ?? ""}`,
        marker: call.query.get("Marker") ?? undefined,
        maxItems,
        pageLimit: PAGE_LIMIT,
        keyOf: (version) => String(version.version),
      },
      call.markers,
    );
    if (!page.ok) {
      return page;
    }
    const { items, nextMarker } = page.value;
    return serve(() =>
      jsonReply({
        LayerVersions: items.map((version) => listItem(named.arn, version)),
        ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }),
      }),
    );
  },

  GetLayerVersion(call) {
    const named = readLayerVersion(call);
    if (!named.ok) {
      return named;
    }
    const denied = authorize(call, "lambda:GetLayerVersion", named.value.versionArn);
    if (denied !== undefined) {
      return refuse(denied);
    }
    const version = findLayer(call, named.value)?.versions.find(
      (candidate) => candidate.version === named.value.version,
    );
    if (version === undefined) {
      return refuse(
        lambdaError(404, "ResourceNotFoundException", "The resource you requested does not exist."),
      );
    }
    return serve(() => jsonReply(describeVersion(call, named.value, version)));
  },

  DeleteLayerVersion(call) {
    const named = readLayerVersion(call);
    if (!named.ok) {
      return named;
    }
    const denied = authorize(call, "lambda:DeleteLayerVersion", named.value.versionArn);
    if (denied !== undefined) {
      return refuse(denied);
    }
    const layer = findLayer(call, named.value);
    return serve(() => {
      if (layer !== undefined) {
        layer.versions = layer.versions.filter(
          (version) => version.version !== named.value.version,
        );
      }
      return noContent();
    });
  },
} satisfies OperationTable;
