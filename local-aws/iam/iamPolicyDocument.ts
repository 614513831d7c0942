import type { RoleDefinition, World } from "../World.js";

/** IAM's limit on the inline policies of one role: their characters, whitespace left out. */
export const ROLE_INLINE_POLICY_LIMIT = 10240;

/** The ARN of a role, with its path: `arn:aws:iam::<account>:role/<path><name>`. */
export function roleArn(world: Pick<World, "accountId">, role: RoleDefinition): string {
  return `arn:aws:iam::${world.accountId}:role${role.path ?? "/"}${role.name}`;
}

/**
 * The role's trust policy as IAM prints it, built from what the world says the role
 * trusts: principals (with the `sts:ExternalId` condition when one is required) and
 * services.
 */
export function trustPolicyOf(role: RoleDefinition): string {
  const statements: Record<string, unknown>[] = [];
  if (role.trustedPrincipals.length > 0) {
    statements.push({
      Effect: "Allow",
      Principal: { AWS: role.trustedPrincipals },
      Action: "sts:AssumeRole",
      ...(role.externalId === undefined
        ? {}
        : { Condition: { StringEquals: { "sts:ExternalId": role.externalId } } }),
    });
  }
  if ((role.trustedServices ?? []).length > 0) {
    statements.push({
      Effect: "Allow",
      Principal: { Service: role.trustedServices },
      Action: "sts:AssumeRole",
    });
  }
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * Why a policy document is malformed, as IAM's MalformedPolicyDocument words it, or
 * undefined when it is a JSON object with a `Statement` whose every entry has an
 * `Effect` of Allow or Deny and an `Action` or `NotAction`.
 */
export function policyDocumentProblem(document: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    return "Syntax errors in policy.";
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return "Syntax errors in policy.";
  }
  const statement = (parsed as { Statement?: unknown }).Statement;
  if (statement === undefined) {
    return "Missing required field Statement";
  }
  const statements = Array.isArray(statement) ? statement : [statement];
  for (const entry of statements) {
    if (typeof entry !== "object" || entry === null) {
      return "Syntax errors in policy.";
    }
    const { Effect, Action, NotAction } = entry as Record<string, unknown>;
    if (Effect !== "Allow" && Effect !== "Deny") {
      return "Invalid effect: the effect must be Allow or Deny.";
    }
    if (Action === undefined && NotAction === undefined) {
      return "Policy statement must contain actions.";
    }
  }
  return undefined;
}

/** How many characters IAM counts of a policy document toward the size limits. */
export function policySize(document: string): number {
  return document.replace(/\s/g, "").length;
}

/** IAM's encoding of the policy documents it returns: RFC 3986 percent-encoding. */
export function encodePolicyDocument(document: string): string {
  return encodeURIComponent(document).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
