import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { FunctionTarget } from "./parseFunctionTarget.js";
import type { ResolvedFunction } from "./resolveFunctionTarget.js";

/** A fixed date, so that descriptions are stable from run to run. */
const LAST_MODIFIED = "2025-01-01T00:00:00.000+0000";

/**
 * GetFunction's answer (or, with `withCode` false, GetFunctionConfiguration's): the
 * configuration Lambda would report for the function at the resolved version.
 */
export function describeFunction(
  { fn, version }: ResolvedFunction,
  target: FunctionTarget,
  withCode: boolean,
): object {
  const code = readFileSync(fn.code);
  const configuration = {
    FunctionName: fn.name,
    FunctionArn: target.resourceArn,
    Runtime: "nodejs20.x",
    Role: `arn:aws:iam::${target.accountId}:role/service-role/${fn.name}-role`,
    Handler: `${basename(fn.code, ".js")}.handler`,
    CodeSize: code.length,
    CodeSha256: createHash("sha256").update(code).digest("base64"),
    Description: "",
    Timeout: fn.timeoutSeconds,
    MemorySize: fn.memorySizeMb,
    LastModified: LAST_MODIFIED,
    Version: version,
    Environment: { Variables: fn.environment ?? {} },
    State: "Active",
    LastUpdateStatus: "Successful",
    PackageType: "Zip",
    Architectures: ["x86_64"],
  };
  if (!withCode) {
    return configuration;
  }
  return {
    Configuration: configuration,
    Code: { RepositoryType: "S3", Location: `file://${fn.code}` },
  };
}
