import { z } from "zod";
import { ConnectorError } from "../../errors.js";
import { changeOutputs, requirePreviousStateInput, undoStep } from "../change.js";
import { defineCustomAction } from "../defineAction.js";
import {
  deleteQuarantine,
  isQuarantineDocument,
  QUARANTINE_POLICY_NAME,
  quarantinePolicySchema,
  readBeforeRoleChange,
  roleNameInput,
  stateFieldsOf,
} from "../executionRole.js";
import { lostChange } from "../lostChange.js";
import {
  previousQuarantineSchema,
  roleSchema,
} from "../quarantine_execution_role/quarantine_execution_role.js";

/**
 * release_execution_role: remove the quarantine policy quarantine_execution_role
 * attached, and nothing else: a policy of that name that the connector did not write is
 * left alone.
 */
export const releaseExecutionRoleAction = defineCustomAction({
  name: "release_execution_role",
  title: "Release Execution Role",
  description:
    "Remove the inline TurbineQuarantine policy that quarantine_execution_role attached to an execution role, restoring the role's own permissions; any other policy is left alone. Sessions issued before the quarantine regain the role's permissions unless they have expired.",
  why: "Reads the role's inline policy to check it is the connector's quarantine before deleting it (IAM), and treats an already-removed policy as done.",
  iamActions: ["iam:GetRolePolicy", "iam:DeleteRolePolicy"],
  inputs: z.strictObject({
    role_name: roleNameInput,
    require_previous_state: requirePreviousStateInput,
  }),
  output: z.object({
    role: roleSchema.meta({ description: "The released execution role." }),
    removed_quarantine: quarantinePolicySchema
      .nullable()
      .meta({ description: "The quarantine policy removed; null when none was on (or unknown)." }),
    ...changeOutputs(previousQuarantineSchema, "when nothing was removed"),
  }),
  run: async (given, executor) => {
    const role = { role_name: given.role_name, role_arn: null };
    const read = await readBeforeRoleChange(executor, role, given.require_previous_state);
    const base = { role, ...stateFieldsOf(read) };
    if (read.known && read.policy === null) {
      return {
        ...base,
        removed_quarantine: null,
        changed: false,
        previous: { quarantine: null },
        undo: [],
      };
    }
    if (read.known && read.policy !== null && !isQuarantineDocument(read.policy.policy_document)) {
      throw new ConnectorError(
        "aws_error",
        `Role ${role.role_name}'s inline policy ${QUARANTINE_POLICY_NAME} was not written by quarantine_execution_role; nothing was removed`,
        {
          field: "role_name",
          hint: `Inspect the role's ${QUARANTINE_POLICY_NAME} policy in IAM and remove it there if it should go.`,
        },
      );
    }
    const previous = read.known ? { quarantine: read.policy } : null;
    try {
      await deleteQuarantine(executor, role);
    } catch (error) {
      // Denied read, policy already gone: nothing to release.
      if (error instanceof ConnectorError && error.awsErrorCode === "NoSuchEntityException") {
        return { ...base, removed_quarantine: null, changed: false, previous, undo: [] };
      }
      throw lostChange(
        error,
        {
          operation: "DeleteRolePolicy",
          target: `role ${role.role_name}`,
          checkWith: "release_execution_role (a re-run answers changed: false once it is gone)",
        },
        previous,
      );
    }
    return {
      ...base,
      removed_quarantine: read.known ? read.policy : null,
      changed: true,
      previous,
      undo: [
        undoStep("quarantine_execution_role", {
          role_name: role.role_name,
          confirm_role_name: role.role_name,
        }),
      ],
    };
  },
});
