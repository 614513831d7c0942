import type { PolicyStatement } from "./policyStatements.js";

/**
 * What AddPermission can say about a statement, by add_permission's input names: the
 * statement a remove_permission removed is restored exactly by these inputs.
 */
export interface PermissionGrant {
  statement_id: string;
  principal: string;
  action: string;
  source_arn?: string;
  source_account?: string;
  event_source_token?: string;
  principal_org_id?: string;
  function_url_auth_type?: string;
  invoked_via_function_url?: boolean;
}

type ConditionInput = Exclude<
  keyof PermissionGrant,
  "statement_id" | "principal" | "action" | "invoked_via_function_url"
>;

/**
 * The conditions AddPermission writes, by operator and key (keys are case-insensitive
 * in IAM, so lower case here), and the input each comes from.
 */
const CONDITION_INPUTS: Readonly<Record<string, ConditionInput>> = {
  "StringEquals aws:sourceaccount": "source_account",
  "StringEquals lambda:eventsourcetoken": "event_source_token",
  "StringEquals aws:principalorgid": "principal_org_id",
  "StringEquals lambda:functionurlauthtype": "function_url_auth_type",
  "ArnLike aws:sourcearn": "source_arn",
};

/** The condition AddPermission writes for `InvokedViaFunctionUrl: true`. */
const INVOKED_VIA_URL = "Bool lambda:invokedviafunctionurl";

/** An account's root, which AddPermission writes for a principal given as an account ID. */
const ACCOUNT_ROOT = /^arn:aws[a-z-]*:iam::(\d{12}):root$/;

/**
 * A principal as add_permission takes it: `*`, an account ID (for its root), an IAM
 * ARN or a service. The forms AWS writes for the same grant compare equal.
 *
 * @example
 * ```ts
 * principalInput({ AWS: "arn:aws:iam::123456789012:root" }); // "123456789012"
 * principalInput({ Service: "s3.amazonaws.com" });          // "s3.amazonaws.com"
 * ```
 */
export function principalInput(principal: unknown): string | undefined {
  if (typeof principal === "string") {
    return ACCOUNT_ROOT.exec(principal)?.[1] ?? principal;
  }
  if (typeof principal !== "object" || principal === null || Array.isArray(principal)) {
    return undefined;
  }
  const entries = Object.entries(principal);
  const [kind, value] = entries[0] ?? [];
  if (entries.length !== 1 || typeof value !== "string") {
    return undefined;
  }
  if (kind === "AWS") {
    return ACCOUNT_ROOT.exec(value)?.[1] ?? value;
  }
  return kind === "Service" ? value : undefined;
}

/**
 * The add_permission inputs that recreate `statement` exactly, or why none can: a
 * statement AddPermission could not have written (a Deny, several actions or
 * principals, another condition) is never approximated, since a looser copy would open
 * what was closed.
 *
 * @example
 * ```ts
 * grantOf({ sid: "org", effect: "Allow", principal: "*", action: ["lambda:InvokeFunction"],
 *   resource: [arn], conditions: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } });
 * // { statement_id: "org", principal: "*", action: "lambda:InvokeFunction", principal_org_id: "o-a1b2c3d4e5" }
 * ```
 */
export function grantOf(statement: PolicyStatement): PermissionGrant | { unexpressible: string } {
  const principal = principalInput(statement.principal);
  const [action, ...otherActions] = statement.action;
  if (statement.sid === null) {
    return { unexpressible: "it has no Sid" };
  }
  if (statement.effect !== "Allow") {
    return { unexpressible: `its effect is ${statement.effect}` };
  }
  if (principal === undefined) {
    return { unexpressible: "its principal is not one account, IAM ARN, service or *" };
  }
  if (action === undefined || otherActions.length > 0) {
    return { unexpressible: "it does not name exactly one action" };
  }
  const grant: PermissionGrant = { statement_id: statement.sid, principal, action };
  for (const [operator, block] of Object.entries(statement.conditions)) {
    if (typeof block !== "object" || block === null || Array.isArray(block)) {
      return { unexpressible: `its condition ${operator} is not a key-value block` };
    }
    for (const [key, raw] of Object.entries(block)) {
      const value = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
      const condition = `${operator} ${key.toLowerCase()}`;
      const input = CONDITION_INPUTS[condition];
      if (input !== undefined && typeof value === "string") {
        grant[input] = value;
      } else if (condition === INVOKED_VIA_URL && String(value).toLowerCase() === "true") {
        grant.invoked_via_function_url = true;
      } else {
        return { unexpressible: `its condition ${operator} ${key} is not one AddPermission sets` };
      }
    }
  }
  return grant;
}

/**
 * Whether two grants allow exactly the same thing: the statement in place already is
 * the one asked for.
 */
export function sameGrant(a: PermissionGrant, b: PermissionGrant): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof PermissionGrant>;
  return [...keys].every((key) =>
    key === "principal"
      ? principalInput(a.principal) === principalInput(b.principal)
      : (a[key] ?? false) === (b[key] ?? false),
  );
}
