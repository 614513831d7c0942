import type { FunctionDefinition, World } from "../World.js";
import type { FunctionTarget } from "./parseFunctionTarget.js";

/** The function a target names, and the version that runs for it. */
export interface ResolvedFunction {
  fn: FunctionDefinition;
  /** `$LATEST`, a published version, or the version the alias points at. */
  version: string;
}

/**
 * Finds the function and version a target names in the world, looking only in the
 * target's region and account, as Lambda does; undefined when there is no such
 * function, version or alias there.
 */
export function resolveFunctionTarget(
  world: World,
  target: FunctionTarget,
): ResolvedFunction | undefined {
  if (target.partition !== "aws" || target.accountId !== world.accountId) {
    return undefined;
  }
  const fn = world.functions.find(
    (candidate) => candidate.name === target.name && candidate.region === target.region,
  );
  if (fn === undefined) {
    return undefined;
  }
  const { qualifier } = target;
  if (qualifier === undefined || qualifier === "$LATEST") {
    return { fn, version: "$LATEST" };
  }
  if (fn.versions?.includes(qualifier)) {
    return { fn, version: qualifier };
  }
  const aliased = fn.aliases?.[qualifier];
  return aliased === undefined ? undefined : { fn, version: aliased };
}
