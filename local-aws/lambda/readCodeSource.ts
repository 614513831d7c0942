import { createHash } from "node:crypto";
import type { Step } from "../http/Reply.js";
import type { PackageStats } from "./functionPackage.js";
import { lambdaError } from "./lambdaError.js";
import type { MemberReader } from "./MemberReader.js";

/** A zip's local file header, or the end-of-archive record that is all an empty zip holds. */
const ZIP_SIGNATURES = ["504b0304", "504b0506"];

/** A code source's members, as read from a request body. */
export interface CodeSourceMembers {
  zipFile: string | undefined;
  s3Bucket: string | undefined;
  s3Key: string | undefined;
  s3ObjectVersion: string | undefined;
}

/**
 * Reads the members of a `Code` (CreateFunction) or `Content` (PublishLayerVersion)
 * structure, checking them against the model's constraints.
 */
export function readCodeMembers(code: MemberReader): CodeSourceMembers {
  return {
    zipFile: code.string("ZipFile"),
    s3Bucket: code.string("S3Bucket", { min: 3, max: 63, pattern: "[0-9A-Za-z\\.\\-_]*(?<!\\.)" }),
    s3Key: code.string("S3Key", { min: 1, max: 1024 }),
    s3ObjectVersion: code.string("S3ObjectVersion", { min: 1, max: 1024 }),
  };
}

function invalid(message: string): Step<never> {
  return { ok: false, reply: lambdaError(400, "InvalidParameterValueException", message) };
}

/**
 * The package a code source holds: a base64 zip sent inline, or an S3 object. The
 * endpoint has no S3, so an S3 object is taken on trust and stands for a package whose
 * bytes are its location (`s3://bucket/key?versionId=…`): a stable size and hash.
 *
 * @example
 * ```ts
 * readCodeSource({ zipFile: "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==", s3Bucket: undefined, s3Key: undefined, s3ObjectVersion: undefined });
 * // { ok: true, value: { sizeBytes: 22, sha256: "…" } }
 * ```
 */
export function readCodeSource(members: CodeSourceMembers): Step<PackageStats> {
  const { zipFile, s3Bucket, s3Key, s3ObjectVersion } = members;
  const fromS3 = s3Bucket !== undefined || s3Key !== undefined || s3ObjectVersion !== undefined;
  if (zipFile !== undefined && fromS3) {
    return invalid("Please do not provide other FunctionCode parameters when providing a ZipFile.");
  }
  let bytes: Buffer;
  if (zipFile !== undefined) {
    bytes = Buffer.from(zipFile, "base64");
    if (!ZIP_SIGNATURES.includes(bytes.subarray(0, 4).toString("hex"))) {
      return invalid(
        "Could not unzip uploaded file. Please check your file, then try to upload again.",
      );
    }
  } else if (s3Bucket !== undefined && s3Key !== undefined) {
    const version = s3ObjectVersion === undefined ? "" : `?versionId=${s3ObjectVersion}`;
    bytes = Buffer.from(`s3://${s3Bucket}/${s3Key}${version}`);
  } else if (fromS3) {
    return invalid("Both S3Bucket and S3Key are required to take code from S3.");
  } else {
    return invalid("Please provide a source for function code.");
  }
  return {
    ok: true,
    value: { sizeBytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("base64") },
  };
}
