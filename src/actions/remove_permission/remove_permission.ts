import { type GetPolicyCommandOutput, RemovePermissionCommand } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { field, functionNameOutput, statementIdOutput } from "../../outputFields.js";
import { changeOutputs, requirePreviousStateInput, type UndoStep, undoStep } from "../change.js";
import { type BeforeStep, defineOperationAction } from "../defineAction.js";
import { functionMembers, functionNameInput, onFunction, qualifierInput } from "../fields.js";
import { grantOf } from "../permissionGrant.js";
import { revisionHints, revisionIdInput, revisionIdOf } from "../policyRevision.js";
import { type PolicyStatement, parsePolicy, policyStatementSchema } from "../policyStatements.js";
import { getPolicy, unlessFunctionMissing } from "../reads.js";

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

/** The `previous` output of the permission actions: the policy's revision and the statement. */
export const previousStatementSchema = z
  .object({
    revision_id: field.nullableText("The policy's revision before the change; null: no policy."),
    statement: policyStatementSchema
      .nullable()
      .meta({ description: "The statement with this statement_id before the change; null: none." }),
  })
  .nullable()
  .meta({ description: "The state before the change; null when it could not be read." });

/** The `previous` output from what the permission actions read first. */
export function previousStatement(
  state: PolicyState | undefined,
): z.output<typeof previousStatementSchema> {
  return state === undefined ? null : { revision_id: state.revisionId, statement: state.statement };
}

/**
 * The add_permission step that restores `statement` on the function (and qualifier) it
 * was removed from; none when add_permission cannot express it exactly.
 */
export function restoreStatement(
  statement: PolicyStatement,
  inputs: { function_name: string; qualifier?: string | undefined },
): UndoStep[] {
  const grant = grantOf(statement);
  if ("unexpressible" in grant) {
    return [];
  }
  return [
    undoStep("add_permission", {
      function_name: inputs.function_name,
      ...grant,
      qualifier: inputs.qualifier,
    }),
  ];
}

/** The read of the policy before a permission changes. */
export const readStatement: BeforeStep<
  { function_name: string; statement_id: string; qualifier?: string | undefined },
  GetPolicyCommandOutput,
  PolicyState
> = {
  ...getPolicy,
  read: (response, inputs) => ({
    revisionId: response.RevisionId ?? null,
    statement:
      parsePolicy(response.Policy).statements.find((s) => s.sid === inputs.statement_id) ?? null,
  }),
  absent: unlessFunctionMissing(() => ({ revisionId: null, statement: null })),
  previous: previousStatement,
  checkWith: "get_policy",
};

/** remove_permission: delete one statement from a function's resource-based policy. */
export const removePermissionAction = defineOperationAction({
  name: "remove_permission",
  title: "Remove Permission",
  description:
    "Remove one statement from a function's resource-based policy (e.g. a public invoke grant). The removed statement is returned, with the exact add_permission inputs that restore it; a statement that is already gone is a success that changed nothing.",
  inputs: z.strictObject({
    function_name: functionNameInput,
    statement_id: statementIdInput,
    qualifier: qualifierInput,
    revision_id: revisionIdInput("remove it"),
    require_previous_state: requirePreviousStateInput,
  }),
  output: z.object({
    function_name: functionNameOutput,
    statement_id: statementIdOutput,
    ...changeOutputs(
      previousStatementSchema,
      "when the statement holds something add_permission cannot express exactly (restore previous.statement by hand), or when previous is unknown",
    ),
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
      ...revisionHints,
    },
    command: (inputs) =>
      new RemovePermissionCommand({
        ...functionMembers(inputs),
        StatementId: inputs.statement_id,
        ...revisionIdOf(inputs),
      }),
    unchanged: (inputs, before) =>
      before.statement === null
        ? {
            function_name: inputs.function_name,
            statement_id: inputs.statement_id,
            changed: false,
            previous: previousStatement(before),
            undo: [],
          }
        : undefined,
    output: (_response: unknown, inputs, before) => ({
      function_name: inputs.function_name,
      statement_id: inputs.statement_id,
      changed: true,
      previous: previousStatement(before),
      undo: before?.statement ? restoreStatement(before.statement, inputs) : [],
    }),
  },
});
