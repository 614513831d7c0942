import {
  GetPolicyCommand,
  type GetPolicyCommandOutput,
  RemovePermissionCommand,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { type BeforeStep, defineOperationAction } from "../defineAction.js";
import { functionNameInput, onFunction, qualifierInput, qualifierOf } from "../fields.js";
import { isMissingFunction } from "../get_policy/get_policy.js";
import { type PolicyStatement, parsePolicy, policyStatementSchema } from "../policyStatements.js";

/** A statement id, as Lambda allows it. */
export const statementIdInput = z
  .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
  .regex(/^[a-zA-Z0-9_-]{1,100}$/, "must be 1 to 100 of letters, digits, - and _")
  .meta({
    title: "Statement ID",
    description: "The statement's Sid in the function's resource-based policy (see get_policy).",
    examples: ["public-invoke"],
  });

/** What the permission actions read first: the policy's revision and the statement with that id. */
export interface PolicyState {
  revisionId: string | null;
  statement: PolicyStatement | null;
}

/** The read of the policy before a permission changes. */
export const readStatement: BeforeStep<
  { function_name: string; statement_id: string; qualifier?: string | undefined },
  GetPolicyCommandOutput,
  PolicyState
> = {
  operation: "GetPolicy",
  ...onFunction,
  retry: "idempotent",
  command: (inputs) =>
    new GetPolicyCommand({ FunctionName: inputs.function_name, ...qualifierOf(inputs) }),
  read: (response, inputs) => ({
    revisionId: response.RevisionId ?? null,
    statement:
      parsePolicy(response.Policy).statements.find((s) => s.sid === inputs.statement_id) ?? null,
  }),
  absent: (_inputs, awsMessage) =>
    isMissingFunction(awsMessage) ? undefined : { revisionId: null, statement: null },
};

/** remove_permission: delete one statement from a function's resource-based policy. */
export const removePermissionAction = defineOperationAction({
  name: "remove_permission",
  title: "Remove Permission",
  description:
    "Remove one statement from a function's resource-based policy (e.g. a public invoke grant). The removed statement is returned, to restore it with add_permission.",
  inputs: z.strictObject({
    function_name: functionNameInput,
    statement_id: statementIdInput,
    qualifier: qualifierInput,
    revision_id: z
      .string({ error: "must be a string" })
      .min(1, "must not be empty")
      .optional()
      .meta({
        title: "Revision ID",
        description:
          "Only remove it if the policy is still at this revision (get_policy's revision_id); otherwise AWS refuses (PreconditionFailedException).",
      }),
  }),
  output: z.object({
    function_name: z.string(),
    statement_id: z.string(),
    removed: z.boolean(),
    removed_statement: policyStatementSchema.nullable().meta({
      description: "The statement as it was, to restore it with add_permission.",
    }),
    previous_revision_id: z.string().nullable(),
  }),
  before: readStatement,
  call: {
    operation: "RemovePermission",
    ...onFunction,
    // Sent twice, a removal that took effect the first time fails the second as not found.
    retry: "at-most-once",
    hints: {
      ResourceNotFoundException:
        "Check statement_id against get_policy's statements (and qualifier: a version's or alias's policy is separate from the function's).",
      PreconditionFailedException:
        "The policy changed since revision_id was read: run get_policy again and use its revision_id.",
    },
    command: (inputs) =>
      new RemovePermissionCommand({
        FunctionName: inputs.function_name,
        StatementId: inputs.statement_id,
        ...qualifierOf(inputs),
        ...(inputs.revision_id === undefined ? {} : { RevisionId: inputs.revision_id }),
      }),
    output: (_response: unknown, inputs, before) => ({
      function_name: inputs.function_name,
      statement_id: inputs.statement_id,
      removed: true,
      removed_statement: before.statement,
      previous_revision_id: before.revisionId,
    }),
  },
});
