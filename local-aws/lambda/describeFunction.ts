import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { ResolvedFunction } from "./resolveFunctionTarget.js";

/** A fixed date, so that descriptions are stable from run to run. */
const LAST_MODIFIED = "2025-01-01T00:00:00.000+0000";

/** The operations that describe a function, each with its own shape of the answer. */
export type DescribingOperation = "GetFunction" | "GetFunctionConfiguration" | "ListFunctions";

/** Which function ARN a description shows, and the account its default role lives in. */
export interface DescribedAs {
  /** The ARN as the caller named it (qualified or not), or as a listing shows it. */
  functionArn: string;
  accountId: string;
}

/**
 * The configuration Lambda would report for the function at the resolved version, in the
 * shape `operation` answers with: GetFunction wraps it with `Code`, and ListFunctions
 * leaves out the state fields (`State`, `LastUpdateStatus`), which AWS documents as
 * GetFunction's alone.
 *
 * @example
 * ```ts
 * describeFunction({ fn, version: "$LATEST" }, { functionArn, accountId }, "ListFunctions");
 * ```
 */
export function describeFunction(
  { fn, version }: ResolvedFunction,
  { functionArn, accountId }: DescribedAs,
  operation: DescribingOperation,
): object {
  const code = readFileSync(fn.code);
  const configuration = {
    FunctionName: fn.name,
    FunctionArn: functionArn,
    Runtime: fn.runtime ?? "nodejs20.x",
    Role: fn.role ?? `arn:aws:iam::${accountId}:role/service-role/${fn.name}-role`,
    Handler: fn.handler ?? `${basename(fn.code, ".js")}.handler`,
    CodeSize: code.length,
    CodeSha256: createHash("sha256").update(code).digest("base64"),
    Description: fn.description ?? "",
    Timeout: fn.timeoutSeconds,
    MemorySize: fn.memorySizeMb,
    LastModified: LAST_MODIFIED,
    Version: version,
    Environment: { Variables: fn.environment ?? {} },
    PackageType: "Zip",
    Architectures: ["x86_64"],
  };
  if (operation === "ListFunctions") {
    return configuration;
  }
  const withState = { ...configuration, State: "Active", LastUpdateStatus: "Successful" };
  if (operation === "GetFunctionConfiguration") {
    return withState;
  }
  return {
    Configuration: withState,
    Code: { RepositoryType: "S3", Location: `file://${fn.code}` },
  };
}
