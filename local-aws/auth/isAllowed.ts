import type { PolicyStatement } from "../World.js";
import { matchesWildcard } from "./matchesWildcard.js";

/**
 * IAM's verdict for one action on one resource under identity-based statements: an
 * explicit Deny wins, then any Allow, and otherwise the implicit deny. Actions compare
 * case-insensitively, resources exactly, so `function:echo` matches only the unqualified
 * ARN and `function:echo:*` only qualified ones.
 *
 * @example
 * ```ts
 * isAllowed(policy, "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:echo:live");
 * ```
 */
export function isAllowed(policy: PolicyStatement[], action: string, resource: string): boolean {
  const relevant = policy.filter(
    (statement) =>
      statement.actions.some((pattern) => matchesWildcard(pattern, action, true)) &&
      statement.resources.some((pattern) => matchesWildcard(pattern, resource)),
  );
  return (
    relevant.some((statement) => statement.effect === "Allow") &&
    !relevant.some((statement) => statement.effect === "Deny")
  );
}
