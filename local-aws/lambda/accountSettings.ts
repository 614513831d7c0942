import type { World } from "../World.js";
import { functionPackage } from "./functionPackage.js";

/** Lambda's default quotas for a new account, per region. */
const ACCOUNT_LIMIT = {
  /** 75 GB for all deployment packages and layers. */
  TotalCodeSize: 75 * 1024 ** 3,
  /** 250 MB unzipped, layers included. */
  CodeSizeUnzipped: 250 * 1024 ** 2,
  /** 50 MB for a zip uploaded directly. */
  CodeSizeZipped: 50 * 1024 ** 2,
  ConcurrentExecutions: 1000,
} as const;

/** Lambda keeps this much of the account's concurrency unreserved, whatever functions reserve. */
export const MINIMUM_UNRESERVED_CONCURRENCY = 100;

/** The concurrency the functions of `region` reserve between them, optionally but one. */
export function reservedConcurrency(world: World, region: string, except?: string): number {
  return world.functions
    .filter((fn) => fn.region === region && fn.name !== except)
    .reduce((total, fn) => total + (fn.reservedConcurrency ?? 0), 0);
}

/** The account's concurrency limit in every region. */
export const ACCOUNT_CONCURRENCY = ACCOUNT_LIMIT.ConcurrentExecutions;

/**
 * GetAccountSettings' answer for `region`: Lambda's default limits, and the usage of the
 * functions and layers in that region. Every published version keeps its own copy of the
 * code, and layer versions count too, towards the storage in use. What functions reserve
 * comes off the unreserved concurrency.
 *
 * @example
 * ```ts
 * accountSettings(defaultWorld(), "us-west-2");
 * // { AccountLimit: { …, ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 }, AccountUsage: { TotalCodeSize: 171, FunctionCount: 1 } }
 * ```
 */
export function accountSettings(world: World, region: string): object {
  const functions = world.functions.filter((fn) => fn.region === region);
  const functionCode = functions.reduce(
    (total, fn) => total + functionPackage(fn).sizeBytes * (1 + (fn.versions?.length ?? 0)),
    0,
  );
  const layerCode = (world.layers ?? [])
    .filter((layer) => layer.region === region)
    .flatMap((layer) => layer.versions)
    .reduce((total, version) => total + version.codeSize, 0);
  return {
    AccountLimit: {
      ...ACCOUNT_LIMIT,
      UnreservedConcurrentExecutions: ACCOUNT_CONCURRENCY - reservedConcurrency(world, region),
    },
    AccountUsage: { TotalCodeSize: functionCode + layerCode, FunctionCount: functions.length },
  };
}
