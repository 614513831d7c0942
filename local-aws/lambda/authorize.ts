import { evaluateAccess } from "../auth/evaluateAccess.js";
import type { Reply } from "../http/Reply.js";
import type { ResourcePolicyStatement } from "../World.js";
import { accessDenied } from "./accessDenied.js";
import type { LambdaCall } from "./LambdaCall.js";

/**
 * IAM's check of one action on one resource for the caller: undefined when allowed,
 * otherwise Lambda's 403 saying why. `resourcePolicy` is the function's own policy for
 * the qualifier asked for, when the resource is a function.
 *
 * @example
 * ```ts
 * const denied = authorize(call, "lambda:ListLayers", "*");
 * if (denied !== undefined) return { ok: false, reply: denied };
 * ```
 */
export function authorize(
  call: Pick<LambdaCall, "identity">,
  iamAction: string,
  resource: string,
  resourcePolicy: ResourcePolicyStatement[] = [],
): Reply | undefined {
  const decision = evaluateAccess(call.identity, iamAction, resource, resourcePolicy);
  return decision === "Allow"
    ? undefined
    : accessDenied(call.identity, iamAction, resource, decision);
}
