import { AddPermissionCommand, type AddPermissionCommandOutput } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { defineOperationAction } from "../defineAction.js";
import { functionNameInput, onFunction, qualifierInput, qualifierOf } from "../fields.js";
import { parsePolicy, policyStatementSchema } from "../policyStatements.js";
import { readStatement, statementIdInput } from "../remove_permission/remove_permission.js";

const optionalText = (title: string, description: string, example: string) =>
  z
    .string({ error: "must be a string" })
    .min(1, "must not be empty")
    .optional()
    .meta({ title, description, examples: [example] });

/** add_permission: grant a principal an action on a function through its resource-based policy. */
export const addPermissionAction = defineOperationAction({
  name: "add_permission",
  title: "Add Permission",
  description:
    "Add a statement to a function's resource-based policy: let a service, account or principal invoke it (e.g. restore a statement remove_permission removed). The new statement is returned.",
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
    function_url_auth_type: z
      .enum(["NONE", "AWS_IAM"], { error: "must be NONE or AWS_IAM" })
      .optional()
      .meta({
        title: "Function URL Auth Type",
        description: "For lambda:InvokeFunctionUrl statements: the URL auth type it applies to.",
      }),
    qualifier: qualifierInput,
  }),
  output: z.object({
    function_name: z.string(),
    statement_id: z.string(),
    statement: policyStatementSchema.nullable().meta({ description: "The statement added." }),
    previous_statement: policyStatementSchema.nullable().meta({
      description:
        "A statement with the same id before the change: always null, since ids are unique.",
    }),
    previous_revision_id: z.string().nullable(),
  }),
  before: readStatement,
  call: {
    operation: "AddPermission",
    ...onFunction,
    retry: "at-most-once",
    hints: {
      ResourceConflictException:
        "A statement with this statement_id already exists (see get_policy): pick another id, or remove it first.",
    },
    command: (inputs) =>
      new AddPermissionCommand({
        FunctionName: inputs.function_name,
        StatementId: inputs.statement_id,
        Principal: inputs.principal,
        Action: inputs.action,
        ...(inputs.source_arn === undefined ? {} : { SourceArn: inputs.source_arn }),
        ...(inputs.source_account === undefined ? {} : { SourceAccount: inputs.source_account }),
        ...(inputs.function_url_auth_type === undefined
          ? {}
          : { FunctionUrlAuthType: inputs.function_url_auth_type }),
        ...qualifierOf(inputs),
      }),
    output: (response: AddPermissionCommandOutput, inputs, before) => ({
      function_name: inputs.function_name,
      statement_id: inputs.statement_id,
      statement:
        parsePolicy(
          response.Statement === undefined ? undefined : `{"Statement":[${response.Statement}]}`,
        ).statements[0] ?? null,
      previous_statement: before.statement,
      previous_revision_id: before.revisionId,
    }),
  },
});
