import {
  type Execution,
  ListDurableExecutionsByFunctionCommand,
  type ListDurableExecutionsByFunctionCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { field, functionNameOutput } from "../../outputFields.js";
import { definePaginatedAction } from "../defineAction.js";
import {
  functionMembers,
  functionTargetInputs,
  isoTimestamp,
  onFunction,
  timestampOutput,
} from "../fields.js";
import {
  pageItems,
  pageMembers,
  pagesOf,
  paginationInputs,
  paginationOutput,
} from "../pagination.js";

const STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "STOPPED", "TIMED_OUT"] as const;

/** One durable execution as the actions print it. */
export const durableExecutionSchema = z.object({
  durable_execution_arn: field.text("The execution's ARN: what stop_durable_execution takes."),
  durable_execution_name: field.text("The name it was started with."),
  function_arn: field.nullableText("The function version it runs."),
  status: field.nullableText("RUNNING, SUCCEEDED, FAILED, STOPPED or TIMED_OUT."),
  started_at: timestampOutput("When the execution started."),
  ended_at: timestampOutput("When the execution ended (null while it runs)."),
});

/** A durable execution from AWS, as the actions print it. */
export function describeExecution(execution: Execution): z.output<typeof durableExecutionSchema> {
  return {
    durable_execution_arn: execution.DurableExecutionArn ?? "",
    durable_execution_name: execution.DurableExecutionName ?? "",
    function_arn: execution.FunctionArn ?? null,
    status: execution.Status ?? null,
    started_at: isoTimestamp(execution.StartTimestamp),
    ended_at: isoTimestamp(execution.EndTimestamp),
  };
}

/** list_durable_executions: a durable function's executions, newest first, to find runaway ones. */
export const listDurableExecutionsAction = definePaginatedAction({
  name: "list_durable_executions",
  title: "List Durable Executions",
  description:
    "List a durable function's executions (newest first), optionally only those in one status, e.g. RUNNING to find runaway executions to stop.",
  inputs: z.strictObject({
    ...functionTargetInputs,
    status: z
      .enum(STATUSES, { error: `must be one of ${STATUSES.join(", ")}` })
      .optional()
      .meta({
        title: "Status",
        description: "Only executions in this status.",
        examples: ["RUNNING"],
      }),
    ...paginationInputs(100),
  }),
  output: z.object({
    function_name: functionNameOutput,
    durable_executions: z.array(durableExecutionSchema).meta({ description: "Newest first." }),
    count: field.integer("How many durable_executions were returned."),
    ...paginationOutput,
  }),
  call: {
    operation: "ListDurableExecutionsByFunction",
    ...onFunction,
    command: (inputs, page) =>
      new ListDurableExecutionsByFunctionCommand({
        ...functionMembers(inputs),
        ...(inputs.status === undefined ? {} : { Statuses: [inputs.status] }),
        ...pageMembers(page),
      }),
    ...pagesOf(
      (response: ListDurableExecutionsByFunctionCommandOutput) => response.DurableExecutions,
    ),
    output: (page, inputs) => ({
      function_name: inputs.function_name,
      ...pageItems(page, "durable_executions", describeExecution),
    }),
  },
});
