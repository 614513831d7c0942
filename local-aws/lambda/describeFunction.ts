import { basename } from "node:path";
import type { World } from "../World.js";
import { functionPackage } from "./functionPackage.js";
import { findLayerVersion } from "./layerArns.js";
import type { ResolvedFunction } from "./resolveFunctionTarget.js";
import { stableUuid } from "./stableUuid.js";

/** A fixed date, so that descriptions are stable from run to run. */
const LAST_MODIFIED = "2025-01-01T00:00:00.000+0000";

/**
 * The operations that describe a function. The listings leave out the state fields
 * (`State`, `LastUpdateStatus`), which AWS documents as GetFunction's and
 * GetFunctionConfiguration's alone.
 */
export type DescribingOperation =
  | "GetFunction"
  | "GetFunctionConfiguration"
  | "CreateFunction"
  | "UpdateFunctionConfiguration"
  | "UpdateFunctionCode"
  | "PublishVersion"
  | "ListFunctions"
  | "ListVersionsByFunction";

/** How a description is made: which ARN it shows, at what time, for which operation. */
export interface DescribedAs {
  /** The ARN as the caller named it (qualified or not), or as a listing shows it. */
  functionArn: string;
  world: World;
  /** The endpoint's clock, epoch milliseconds: a just-created function is still Pending. */
  now: number;
  operation: DescribingOperation;
}

/**
 * The function's revision: it changes whenever the function or one of its policies does;
 * a function that never changed has a stable one.
 */
export function revisionIdOf(fn: ResolvedFunction["fn"]): string {
  return fn.revisionId ?? stableUuid(`revision:${fn.name}`);
}

/**
 * The configuration Lambda would report for the function at the resolved version
 * (`FunctionConfiguration`), with the state fields unless a listing asks.
 *
 * @example
 * ```ts
 * describeFunction({ fn, version: "$LATEST" }, { functionArn, world, now: Date.now(), operation: "ListFunctions" });
 * ```
 */
export function describeFunction(
  { fn, version }: ResolvedFunction,
  { functionArn, world, now, operation }: DescribedAs,
): Record<string, unknown> {
  const code = functionPackage(fn);
  const configuration: Record<string, unknown> = {
    FunctionName: fn.name,
    FunctionArn: functionArn,
    Runtime: fn.runtime ?? "nodejs20.x",
    Role: fn.role ?? `arn:aws:iam::${world.accountId}:role/service-role/${fn.name}-role`,
    Handler: fn.handler ?? `${basename(fn.code, ".js")}.handler`,
    CodeSize: code.sizeBytes,
    CodeSha256: code.sha256,
    Description: fn.description ?? "",
    Timeout: fn.timeoutSeconds,
    MemorySize: fn.memorySizeMb,
    LastModified: fn.lastModified ?? LAST_MODIFIED,
    Version: version,
    Environment: { Variables: fn.environment ?? {} },
    RevisionId: revisionIdOf(fn),
    PackageType: "Zip",
    Architectures: fn.architectures ?? ["x86_64"],
  };
  if (fn.vpc !== undefined) {
    configuration.VpcConfig = {
      SubnetIds: fn.vpc.subnetIds,
      SecurityGroupIds: fn.vpc.securityGroupIds,
      VpcId: fn.vpc.vpcId,
    };
  }
  if (fn.deadLetterTargetArn !== undefined) {
    configuration.DeadLetterConfig = { TargetArn: fn.deadLetterTargetArn };
  }
  if (fn.layers !== undefined && fn.layers.length > 0) {
    // A layer version deleted since still counts for the function, without its size.
    configuration.Layers = fn.layers.map((arn) => ({
      Arn: arn,
      CodeSize: findLayerVersion(world, arn)?.version.codeSize ?? 0,
    }));
  }
  if (operation === "ListFunctions" || operation === "ListVersionsByFunction") {
    return configuration;
  }
  if (fn.pendingUntil !== undefined && now < fn.pendingUntil) {
    return {
      ...configuration,
      State: "Pending",
      StateReason: "The function is being created.",
      StateReasonCode: "Creating",
    };
  }
  return { ...configuration, State: "Active", ...lastUpdateStatus(fn, now) };
}

/**
 * `LastUpdateStatus` and its reason: `InProgress` while the last update runs (by the
 * endpoint's clock), then how it ended; `Successful` for a function never updated.
 */
function lastUpdateStatus(fn: ResolvedFunction["fn"], now: number): Record<string, string> {
  const update = fn.lastUpdate;
  if (update === undefined) {
    return { LastUpdateStatus: "Successful" };
  }
  if (now < update.until) {
    return {
      LastUpdateStatus: "InProgress",
      LastUpdateStatusReason: "The function is being updated.",
      LastUpdateStatusReasonCode: "InProgress",
    };
  }
  return {
    LastUpdateStatus: update.status,
    ...(update.reason === undefined ? {} : { LastUpdateStatusReason: update.reason }),
    ...(update.reasonCode === undefined ? {} : { LastUpdateStatusReasonCode: update.reasonCode }),
  };
}
