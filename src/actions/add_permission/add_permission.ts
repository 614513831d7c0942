import { AddPermissionCommand, type AddPermissionCommandOutput } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { functionNameOutput, statementIdOutput } from "../../outputFields.js";
import { changeOutputs, requirePreviousStateInput, undoStep } from "../change.js";
import { defineOperationAction } from "../defineAction.js";
import {
  definedMembers,
  functionMembers,
  functionNameInput,
  onFunction,
  qualifierInput,
} from "../fields.js";
import { grantOf, type PermissionGrant, sameGrant } from "../permissionGrant.js";
import { revisionHints, revisionIdInput, revisionIdOf } from "../policyRevision.js";
import { parsePolicy, policyStatementSchema } from "../policyStatements.js";
import {
  type PolicyState,
  previousStatement,
  previousStatementSchema,
  readStatement,
  statementIdInput,
} from "../remove_permission/remove_permission.js";

const optionalText = (title: string, description: string, example: string) =>
  z
    .string({ error: "must be a string" })
    .min(1, "must not be empty")
    .optional()
    .meta({ title, description, examples: [example] });

/** The inputs that become conditions, by the names grantOf reads a statement into. */
const CONDITION_INPUTS = [
  "source_arn",
  "source_account",
  "event_source_token",
  "principal_org_id",
  "function_url_auth_type",
  "invoked_via_function_url",
] as const;

type GrantInputs = { statement_id: string; principal: string; action: string } & {
  [name in (typeof CONDITION_INPUTS)[number]]?: PermissionGrant[name] | undefined;
};

/** The grant add_permission's inputs ask for. */
function grantAskedFor(inputs: GrantInputs): PermissionGrant {
  const grant: PermissionGrant = {
    statement_id: inputs.statement_id,
    principal: inputs.principal,
    action: inputs.action,
  };
  for (const name of CONDITION_INPUTS) {
    const value = inputs[name];
    if (value !== undefined && value !== false) {
      Object.assign(grant, { [name]: value });
    }
  }
  return grant;
}

/**
 * Whether the statement with this id already grants exactly what the inputs ask: a
 * re-run after a lost answer, which must succeed without sending a second AddPermission
 * (AWS would refuse it as a conflict).
 */
function alreadyGranted(inputs: GrantInputs, before: PolicyState): boolean {
  if (before.statement === null) {
    return false;
  }
  const existing = grantOf(before.statement);
  return !("unexpressible" in existing) && sameGrant(existing, grantAskedFor(inputs));
}

/** add_permission: grant a principal an action on a function through its resource-based policy. */
export const addPermissionAction = defineOperationAction({
  name: "add_permission",
  title: "Add Permission",
  description:
    "Add a statement to a function's resource-based policy: let a service, account or principal invoke it, with every condition AddPermission takes (e.g. restore a statement remove_permission removed, from its undo). The new statement is returned; the same statement already in place is a success that changed nothing.",
  inputs: z.strictObject({
    function_name: functionNameInput,
    statement_id: statementIdInput,
    principal: z
      .string({
        error: (issue) => (issue.input === undefined ? "is required" : "must be a string"),
      })
      .min(1, "must not be empty")
      .meta({
        title: "Principal",
        description:
          "Who is allowed: a service (s3.amazonaws.com), an account ID, an IAM ARN, or * (anyone; pair it with source_arn or source_account).",
        examples: ["s3.amazonaws.com", "123456789012"],
      }),
    action: z
      .string({ error: "must be a string" })
      .regex(/^lambda:[A-Za-z*]+$/, "must be a Lambda action such as lambda:InvokeFunction")
      .default("lambda:InvokeFunction")
      .meta({ title: "Action", description: "The Lambda action to allow." }),
    source_arn: optionalText(
      "Source ARN",
      "Only calls on behalf of this resource (e.g. an S3 bucket or SNS topic ARN).",
      "arn:aws:s3:::incoming-artifacts",
    ),
    source_account: z
      .string({ error: "must be a string" })
      .regex(/^\d{12}$/, "must be a 12-digit AWS account ID")
      .optional()
      .meta({ title: "Source Account", description: "Only calls from resources of this account." }),
    event_source_token: z
      .string({ error: "must be a string" })
      .regex(/^[a-zA-Z0-9._-]{1,256}$/, "must be 1 to 256 of letters, digits, ., - and _")
      .optional()
      .meta({
        title: "Event Source Token",
        description: "Only calls that carry this token (an Alexa skill ID).",
        examples: ["amzn1.ask.skill.0f3b9a52-0000-4c1e-9d8e-7a6b5c4d3e2f"],
      }),
    principal_org_id: z
      .string({ error: "must be a string" })
      .regex(/^o-[a-z0-9]{10,32}$/, "must be an AWS Organizations ID such as o-a1b2c3d4e5")
      .optional()
      .meta({
        title: "Principal Org ID",
        description:
          "Only principals of this AWS organization (with principal *: every account of the organization, no one outside it).",
        examples: ["o-a1b2c3d4e5"],
      }),
    function_url_auth_type: z
      .enum(["NONE", "AWS_IAM"], { error: "must be NONE or AWS_IAM" })
      .optional()
      .meta({
        title: "Function URL Auth Type",
        description: "For lambda:InvokeFunctionUrl statements: the URL auth type it applies to.",
      }),
    invoked_via_function_url: z.boolean({ error: "must be true or false" }).optional().meta({
      title: "Invoked Via Function URL",
      description:
        "For lambda:InvokeFunction statements: only invocations through the function's URL (the condition the console adds for public URLs).",
    }),
    revision_id: revisionIdInput("add it"),
    qualifier: qualifierInput,
    require_previous_state: requirePreviousStateInput,
  }),
  output: z.object({
    function_name: functionNameOutput,
    statement_id: statementIdOutput,
    statement: policyStatementSchema
      .nullable()
      .meta({ description: "The statement added, or the same one already in place." }),
    ...changeOutputs(previousStatementSchema, ""),
  }),
  before: readStatement,
  call: {
    operation: "AddPermission",
    ...onFunction,
    retry: "at-most-once",
    hints: {
      ResourceConflictException:
        "A statement with this statement_id already exists (see get_policy): pick another id, or remove it first.",
      ...revisionHints,
    },
    command: (inputs) =>
      new AddPermissionCommand({
        ...functionMembers(inputs),
        StatementId: inputs.statement_id,
        Principal: inputs.principal,
        Action: inputs.action,
        ...definedMembers(inputs, {
          source_arn: "SourceArn",
          source_account: "SourceAccount",
          event_source_token: "EventSourceToken",
          principal_org_id: "PrincipalOrgID",
          function_url_auth_type: "FunctionUrlAuthType",
        }),
        ...(inputs.invoked_via_function_url === true ? { InvokedViaFunctionUrl: true } : {}),
        ...revisionIdOf(inputs),
      }),
    unchanged: (inputs, before) =>
      alreadyGranted(inputs, before)
        ? {
            function_name: inputs.function_name,
            statement_id: inputs.statement_id,
            changed: false,
            statement: before.statement,
            previous: previousStatement(before),
            undo: [],
          }
        : undefined,
    output: (response: AddPermissionCommandOutput, inputs, before) => ({
      function_name: inputs.function_name,
      statement_id: inputs.statement_id,
      changed: true,
      statement:
        parsePolicy(
          response.Statement === undefined ? undefined : `{"Statement":[${response.Statement}]}`,
        ).statements[0] ?? null,
      previous: previousStatement(before),
      undo: [
        undoStep("remove_permission", {
          function_name: inputs.function_name,
          statement_id: inputs.statement_id,
          qualifier: inputs.qualifier,
        }),
      ],
    }),
  },
});
