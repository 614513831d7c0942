import {
  DeleteRolePolicyCommand,
  GetRolePolicyCommand,
  type GetRolePolicyCommandOutput,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { z } from "zod";
import type { AwsCall } from "../aws/call.js";
import type { Executor } from "../aws/executor.js";
import { ConnectorError } from "../errors.js";
import { field } from "../outputFields.js";

/** The inline policy quarantine_execution_role attaches, and release_execution_role removes. */
export const QUARANTINE_POLICY_NAME = "TurbineQuarantine";

/** The Sids that mark a policy as this connector's quarantine, so release never removes another's. */
const DENY_ALL_SID = "TurbineQuarantineDenyAll";
const REVOKE_SID = "TurbineRevokeOlderSessions";

/** A role as the IAM calls name it: its name, and its ARN when known (read from the function). */
export interface RoleRef {
  role_name: string;
  role_arn: string | null;
}

/**
 * The quarantine policy: deny every action on every resource, and (as the IAM console's
 * "Revoke active sessions" does) deny every session issued before `revokedBefore`
 * through `aws:TokenIssueTime`, so stolen credentials stay dead while the policy is on.
 */
export function quarantineDocument(revokedBefore: string): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: DENY_ALL_SID, Effect: "Deny", Action: "*", Resource: "*" },
      {
        Sid: REVOKE_SID,
        Effect: "Deny",
        Action: "*",
        Resource: "*",
        Condition: { DateLessThan: { "aws:TokenIssueTime": revokedBefore } },
      },
    ],
  };
}

/** Whether a policy document is one {@link quarantineDocument} wrote (its two Sids, both Deny). */
export function isQuarantineDocument(document: unknown): boolean {
  const statements = (document as { Statement?: unknown } | null)?.Statement;
  if (!Array.isArray(statements)) {
    return false;
  }
  const sids = statements.map((statement: { Sid?: unknown; Effect?: unknown }) =>
    statement?.Effect === "Deny" ? statement.Sid : undefined,
  );
  return sids.includes(DENY_ALL_SID) && sids.includes(REVOKE_SID);
}

/** The instant the revoke statement names, when the document has one. */
export function revokedBeforeOf(document: unknown): string | null {
  const statements = (document as { Statement?: unknown[] } | null)?.Statement ?? [];
  for (const statement of statements as Record<string, unknown>[]) {
    const condition = statement?.Condition as Record<string, Record<string, unknown>> | undefined;
    const when = condition?.DateLessThan?.["aws:TokenIssueTime"];
    if (statement?.Sid === REVOKE_SID && typeof when === "string") {
      return when;
    }
  }
  return null;
}

/** The role name of a role ARN: its last path segment. */
export function roleNameOf(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf("/") + 1);
}

/** The IAM role name input, as IAM constrains it. */
export const roleNameInput = z
  .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
  .regex(/^[\w+=,.@-]{1,64}$/, "must be an IAM role name: 1 to 64 of letters, digits and +=,.@_-")
  .meta({
    title: "Role Name",
    description: "The execution role's name (the last part of its ARN).",
    examples: ["enrich-indicator-role"],
  });

/** The quarantine policy as the outputs print it. */
export const quarantinePolicySchema = z.object({
  policy_name: field.text("The inline policy's name on the role."),
  policy_document: z
    .record(z.string(), z.json())
    .meta({ description: "The policy document, as attached." }),
  sessions_revoked_before: field.nullableText(
    "ISO 8601 instant: role sessions issued before it are denied (aws:TokenIssueTime); null when the policy has no such statement.",
  ),
});

/** One quarantine policy as the outputs print it. */
export type QuarantinePolicy = z.output<typeof quarantinePolicySchema>;

/** How each IAM call on a role is declared: the role's ARN, and how to name it. */
function onRole(operation: string, retry: AwsCall["retry"]): AwsCall<RoleRef> {
  return {
    service: "iam",
    operation,
    // Only the name given: IAM checks the role's ARN, whose account and path are not known.
    resource: (role, where) =>
      role.role_arn ?? `arn:${where.partition}:iam::*:role/${role.role_name}`,
    target: (role) => `role ${role.role_name}`,
    inputs: ["function_name", "role_name"],
    retry,
  };
}

/** GetRolePolicy of the quarantine policy. */
export const getQuarantinePolicy = onRole("GetRolePolicy", "idempotent");
/** PutRolePolicy of the quarantine policy: a put of the same document is harmless to repeat. */
export const putQuarantinePolicy = onRole("PutRolePolicy", "idempotent");
/** DeleteRolePolicy of the quarantine policy. */
export const deleteQuarantinePolicy = onRole("DeleteRolePolicy", "idempotent");

/** The quarantine policy on the role, null when there is none. */
export async function readQuarantinePolicy(
  executor: Executor,
  role: RoleRef,
): Promise<QuarantinePolicy | null> {
  try {
    const response = await executor.send<GetRolePolicyCommandOutput, RoleRef>(
      getQuarantinePolicy,
      new GetRolePolicyCommand({ RoleName: role.role_name, PolicyName: QUARANTINE_POLICY_NAME }),
      role,
    );
    // IAM returns policy documents percent-encoded (RFC 3986).
    const document = JSON.parse(decodeURIComponent(response.PolicyDocument ?? "{}"));
    return {
      policy_name: QUARANTINE_POLICY_NAME,
      policy_document: document,
      sessions_revoked_before: revokedBeforeOf(document),
    };
  } catch (error) {
    if (error instanceof ConnectorError && error.awsErrorCode === "NoSuchEntityException") {
      return null;
    }
    throw error;
  }
}

/** The before-read of a role change: the policy, or why it is unknown (a denied read). */
export type PolicyRead =
  | { known: true; policy: QuarantinePolicy | null }
  | { known: false; error: ConnectorError };

/**
 * Reads the quarantine policy before a change. A denied read does not stop the change
 * unless `require_previous_state`: a containment is never blocked by a missing read.
 */
export async function readBeforeRoleChange(
  executor: Executor,
  role: RoleRef,
  requirePreviousState: boolean,
): Promise<PolicyRead> {
  try {
    return { known: true, policy: await readQuarantinePolicy(executor, role) };
  } catch (error) {
    if (
      error instanceof ConnectorError &&
      error.code === "access_denied" &&
      !requirePreviousState
    ) {
      return { known: false, error };
    }
    throw error;
  }
}

/** The outputs that say whether the read before succeeded, from a {@link PolicyRead}. */
export function stateFieldsOf(read: PolicyRead) {
  return {
    previous_state_known: read.known,
    previous_state_error: read.known
      ? null
      : { code: read.error.code, message: read.error.message },
  };
}

/** Attaches the quarantine policy. */
export async function putQuarantine(
  executor: Executor,
  role: RoleRef,
  document: Record<string, unknown>,
): Promise<void> {
  await executor.send(
    putQuarantinePolicy,
    new PutRolePolicyCommand({
      RoleName: role.role_name,
      PolicyName: QUARANTINE_POLICY_NAME,
      PolicyDocument: JSON.stringify(document),
    }),
    role,
  );
}

/** Removes the quarantine policy. */
export async function deleteQuarantine(executor: Executor, role: RoleRef): Promise<void> {
  await executor.send(
    deleteQuarantinePolicy,
    new DeleteRolePolicyCommand({ RoleName: role.role_name, PolicyName: QUARANTINE_POLICY_NAME }),
    role,
  );
}
