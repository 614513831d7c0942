import { createHash } from "node:crypto";
import {
  type FunctionConfiguration,
  type GetFunctionCommandOutput,
  GetLayerVersionByArnCommand,
  type GetLayerVersionByArnCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import type { AwsCall } from "../../aws/call.js";
import type { Executor } from "../../aws/executor.js";
import { sourceOf } from "../../aws/presignedDownload.js";
import { ConnectorError } from "../../errors.js";
import { errorOutput, field, functionNameOutput } from "../../outputFields.js";
import { fileReferenceSchema, requireFileApi, uploadFile } from "../../turbine/files.js";
import { defineCustomAction } from "../defineAction.js";
import { flagInput, functionTargetInputs, timestampOutput } from "../fields.js";
import { MASKED_VALUE } from "../get_function/get_function.js";
import { getFunction } from "../reads.js";
import {
  readFunctionUrls,
  SNAPSHOT_READS,
  type SnapshotPart,
  type SnapshotTarget,
  takePart,
} from "./snapshot.js";
import {
  type Artifact,
  MAX_PACKAGE_BYTES,
  type TakenArtifact,
  takeArtifact,
} from "./takeArtifact.js";

/** The presigned URLs AWS gives are valid for ten minutes: a download cannot outlast them. */
const DEFAULT_DOWNLOAD_TIMEOUT_SECONDS = 600;

const reasonSchema = z
  .object(errorOutput("What went wrong; presigned URLs appear without their query.").shape)
  .describe("Why it was not taken.");

const artifactSchema = z.object({
  kind: z.enum(["function_code", "layer"]).describe("The function's package or a layer version."),
  arn: field.text("The function's or the layer version's ARN."),
  taken: field.flag("Whether the bytes were downloaded and stored."),
  file: fileReferenceSchema.nullable().describe("The stored file, or null when not taken."),
  file_name: field.text("The file's name."),
  sha256: field.nullableText("SHA-256 of the bytes downloaded, hex."),
  aws_code_sha256: field.nullableText("CodeSha256 as AWS gave it (base64 SHA-256)."),
  verified: field.nullableFlag(
    "true when the bytes' SHA-256 is AWS's CodeSha256; null when not taken.",
  ),
  size_bytes: field.nullableInteger("Bytes downloaded."),
  source: field.nullableText(
    "The download URL without its query string (which carries a signature).",
  ),
  reason: reasonSchema.nullable(),
});

const findingSchema = z.object({
  severity: z.enum(["high", "medium", "info"]).describe("high: the evidence contradicts AWS."),
  kind: z
    .enum(["code_hash_mismatch", "size_mismatch"])
    .describe("What was found: bytes whose hash or size is not the one AWS gives."),
  arn: field.text("The function or layer version it is about."),
  what: field.text("What was found."),
  why: field.text("Why it matters."),
});

/** The output of acquire_function_evidence. */
export const acquireFunctionEvidenceOutput = z.object({
  function_name: functionNameOutput,
  function_arn: field.nullableText("Its ARN, as GetFunction gave it."),
  version: field.nullableText("The version the evidence is of."),
  revision_id: field.nullableText("The configuration's RevisionId."),
  package_type: field.nullableText("Zip or Image."),
  acquired_at: timestampOutput("When GetFunction was answered."),
  artifacts: z
    .array(artifactSchema)
    .describe("The deployment package and every layer version, each a stored file."),
  artifacts_count: field.integer("How many artifacts (the list is never paginated)."),
  image: z
    .object({
      image_uri: field.nullableText("ImageUri, as configured."),
      resolved_image_uri: field.nullableText("ResolvedImageUri, with its digest."),
      digest: field.nullableText("The image digest (sha256:…)."),
    })
    .nullable()
    .describe("For container-image functions: the image, which is not downloaded."),
  snapshot: z
    .object({
      taken: field.flag("Whether the snapshot file was stored."),
      file: fileReferenceSchema.nullable().describe("The stored JSON file."),
      file_name: field.text("Its name."),
      sha256: field.nullableText("SHA-256 of the file's bytes, hex."),
      size_bytes: field.nullableInteger("Its size."),
      environment_values_masked: field.flag(
        `Whether environment values are ${MASKED_VALUE} in the file.`,
      ),
      parts: z
        .array(
          z.object({
            part: field.text("The part of the configuration."),
            taken: field.flag("Whether it was read."),
            reason: reasonSchema.nullable(),
          }),
        )
        .describe("Each part of the snapshot and whether it was read."),
      reason: reasonSchema.nullable(),
    })
    .describe("The configuration snapshot, a second file."),
  findings: z.array(findingSchema).describe("What the evidence contradicts."),
  evidence_complete: field.flag("true when every artifact and every snapshot part was taken."),
  missing_parts: z
    .array(z.object({ part: field.text("What is missing."), reason: reasonSchema }))
    .describe("What was not taken, and why."),
});

type Output = z.input<typeof acquireFunctionEvidenceOutput>;

const inputs = z.strictObject({
  ...functionTargetInputs,
  include_layers: flagInput(
    "Include Layers",
    "Download every layer version the function uses, other accounts' included.",
    true,
  ),
  include_environment_values: flagInput(
    "Include Environment Values",
    `Keep the environment variables' values in the snapshot file; ${MASKED_VALUE} by default, since they are where secrets hide.`,
  ),
  file_name_prefix: z
    .string({ error: "must be a string" })
    .regex(/^[A-Za-z0-9._-]{0,64}$/, "must be 0 to 64 of letters, digits, '.', '_' and '-'")
    .default("")
    .meta({
      title: "File Name Prefix",
      description: "Put before every file's name, e.g. a case number.",
      examples: ["IR-2041-"],
    }),
  download_timeout_seconds: z
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(900, "must be at most 900")
    .default(DEFAULT_DOWNLOAD_TIMEOUT_SECONDS)
    .meta({
      title: "Download Timeout (s)",
      description:
        "Deadline of each download with its upload to Turbine, body included; the presigned URLs are valid 600 s.",
    }),
});

type Inputs = z.output<typeof inputs>;

/** GetLayerVersionByArn on one layer version: IAM checks lambda:GetLayerVersion on it. */
const layerVersionCall = (arn: string): AwsCall<Inputs> => ({
  operation: "GetLayerVersionByArn",
  iamAction: "lambda:GetLayerVersion",
  resource: arn,
  target: `layer version ${arn}`,
  inputs: ["include_layers"],
  retry: "idempotent",
});

/**
 * acquire_function_evidence: preserves a suspect function as evidence: its deployment
 * package and layers, verified against AWS's hashes, and a snapshot of its configuration.
 */
export const acquireFunctionEvidenceAction = defineCustomAction({
  name: "acquire_function_evidence",
  title: "Acquire Function Evidence",
  description:
    "Preserve a function as evidence: download its deployment package and every layer version (streamed, SHA-256 checked against AWS's CodeSha256) into Turbine files, and store a snapshot of its configuration (policy, URLs, concurrency, triggers, destinations, recursion, tags, versions, aliases) as a second file, with what could not be taken and why.",
  inputs,
  output: acquireFunctionEvidenceOutput,
  iamActions: [
    "lambda:GetFunction",
    "lambda:GetLayerVersion",
    ...SNAPSHOT_READS.map((read) => read.call.iamAction ?? `lambda:${read.call.operation}`),
    "lambda:GetFunctionUrlConfig",
    "lambda:ListTags",
  ],
  why: "It downloads presigned URLs and streams them to the platform's file API, around a dozen declared reads.",
  run: acquireFunctionEvidence,
});

/**
 * Takes the evidence: GetFunction first (its failure fails the action: there is nothing
 * to preserve), then each package, then the snapshot; whatever else fails leaves its
 * part out with the reason, and `evidence_complete` says so.
 *
 * @example
 * ```ts
 * const evidence = await acquireFunctionEvidence(inputs.parse({ function_name: "echo" }), executor);
 * evidence.artifacts[0]?.verified; // true
 * ```
 */
export async function acquireFunctionEvidence(given: Inputs, executor: Executor): Promise<Output> {
  // The evidence goes nowhere without the file API: say so before reading anything.
  requireFileApi({ field: "artifacts", env: executor.env });
  const target: SnapshotTarget = {
    function_name: given.function_name,
    ...(given.qualifier === undefined ? {} : { qualifier: given.qualifier }),
  };
  const fn = await executor.send<GetFunctionCommandOutput, SnapshotTarget>(
    getFunction,
    getFunction.command(target),
    target,
  );
  const acquiredAt = new Date(executor.now()).toISOString();
  const configuration = fn.Configuration ?? {};
  const version = configuration.Version ?? null;
  const baseName = `${given.file_name_prefix}${configuration.FunctionName ?? nameOf(given.function_name)}-${version ?? "unknown"}`;
  const isImage = configuration.PackageType === "Image";
  const { taken, layers } = await takePackages(fn, given, `${baseName}-code.zip`, executor);

  const parts = await readSnapshot(executor, target, fn, given, layers.described);
  const snapshot = await storeSnapshot(executor, `${baseName}-configuration.json`, {
    function_name: given.function_name,
    qualifier: given.qualifier ?? null,
    acquired_at: acquiredAt,
    environment_values_masked: !given.include_environment_values,
    parts,
  });
  const artifacts = taken.map((one) => one.artifact);
  const findings = taken.flatMap(findingsOf);
  const incomplete = missingParts(artifacts, parts, snapshot.reason);
  const image = isImage ? imageOf(fn.Code) : null;
  return {
    function_name: given.function_name,
    function_arn: configuration.FunctionArn ?? null,
    version,
    revision_id: configuration.RevisionId ?? null,
    package_type: configuration.PackageType ?? null,
    acquired_at: acquiredAt,
    artifacts,
    artifacts_count: artifacts.length,
    image,
    snapshot: {
      ...snapshot,
      environment_values_masked: !given.include_environment_values,
      parts: partsTaken(parts),
    },
    findings,
    evidence_complete: incomplete.length === 0,
    missing_parts: incomplete,
  };
}

/** The function's package (none for an image) and, when asked, every layer's, each verified. */
async function takePackages(
  fn: GetFunctionCommandOutput,
  given: Inputs,
  codeFileName: string,
  executor: Executor,
): Promise<{ taken: TakenArtifact[]; layers: { described: Record<string, SnapshotPart> } }> {
  const configuration = fn.Configuration ?? {};
  const timeoutMs = given.download_timeout_seconds * 1000;
  const functionArn = configuration.FunctionArn ?? given.function_name;
  const isImage = configuration.PackageType === "Image";

  const taken: TakenArtifact[] = isImage
    ? []
    : [
        await takePackage(
          { kind: "function_code", arn: functionArn, fileName: codeFileName, timeoutMs },
          {
            Location: fn.Code?.Location,
            CodeSha256: configuration.CodeSha256,
            CodeSize: configuration.CodeSize,
          },
          executor,
        ),
      ];
  const layers = given.include_layers
    ? await takeLayers(configuration.Layers ?? [], given, executor, timeoutMs)
    : { described: {}, taken: [] };
  taken.push(...layers.taken);

  return { taken, layers };
}

/**
 * One package taken from where AWS says it is (the function's Code or a layer version's
 * Content), verified against AWS's CodeSha256 and CodeSize.
 */
function takePackage(
  what: { kind: "function_code" | "layer"; arn: string; fileName: string; timeoutMs: number },
  aws: {
    Location?: string | undefined;
    CodeSha256?: string | undefined;
    CodeSize?: number | undefined;
  },
  executor: Executor,
): Promise<TakenArtifact> {
  return takeArtifact(
    {
      ...what,
      location: aws.Location,
      awsCodeSha256: aws.CodeSha256,
      awsCodeSize: aws.CodeSize,
      field: "artifacts",
    },
    executor,
  );
}

/** Each snapshot part, whether it was read and why not. */
function partsTaken(parts: Record<string, SnapshotPart>) {
  return Object.entries(parts).map(([part, value]) => ({
    part,
    taken: value.taken,
    reason: value.taken ? null : value.reason,
  }));
}

/** Each layer described (GetLayerVersionByArn) and its package taken; a layer not described is a part left out. */
async function takeLayers(
  functionLayers: readonly { Arn?: string | undefined }[],
  given: Inputs,
  executor: Executor,
  timeoutMs: number,
): Promise<{ described: Record<string, SnapshotPart>; taken: TakenArtifact[] }> {
  const described: Record<string, SnapshotPart> = {};
  const taken: TakenArtifact[] = [];
  for (const layer of functionLayers) {
    const arn = layer.Arn ?? "";
    const fileName = `${given.file_name_prefix}${layerFileName(arn)}`;
    const read = await takePart(() =>
      executor.send<GetLayerVersionByArnCommandOutput, Inputs>(
        layerVersionCall(arn),
        new GetLayerVersionByArnCommand({ Arn: arn }),
        given,
      ),
    );
    if (!read.taken) {
      described[arn] = read;
      taken.push({ artifact: layerNotDescribed(arn, fileName, read.reason), sizeMismatch: false });
      continue;
    }
    const value = read.value as GetLayerVersionByArnCommandOutput;
    described[arn] = { taken: true, value: withoutLocation(value) };
    taken.push(
      await takePackage({ kind: "layer", arn, fileName, timeoutMs }, value.Content ?? {}, executor),
    );
  }
  return { described, taken };
}

/** Every part left out, with its reason: an artifact not taken, a snapshot read, the snapshot file. */
function missingParts(
  artifacts: readonly TakenArtifact["artifact"][],
  parts: Record<string, SnapshotPart>,
  snapshotReason: { code: string; message: string } | null,
) {
  return [
    ...artifacts
      .filter((artifact) => !artifact.taken)
      .map((artifact) => ({
        part: `${artifact.kind} ${artifact.arn}`,
        reason: artifact.reason ?? { code: "internal_error", message: "not taken" },
      })),
    ...Object.entries(parts).flatMap(([part, value]) =>
      value.taken ? [] : [{ part: `snapshot ${part}`, reason: value.reason }],
    ),
    ...(snapshotReason === null ? [] : [{ part: "snapshot file", reason: snapshotReason }]),
  ];
}

/** A container image's URIs and digest: its package is in ECR, not downloaded here. */
function imageOf(code: GetFunctionCommandOutput["Code"]) {
  return {
    image_uri: code?.ImageUri ?? null,
    resolved_image_uri: code?.ResolvedImageUri ?? null,
    digest: digestOf(code?.ResolvedImageUri),
  };
}

/** Every part of the snapshot: GetFunction's answer first, then each declared read. */
async function readSnapshot(
  executor: Executor,
  target: SnapshotTarget,
  fn: GetFunctionCommandOutput,
  given: Inputs,
  layers: Record<string, SnapshotPart>,
): Promise<Record<string, SnapshotPart>> {
  const parts: Record<string, SnapshotPart> = {
    configuration: {
      taken: true,
      value: maskedConfiguration(fn.Configuration ?? {}, given.include_environment_values),
    },
    code: { taken: true, value: withoutCodeLocation(fn.Code) },
    reserved_concurrency: {
      taken: true,
      value: fn.Concurrency?.ReservedConcurrentExecutions ?? null,
    },
    tags:
      fn.TagsError === undefined
        ? { taken: true, value: fn.Tags ?? {} }
        : {
            taken: false,
            reason: {
              code: "access_denied",
              message:
                `GetFunction gave no tags: ${fn.TagsError.ErrorCode ?? "error"}: ${fn.TagsError.Message ?? ""}`.trim(),
            },
          },
  };
  for (const read of SNAPSHOT_READS) {
    parts[read.part] = await takePart(() => read.read(executor, target));
  }
  const versions = parts.versions;
  if (versions?.taken === true) {
    // Each version's configuration carries its own environment.
    parts.versions = {
      taken: true,
      value: (versions.value as FunctionConfiguration[]).map((version) =>
        maskedConfiguration(version, given.include_environment_values),
      ),
    };
  }
  const aliases = parts.aliases;
  const aliasNames =
    aliases?.taken === true
      ? (aliases.value as { Name?: string }[]).flatMap((alias) =>
          alias.Name === undefined ? [] : [alias.Name],
        )
      : [];
  parts.function_urls = await takePart(() => readFunctionUrls(executor, target, aliasNames));
  if (given.include_layers) {
    parts.layers = { taken: true, value: layers };
  }
  return parts;
}

/** GetFunction's configuration with each environment value masked unless asked for. */
export function maskedConfiguration(
  configuration: FunctionConfiguration,
  includeValues: boolean,
): object {
  const variables = configuration.Environment?.Variables;
  if (includeValues || variables === undefined) {
    return configuration;
  }
  return {
    ...configuration,
    Environment: {
      ...configuration.Environment,
      Variables: Object.fromEntries(Object.keys(variables).map((name) => [name, MASKED_VALUE])),
    },
  };
}

/** GetFunction's `Code` with the presigned URL cut to its source: its query is a signature. */
function withoutCodeLocation(code: GetFunctionCommandOutput["Code"]): object | null {
  if (code === undefined) {
    return null;
  }
  return code.Location === undefined ? code : { ...code, Location: sourceOf(code.Location) };
}

function withoutLocation(answer: GetLayerVersionByArnCommandOutput): object {
  const { $metadata: _, Content, ...rest } = answer;
  return {
    ...rest,
    Content:
      Content === undefined
        ? null
        : {
            ...Content,
            ...(Content.Location === undefined ? {} : { Location: sourceOf(Content.Location) }),
          },
  };
}

/** The snapshot as a JSON file, its SHA-256 taken over exactly the bytes stored. */
async function storeSnapshot(executor: Executor, fileName: string, document: object) {
  const bytes = new TextEncoder().encode(`${JSON.stringify(document, null, 2)}\n`);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  try {
    const file = await uploadFile(bytes, fileName, {
      field: "snapshot",
      env: executor.env,
      maxBytes: MAX_PACKAGE_BYTES,
    });
    return {
      taken: true,
      file,
      file_name: fileName,
      sha256,
      size_bytes: bytes.byteLength,
      reason: null,
    };
  } catch (error) {
    if (!(error instanceof ConnectorError)) {
      throw error;
    }
    return {
      taken: false,
      file: null,
      file_name: fileName,
      sha256: null,
      size_bytes: null,
      reason: { code: error.code, message: error.message },
    };
  }
}

function findingsOf({ artifact, sizeMismatch }: TakenArtifact): z.input<typeof findingSchema>[] {
  if (artifact.verified === false) {
    return [
      {
        severity: "high",
        kind: "code_hash_mismatch",
        arn: artifact.arn,
        what: `The bytes downloaded for ${artifact.arn} have SHA-256 ${artifact.sha256}, not AWS's CodeSha256 ${artifact.aws_code_sha256}.`,
        why: "The package served is not the one Lambda describes: something between S3 and here altered it, or AWS's record was changed. The stored file is kept as it arrived.",
      },
    ];
  }
  if (sizeMismatch) {
    return [
      {
        severity: "medium",
        kind: "size_mismatch",
        arn: artifact.arn,
        what: artifact.reason?.message ?? `The size announced for ${artifact.arn} is not AWS's.`,
        why: "The package at AWS's location is not the size AWS records for it, so it was not taken.",
      },
    ];
  }
  return [];
}

function layerNotDescribed(
  arn: string,
  fileName: string,
  reason: { code: string; message: string },
): Artifact {
  return {
    kind: "layer",
    arn,
    taken: false,
    file: null,
    file_name: fileName,
    sha256: null,
    aws_code_sha256: null,
    verified: null,
    size_bytes: null,
    source: null,
    reason,
  };
}

/** `name-version.zip` of a layer version ARN (…:layer:name:version). */
export function layerFileName(arn: string): string {
  const match = /:layer:([^:]+):(\d+)$/.exec(arn);
  return match === null ? "layer.zip" : `layer-${match[1]}-${match[2]}.zip`;
}

/** The digest of an image URI (`…@sha256:…`), or null. */
export function digestOf(uri: string | undefined): string | null {
  const at = uri?.lastIndexOf("@") ?? -1;
  return uri === undefined || at < 0 ? null : uri.slice(at + 1);
}

/** The function's name from a name or ARN, for file names when GetFunction gives none. */
function nameOf(functionName: string): string {
  const parts = functionName.split(":");
  return parts.length >= 7 ? (parts[6] ?? functionName) : (parts[0] ?? functionName);
}
