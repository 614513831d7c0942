import type { Identity } from "../auth/Identity.js";
import type { Reply } from "../http/Reply.js";
import { lambdaError } from "./lambdaError.js";

/**
 * Lambda's 403 when no identity-based policy allows `iamAction` on `resource`, in AWS's
 * words: the caller's ARN, the action, and the resource (`*` for actions that name none).
 *
 * @example
 * ```ts
 * accessDenied(identity, "lambda:ListFunctions", "*");
 * // User: arn:aws:iam::123456789012:user/intruder is not authorized to perform: lambda:ListFunctions on resource: * because no identity-based policy allows the lambda:ListFunctions action
 * ```
 */
export function accessDenied(identity: Identity, iamAction: string, resource: string): Reply {
  return lambdaError(
    403,
    "AccessDeniedException",
    `User: ${identity.arn} is not authorized to perform: ${iamAction} on resource: ${resource} because no identity-based policy allows the ${iamAction} action`,
  );
}
