import type { AccessDecision } from "../auth/evaluateAccess.js";
import type { Identity } from "../auth/Identity.js";
import type { Reply } from "../http/Reply.js";
import { lambdaError } from "./lambdaError.js";

/**
 * Lambda's 403 when IAM refuses `iamAction` on `resource`, in AWS's words: the caller's
 * ARN, the action, the resource (`*` for actions that name none), and why: no policy
 * allows it, or an explicit deny in an identity-based or resource-based policy.
 *
 * @example
 * ```ts
 * accessDenied(identity, "lambda:ListFunctions", "*");
 * // User: arn:aws:iam::123456789012:user/intruder is not authorized to perform: lambda:ListFunctions on resource: * because no identity-based policy allows the lambda:ListFunctions action
 * accessDenied(identity, "lambda:InvokeFunction", arn, "ResourceDeny");
 * // User: … is not authorized to perform: lambda:InvokeFunction on resource: arn:… with an explicit deny in a resource-based policy
 * ```
 */
export function accessDenied(
  identity: Identity,
  iamAction: string,
  resource: string,
  decision: Exclude<AccessDecision, "Allow"> = "ImplicitDeny",
): Reply {
  return lambdaError(
    403,
    "AccessDeniedException",
    accessDeniedMessage(identity, iamAction, resource, decision),
  );
}

/** The message of {@link accessDenied}, for answers that carry it in a field (GetFunction's `TagsError`). */
export function accessDeniedMessage(
  identity: Identity,
  iamAction: string,
  resource: string,
  decision: Exclude<AccessDecision, "Allow"> = "ImplicitDeny",
): string {
  const why = {
    ImplicitDeny: `because no identity-based policy allows the ${iamAction} action`,
    IdentityDeny: "with an explicit deny in an identity-based policy",
    ResourceDeny: "with an explicit deny in a resource-based policy",
  }[decision];
  return `User: ${identity.arn} is not authorized to perform: ${iamAction} on resource: ${resource} ${why}`;
}
