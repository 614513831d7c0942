import type { Executor } from "../../aws/executor.js";
import {
  openPackageDownload,
  PackageSizeMismatchError,
  sourceOf,
} from "../../aws/presignedDownload.js";
import { ConnectorError } from "../../errors.js";
import { type FileReference, uploadFileStream } from "../../turbine/files.js";

/**
 * The largest package Lambda holds: 262,144,000 bytes (250 MB), its quota for a
 * function's unzipped code and layers together, which no zip it accepted can exceed by
 * more than the zip's own headers; 1 MiB is left for those. (A direct upload is capped
 * lower still, at 50 MB zipped; packages from S3 may be larger.)
 */
export const MAX_PACKAGE_BYTES = 262_144_000 + 1024 * 1024;

/** What is downloaded: one deployment package or layer version, as AWS described it. */
export interface ArtifactRequest {
  kind: "function_code" | "layer";
  /** The function's or the layer version's ARN. */
  arn: string;
  /** The presigned URL AWS gave; never printed with its query. */
  location: string | undefined;
  /** AWS's base64 SHA-256 of the package. */
  awsCodeSha256: string | undefined;
  awsCodeSize: number | undefined;
  fileName: string;
  /** The input or output the file belongs to, for the file API's errors. */
  field: string;
  /** Milliseconds the download and upload may take together. */
  timeoutMs: number;
}

/** What taking one artifact gave: the artifact, and whether its size contradicted AWS's. */
export interface TakenArtifact {
  artifact: Artifact;
  sizeMismatch: boolean;
}

/** One artifact of the evidence, taken or not. */
export interface Artifact {
  kind: "function_code" | "layer";
  arn: string;
  taken: boolean;
  file: FileReference | null;
  file_name: string;
  sha256: string | null;
  aws_code_sha256: string | null;
  verified: boolean | null;
  size_bytes: number | null;
  source: string | null;
  reason: { code: string; message: string } | null;
}

/**
 * Downloads one package from its presigned URL through the run's proxy and TLS settings
 * and streams it to the platform's file API as it arrives, hashing it on the way; the
 * whole exchange has one deadline. A package that cannot be taken (refused URL, size
 * over the limit or not as announced, a cut download, a failed upload) gives an
 * artifact with `taken: false` and the reason; the action goes on with the others.
 */
export async function takeArtifact(
  request: ArtifactRequest,
  executor: Executor,
): Promise<TakenArtifact> {
  const base = {
    kind: request.kind,
    arn: request.arn,
    file_name: request.fileName,
    aws_code_sha256: request.awsCodeSha256 ?? null,
    source: request.location === undefined ? null : sourceOf(request.location),
  };
  const notTaken = (code: string, message: string, sizeMismatch = false) =>
    notTakenArtifact(base, { code, message }, sizeMismatch);
  if (request.location === undefined || request.location === "") {
    return notTaken("endpoint_error", `AWS gave no download location for ${request.arn}.`);
  }
  const signal = AbortSignal.timeout(request.timeoutMs);
  const started = executor.now();
  try {
    const download = await openPackageDownload(request.location, {
      agents: await executor.httpAgents(),
      signal,
      maxBytes: MAX_PACKAGE_BYTES,
      expectedBytes: request.awsCodeSize,
      what: `${request.kind === "layer" ? "the layer version" : "the deployment package of"} ${request.arn}`,
    });
    const file = await uploadFileStream(download.body, request.fileName, {
      field: request.field,
      env: executor.env,
      maxBytes: MAX_PACKAGE_BYTES,
      timeoutMs: Math.max(1, request.timeoutMs - (executor.now() - started)),
    });
    const digest = download.digest();
    const artifact: Artifact = {
      ...base,
      taken: true,
      file,
      sha256: digest.sha256Hex,
      verified:
        request.awsCodeSha256 === undefined ? null : digest.sha256Base64 === request.awsCodeSha256,
      size_bytes: digest.bytes,
      reason: null,
    };
    return { artifact, sizeMismatch: false };
  } catch (error) {
    if (error instanceof ConnectorError) {
      return notTaken(error.code, error.message, error instanceof PackageSizeMismatchError);
    }
    throw error;
  }
}

/** An artifact left out, with the reason; the action goes on with the others. */
function notTakenArtifact(
  base: Pick<Artifact, "kind" | "arn" | "file_name" | "aws_code_sha256" | "source">,
  reason: { code: string; message: string },
  sizeMismatch: boolean,
): TakenArtifact {
  return {
    artifact: {
      ...base,
      taken: false,
      file: null,
      sha256: null,
      verified: null,
      size_bytes: null,
      reason,
    },
    sizeMismatch,
  };
}
