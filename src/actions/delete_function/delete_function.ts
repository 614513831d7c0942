import { DeleteFunctionCommand, type GetFunctionCommandOutput } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { deletedOutput, field, functionNameOutput } from "../../outputFields.js";
import { changeOutputs, requirePreviousStateInput } from "../change.js";
import { defineOperationAction } from "../defineAction.js";
import { functionMembers, functionTargetInputs, functionTargetOf, onFunction } from "../fields.js";
import { functionSummarySchema, summarizeFunction } from "../functionConfiguration.js";
import { getFunction } from "../reads.js";

/** The inputs of delete_function: the name twice, so a playbook cannot delete by accident. */
export const deleteFunctionInputs = z
  .strictObject({
    ...functionTargetInputs,
    confirm_function_name: z
      .string({
        error: (issue) => (issue.input === undefined ? "is required" : "must be a string"),
      })
      .meta({
        title: "Confirm Function Name",
        description: "Must equal function_name exactly, or nothing is deleted.",
        examples: ["enrich-indicator"],
      }),
    require_previous_state: requirePreviousStateInput,
  })
  .superRefine((inputs, ctx) => {
    if (inputs.confirm_function_name !== inputs.function_name) {
      ctx.addIssue({
        code: "custom",
        path: ["confirm_function_name"],
        message: "must equal function_name exactly; nothing was deleted",
      });
    }
  });

/** delete_function: delete a function, or one of its versions. */
export const deleteFunctionAction = defineOperationAction({
  name: "delete_function",
  title: "Delete Function",
  description:
    "Delete a function (or, with qualifier, one published version). Irreversible: confirm_function_name must repeat function_name. What was deleted is returned.",
  inputs: deleteFunctionInputs,
  output: z.object({
    function_name: functionNameOutput,
    qualifier: field.nullableText("The version deleted; null when the whole function was."),
    deleted: deletedOutput,
    ...changeOutputs(
      z
        .object({
          function: functionSummarySchema.meta({ description: "Its configuration." }),
          tags: z.record(z.string(), z.string()).meta({ description: "Its tags, key → value." }),
          reserved_concurrent_executions: field.nullableNumber(
            "Its reserved concurrency; null when none was set.",
          ),
        })
        .nullable()
        .meta({
          description: "The function as it was, for the record; null when it could not be read.",
        }),
      "always, since a deleted function's code cannot be brought back",
    ),
  }),
  before: {
    ...getFunction,
    read: (response: GetFunctionCommandOutput) => ({
      function: summarizeFunction(response.Configuration ?? {}),
      tags: response.Tags ?? {},
      reserved_concurrent_executions: response.Concurrency?.ReservedConcurrentExecutions ?? null,
    }),
    previous: (state) => state,
    checkWith: "get_function",
  },
  call: {
    operation: "DeleteFunction",
    ...onFunction,
    retry: "at-most-once",
    hints: {
      ResourceConflictException:
        "A version that an alias points to, or $LATEST with a qualifier, cannot be deleted: remove or repoint the alias first, or leave qualifier empty to delete the function.",
    },
    command: (inputs) => new DeleteFunctionCommand(functionMembers(inputs)),
    output: (_response: unknown, inputs, previous) => ({
      ...functionTargetOf(inputs),
      deleted: true,
      changed: true,
      previous: previous ?? null,
      undo: [],
    }),
  },
});
