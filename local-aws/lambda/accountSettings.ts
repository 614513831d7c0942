import { statSync } from "node:fs";
import type { World } from "../World.js";

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

/**
 * GetAccountSettings' answer for `region`: Lambda's default limits, and the usage of the
 * functions in that region. Every published version keeps its own copy of the code, so
 * each counts towards the storage in use. No function reserves concurrency, so all of it
 * is unreserved.
 *
 * @example
 * ```ts
 * accountSettings(defaultWorld(), "us-west-2");
 * // { AccountLimit: { …, ConcurrentExecutions: 1000 }, AccountUsage: { TotalCodeSize: 171, FunctionCount: 1 } }
 * ```
 */
export function accountSettings(world: World, region: string): object {
  const functions = world.functions.filter((fn) => fn.region === region);
  const totalCodeSize = functions.reduce(
    (total, fn) => total + statSync(fn.code).size * (1 + (fn.versions?.length ?? 0)),
    0,
  );
  return {
    AccountLimit: {
      ...ACCOUNT_LIMIT,
      UnreservedConcurrentExecutions: ACCOUNT_LIMIT.ConcurrentExecutions,
    },
    AccountUsage: { TotalCodeSize: totalCodeSize, FunctionCount: functions.length },
  };
}
