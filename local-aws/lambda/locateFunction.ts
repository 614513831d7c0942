import type { Step } from "../http/Reply.js";
import type { FunctionDefinition } from "../World.js";
import { authorize } from "./authorize.js";
import type { LambdaCall } from "./LambdaCall.js";
import { lambdaError } from "./lambdaError.js";
import { type FunctionTarget, parseFunctionTarget } from "./parseFunctionTarget.js";
import { type ResolvedFunction, resolveFunctionTarget } from "./resolveFunctionTarget.js";

/** A function a call is about, as named and as found. */
export interface LocatedFunction {
  target: FunctionTarget;
  resolved: ResolvedFunction;
}

/** Which function a call names, and what IAM must allow on it. */
export interface LocateRequest {
  /** The name, partial ARN or ARN the caller gave, URL-decoded. */
  functionName: string;
  /** The `Qualifier` parameter, when the operation has one and it was sent. */
  qualifier: string | undefined;
  iamAction: string;
  /** Operations on the whole function (concurrency, versions, aliases) take no qualifier. */
  unqualifiedOnly?: boolean;
}

/** The key of a function's per-qualifier policies and URLs: `""` for the unqualified function. */
export function qualifierKey(target: FunctionTarget): string {
  return target.qualifier ?? "";
}

/** The function in the world a target names, whatever its qualifier, if it exists. */
function findFunction(call: LambdaCall, target: FunctionTarget): FunctionDefinition | undefined {
  return resolveFunctionTarget(call.world, { ...target, qualifier: undefined })?.fn;
}

/**
 * Parses the function name and qualifier, authorizes the action on the exact ARN and
 * qualifier (under the caller's identity policy and the function's resource policy for
 * that qualifier), and finds the function in the signed region, in that order: IAM
 * answers before Lambda says whether a function exists.
 *
 * @example
 * ```ts
 * const located = locateFunction(call, { functionName: "echo:live", qualifier: undefined, iamAction: "lambda:GetPolicy" });
 * // { ok: true, value: { target: { name: "echo", qualifier: "live", … }, resolved: { fn, version: "2" } } }
 * ```
 */
export function locateFunction(call: LambdaCall, request: LocateRequest): Step<LocatedFunction> {
  call.note({ functionName: request.functionName });
  const parsed = parseFunctionTarget(
    request.functionName,
    request.qualifier,
    call.region,
    call.world.accountId,
  );
  if (!parsed.ok) {
    return parsed;
  }
  const { target } = parsed;
  if (target.qualifier !== undefined) {
    call.note({ qualifier: target.qualifier });
  }
  if (request.unqualifiedOnly === true && target.qualifier !== undefined) {
    return {
      ok: false,
      reply: lambdaError(
        400,
        "InvalidParameterValueException",
        `${call.operation} applies to a whole function: name it without a version or alias, not ${request.functionName}.`,
      ),
    };
  }
  const policy = findFunction(call, target)?.policies?.[qualifierKey(target)] ?? [];
  const denied = authorize(call, request.iamAction, target.resourceArn, policy);
  if (denied !== undefined) {
    return { ok: false, reply: denied };
  }
  if (target.region !== call.region) {
    return {
      ok: false,
      reply: lambdaError(
        404,
        "ResourceNotFoundException",
        `Functions from '${target.region}' are not reachable in this region ('${call.region}')`,
      ),
    };
  }
  const resolved = resolveFunctionTarget(call.world, target);
  if (resolved === undefined) {
    return {
      ok: false,
      reply: lambdaError(
        404,
        "ResourceNotFoundException",
        `Function not found: ${target.resourceArn}`,
      ),
    };
  }
  return { ok: true, value: { target, resolved } };
}
