import type { PolicyCondition, PolicyStatement, ResourcePolicyStatement } from "../World.js";
import type { Identity } from "./Identity.js";
import { matchesWildcard } from "./matchesWildcard.js";

/**
 * IAM's verdict on one request: allowed, or refused for want of any Allow, or by an
 * explicit Deny in the caller's identity-based policy or in the resource's own policy.
 */
export type AccessDecision = "Allow" | "ImplicitDeny" | "IdentityDeny" | "ResourceDeny";

type Verdict = "Allow" | "Deny" | "None";

function asList(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}

/** The verdict of identity-based statements: actions compare case-insensitively, resources exactly. */
function identityVerdict(policy: PolicyStatement[], action: string, resource: string): Verdict {
  const relevant = policy.filter(
    (statement) =>
      statement.actions.some((pattern) => matchesWildcard(pattern, action, true)) &&
      statement.resources.some((pattern) => matchesWildcard(pattern, resource)),
  );
  if (relevant.some((statement) => statement.effect === "Deny")) {
    return "Deny";
  }
  return relevant.some((statement) => statement.effect === "Allow") ? "Allow" : "None";
}

/** The role a session belongs to (`arn:aws:iam::…:role/Name`), or the caller's own ARN. */
function principalArnOf(identity: Identity): string {
  const session =
    /^arn:(?<partition>[^:]+):sts::(?<account>\d{12}):assumed-role\/(?<role>[^/]+)\//.exec(
      identity.arn,
    )?.groups;
  return session === undefined
    ? identity.arn
    : `arn:${session.partition}:iam::${session.account}:role/${session.role}`;
}

/**
 * Whether a statement's principal names the caller. An account (or its `root`) in the
 * same account only delegates to the account's own IAM policies, as on AWS, so it names
 * no one here; services never sign the requests this endpoint sees.
 */
function namesCaller(principal: ResourcePolicyStatement["Principal"], identity: Identity): boolean {
  if (principal === "*") {
    return true;
  }
  if (!("AWS" in principal)) {
    return false;
  }
  const caller = principalArnOf(identity);
  return asList(principal.AWS).some(
    (value) => value === "*" || value === identity.arn || value === caller,
  );
}

const OPERATORS: Record<string, (pattern: string, value: string) => boolean> = {
  StringEquals: (pattern, value) => pattern === value,
  StringEqualsIgnoreCase: (pattern, value) => pattern.toLowerCase() === value.toLowerCase(),
  StringLike: (pattern, value) => matchesWildcard(pattern, value),
  ArnEquals: (pattern, value) => pattern === value,
  ArnLike: (pattern, value) => matchesWildcard(pattern, value),
  Bool: (pattern, value) => pattern.toLowerCase() === value.toLowerCase(),
};

/**
 * A condition block against what a direct API call carries: the caller's principal ARN
 * and account. Keys a direct call does not carry (`AWS:SourceArn`, `AWS:SourceAccount`,
 * `lambda:FunctionUrlAuthType`, …) are absent, so conditions on them fail, as they do on
 * AWS for anyone but the service or URL they are about. `Not` operators hold when the key
 * is absent; an operator this endpoint does not know never holds.
 */
function conditionHolds(condition: PolicyCondition | undefined, identity: Identity): boolean {
  const context: Record<string, string> = {
    "aws:principalarn": principalArnOf(identity),
    "aws:principalaccount": identity.accountId,
  };
  return Object.entries(condition ?? {}).every(([operator, keys]) => {
    const negated = /^(String|Arn)Not/.exec(operator) !== null;
    const compare = OPERATORS[operator.replace("Not", "")];
    if (compare === undefined) {
      return false;
    }
    return Object.entries(keys).every(([key, patterns]) => {
      const value = context[key.toLowerCase()];
      if (value === undefined) {
        return negated;
      }
      const matched = asList(patterns).some((pattern) => compare(pattern, value));
      return negated ? !matched : matched;
    });
  });
}

function resourceVerdict(
  statements: ResourcePolicyStatement[],
  identity: Identity,
  action: string,
  resource: string,
): Verdict {
  const relevant = statements.filter(
    (statement) =>
      asList(statement.Action).some((pattern) => matchesWildcard(pattern, action, true)) &&
      asList(statement.Resource).some((pattern) => matchesWildcard(pattern, resource)) &&
      namesCaller(statement.Principal, identity) &&
      conditionHolds(statement.Condition, identity),
  );
  if (relevant.some((statement) => statement.Effect === "Deny")) {
    return "Deny";
  }
  return relevant.some((statement) => statement.Effect === "Allow") ? "Allow" : "None";
}

/**
 * IAM's evaluation of a request within one account: an explicit Deny in the caller's
 * identity-based policy or in the resource's policy wins; otherwise an Allow in either
 * is enough; otherwise the implicit deny.
 *
 * @example
 * ```ts
 * evaluateAccess(identity, "lambda:InvokeFunction", functionArn, fn.policies?.[""] ?? []);
 * // "Allow" when the function's policy has {"Principal": "*", "Action": "lambda:InvokeFunction"}
 * ```
 */
export function evaluateAccess(
  identity: Identity,
  action: string,
  resource: string,
  resourcePolicy: ResourcePolicyStatement[] = [],
): AccessDecision {
  const byIdentity = identityVerdict(identity.policy, action, resource);
  if (byIdentity === "Deny") {
    return "IdentityDeny";
  }
  const byResource = resourceVerdict(resourcePolicy, identity, action, resource);
  if (byResource === "Deny") {
    return "ResourceDeny";
  }
  return byIdentity === "Allow" || byResource === "Allow" ? "Allow" : "ImplicitDeny";
}
