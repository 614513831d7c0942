import type { GetFunctionConfigurationCommandOutput } from "@aws-sdk/client-lambda";
import { z } from "zod";
import type { Executor } from "../../aws/executor.js";
import { ConnectorError, InvalidInputError } from "../../errors.js";
import { field } from "../../outputFields.js";
import { changeOutputs, previousSchema, requirePreviousStateInput, undoStep } from "../change.js";
import { defineCustomAction } from "../defineAction.js";
import {
  isQuarantineDocument,
  putQuarantine,
  QUARANTINE_POLICY_NAME,
  quarantineDocument,
  quarantinePolicySchema,
  type RoleRef,
  readBeforeRoleChange,
  roleNameInput,
  roleNameOf,
  stateFieldsOf,
} from "../executionRole.js";
import { functionNameInput } from "../fields.js";
import { lostChange } from "../lostChange.js";
import { getFunctionConfiguration } from "../reads.js";

/** The role as both role actions print it. */
export const roleSchema = z.object({
  role_name: field.text("The execution role's name."),
  role_arn: field.nullableText("Its ARN, when read from the function; null when given by name."),
});

/** What quarantine_execution_role and release_execution_role print as `previous`. */
export const previousQuarantineSchema = previousSchema(
  "quarantine",
  quarantinePolicySchema,
  "The quarantine policy on the role before; null: none.",
);

const inputs = z
  .strictObject({
    function_name: z.optional(functionNameInput).meta({
      title: "Function Name",
      description:
        "The function whose execution role to quarantine (its name or ARN); or give role_name.",
      examples: ["public-webhook"],
    }),
    role_name: roleNameInput.optional().meta({
      title: "Role Name",
      description: "The execution role's name, instead of function_name.",
      examples: ["TurbineFunctionExecution"],
    }),
    confirm_role_name: z
      .string({
        error: (issue) => (issue.input === undefined ? "is required" : "must be a string"),
      })
      .meta({
        title: "Confirm Role Name",
        description:
          "Must equal the execution role's name exactly (the last part of its ARN), or nothing is changed: every caller of the role loses all access.",
        examples: ["TurbineFunctionExecution"],
      }),
    require_previous_state: requirePreviousStateInput,
  })
  .superRefine((given, ctx) => {
    if ((given.function_name === undefined) === (given.role_name === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["function_name"],
        message: "give exactly one of function_name and role_name",
      });
    }
  });

/** The revocation instant: now, to the second, as IAM's condition compares it. */
function isoSecond(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * quarantine_execution_role: strip a function's execution role of every permission (an
 * inline deny-all policy) and revoke the role's sessions issued before now, so
 * credentials taken from the function stop working at once.
 */
export const quarantineExecutionRoleAction = defineCustomAction({
  name: "quarantine_execution_role",
  title: "Quarantine Execution Role",
  description:
    "Attach an inline deny-all policy (TurbineQuarantine) to a function's execution role and revoke its sessions issued before now (aws:TokenIssueTime, as IAM's console does), so stolen credentials stop working. confirm_role_name must repeat the role's name. Returns what it attached; release_execution_role removes exactly that.",
  why: "Finds the role from the function's configuration (Lambda), then reads and puts the role's inline policy (IAM): calls to two services.",
  iamActions: ["lambda:GetFunctionConfiguration", "iam:GetRolePolicy", "iam:PutRolePolicy"],
  inputs,
  output: z.object({
    function_name: field.nullableText(
      "The function whose role it is; null when role_name was given.",
    ),
    role: roleSchema.meta({ description: "The quarantined execution role." }),
    quarantine: quarantinePolicySchema.meta({
      description: "The inline policy now on the role (attached by this run or an earlier one).",
    }),
    ...changeOutputs(previousQuarantineSchema, "when the policy was already on"),
  }),
  run: async (given, executor) => {
    const role = await confirmedRole(given, executor);
    const read = await readBeforeRoleChange(executor, role, given.require_previous_state);
    const release = undoStep("release_execution_role", { role_name: role.role_name });
    const base = { function_name: given.function_name ?? null, role, ...stateFieldsOf(read) };
    if (read.known && read.policy !== null) {
      if (!isQuarantineDocument(read.policy.policy_document)) {
        throw new ConnectorError(
          "aws_error",
          `Role ${role.role_name} already has an inline policy named ${QUARANTINE_POLICY_NAME} that this connector did not write; nothing was changed`,
          {
            field: "role_name",
            hint: `Inspect and remove the role's ${QUARANTINE_POLICY_NAME} policy in IAM, then run the action again.`,
          },
        );
      }
      return {
        ...base,
        quarantine: read.policy,
        changed: false,
        previous: { quarantine: read.policy },
        undo: [],
      };
    }
    const revokedBefore = isoSecond(executor.now());
    const document = quarantineDocument(revokedBefore);
    const previous = read.known ? { quarantine: null } : null;
    try {
      await putQuarantine(executor, role, document);
    } catch (error) {
      throw lostChange(
        error,
        {
          operation: "PutRolePolicy",
          target: `role ${role.role_name}`,
          checkWith:
            "quarantine_execution_role (a re-run answers changed: false once the policy is on)",
        },
        previous,
      );
    }
    return {
      ...base,
      quarantine: {
        policy_name: QUARANTINE_POLICY_NAME,
        policy_document: document as Record<string, z.core.util.JSONType>,
        sessions_revoked_before: revokedBefore,
      },
      changed: true,
      previous,
      undo: [release],
    };
  },
});

/**
 * The role to quarantine: named, or the function's execution role; its name must be typed
 * again in confirm_role_name, as every caller of the role loses all access.
 */
async function confirmedRole(
  given: {
    function_name?: string | undefined;
    role_name?: string | undefined;
    confirm_role_name: string;
  },
  executor: Executor,
): Promise<RoleRef> {
  let role: RoleRef;
  if (given.function_name === undefined) {
    role = { role_name: given.role_name ?? "", role_arn: null };
  } else {
    const fn = { function_name: given.function_name };
    const configuration = await executor.send<GetFunctionConfigurationCommandOutput, typeof fn>(
      getFunctionConfiguration,
      getFunctionConfiguration.command(fn),
      fn,
    );
    const arn = configuration.Role ?? "";
    role = { role_name: roleNameOf(arn), role_arn: arn };
  }
  if (given.confirm_role_name !== role.role_name) {
    throw new InvalidInputError(
      "invalid_input",
      `confirm_role_name: must equal the execution role's name, ${role.role_name}, exactly; nothing was changed`,
      {
        field: "confirm_role_name",
        hint: `Type the role's name (${role.role_name}) in confirm_role_name to quarantine it: every caller of the role loses all access until release_execution_role.`,
      },
    );
  }
  return role;
}
