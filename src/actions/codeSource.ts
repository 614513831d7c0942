import { z } from "zod";
import type { Executor } from "../aws/executor.js";
import { InvalidInputError } from "../errors.js";
import { downloadFile, fileReferenceSchema } from "../turbine/files.js";

/** Largest zip Lambda accepts in the request itself; larger packages go through S3. */
export const DIRECT_UPLOAD_LIMIT_BYTES = 50 * 1024 * 1024;

/** The code inputs of create_function and publish_layer_version: exactly one source. */
export const codeSourceInputs = {
  zip_file: fileReferenceSchema.optional().meta({
    title: "Zip File",
    description: "The deployment package as a Turbine file (up to 50 MB zipped).",
  }),
  zip_file_base64: z
    .string({ error: "must be a string" })
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, "must be base64 text (A-Z, a-z, 0-9, + and /, = padding)")
    .optional()
    .meta({ title: "Zip File (base64)", description: "The deployment package as base64 text." }),
  s3_bucket: z
    .string({ error: "must be a string" })
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name")
    .optional()
    .meta({
      title: "S3 Bucket",
      description: "Bucket holding the package, in the function's region.",
    }),
  s3_key: z
    .string({ error: "must be a string" })
    .min(1, "must not be empty")
    .max(1024, "must be at most 1024 characters")
    .optional()
    .meta({ title: "S3 Key", description: "The package's object key; goes with s3_bucket." }),
  s3_object_version: z
    .string({ error: "must be a string" })
    .min(1, "must not be empty")
    .optional()
    .meta({ title: "S3 Object Version", description: "A specific version of that object." }),
};

type CodeSourceInputs = {
  zip_file?: { file: string; file_name: string } | undefined;
  zip_file_base64?: string | undefined;
  s3_bucket?: string | undefined;
  s3_key?: string | undefined;
  s3_object_version?: string | undefined;
};

/**
 * Adds a validation issue unless exactly one code source is given (and S3 fields are
 * complete), naming the field to fix. For a schema's `superRefine`.
 */
export function checkCodeSource(inputs: CodeSourceInputs, ctx: z.RefinementCtx): void {
  const given = [
    inputs.zip_file === undefined ? undefined : "zip_file",
    inputs.zip_file_base64 === undefined ? undefined : "zip_file_base64",
    inputs.s3_bucket === undefined && inputs.s3_key === undefined ? undefined : "s3_bucket",
  ].filter((source) => source !== undefined);
  if (given.length === 0) {
    ctx.addIssue({
      code: "custom",
      path: ["zip_file"],
      message: "is required unless zip_file_base64 or s3_bucket and s3_key give the code",
    });
  } else if (given.length > 1) {
    ctx.addIssue({
      code: "custom",
      path: [given[1] ?? "zip_file"],
      message: `gives the code a second time: use exactly one of zip_file, zip_file_base64 or s3_bucket with s3_key (${given.join(" and ")} given)`,
    });
  }
  for (const [field, other] of [
    ["s3_bucket", "s3_key"],
    ["s3_key", "s3_bucket"],
  ] as const) {
    if (inputs[field] === undefined && inputs[other] !== undefined) {
      ctx.addIssue({ code: "custom", path: [field], message: `is required with ${other}` });
    }
  }
  if (inputs.s3_object_version !== undefined && inputs.s3_key === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["s3_object_version"],
      message: "is only used with s3_bucket and s3_key",
    });
  }
}

/** The code as the SDK takes it (`Code` of CreateFunction, `Content` of PublishLayerVersion). */
export type ResolvedCode =
  | { ZipFile: Uint8Array }
  | { S3Bucket: string; S3Key: string; S3ObjectVersion?: string };

/**
 * The code the inputs give: downloaded from Turbine's file API, decoded from base64,
 * or the S3 location. A zip is checked before anything is sent to AWS.
 *
 * @example
 * ```ts
 * const code = await resolveCode(inputs, executor); // { ZipFile: Uint8Array } or { S3Bucket, S3Key }
 * ```
 */
export async function resolveCode(
  inputs: CodeSourceInputs,
  executor: Executor,
): Promise<ResolvedCode> {
  if (inputs.s3_bucket !== undefined && inputs.s3_key !== undefined) {
    return {
      S3Bucket: inputs.s3_bucket,
      S3Key: inputs.s3_key,
      ...(inputs.s3_object_version === undefined
        ? {}
        : { S3ObjectVersion: inputs.s3_object_version }),
    };
  }
  if (inputs.zip_file !== undefined) {
    const bytes = await downloadFile(inputs.zip_file, {
      field: "zip_file",
      env: executor.env,
      maxBytes: DIRECT_UPLOAD_LIMIT_BYTES,
    });
    return { ZipFile: checkZip(bytes, "zip_file") };
  }
  const bytes = Buffer.from(inputs.zip_file_base64 ?? "", "base64");
  return { ZipFile: checkZip(new Uint8Array(bytes), "zip_file_base64") };
}

/** A zip archive starts with a local file header (or, empty, with the end record). */
function checkZip(bytes: Uint8Array, field: string): Uint8Array {
  if (bytes.byteLength > DIRECT_UPLOAD_LIMIT_BYTES) {
    throw new InvalidInputError(
      "payload_too_large",
      `${field}: is ${bytes.byteLength} bytes, over Lambda's 50 MB limit for a package sent directly`,
      { field, hint: "Upload the package to S3 and give s3_bucket and s3_key instead." },
    );
  }
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05);
  if (!zip) {
    throw new InvalidInputError("invalid_input", `${field}: is not a zip archive`, {
      field,
      hint: "Give the deployment package as a .zip file (the function's code and its dependencies at the archive's root).",
    });
  }
  return bytes;
}
