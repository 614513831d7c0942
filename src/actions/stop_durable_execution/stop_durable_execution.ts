import {
  GetDurableExecutionCommand,
  type GetDurableExecutionCommandOutput,
  StopDurableExecutionCommand,
  type StopDurableExecutionCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import type { Location } from "../../aws/call.js";
import { field } from "../../outputFields.js";
import { changeOutputs, requirePreviousStateInput } from "../change.js";
import { defineOperationAction } from "../defineAction.js";
import { isoTimestamp, timestampOutput } from "../fields.js";
import {
  describeExecution,
  durableExecutionSchema,
} from "../list_durable_executions/list_durable_executions.js";

const EXECUTION_ARN =
  /^arn:[\w-]+:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+:[\w$.-]+\/durable-execution\/[\w.-]+\/[\w-]+$/;

/** IAM checks the call on the function version the execution runs: the ARN's part before `/durable-execution/`. */
const executionFunction = (inputs: { durable_execution_arn: string }, _where: Location) =>
  inputs.durable_execution_arn.split("/durable-execution/")[0] ?? "*";
const executionTarget = (inputs: { durable_execution_arn: string }) =>
  `durable execution ${inputs.durable_execution_arn}`;

/** stop_durable_execution: stop a runaway durable execution. */
export const stopDurableExecutionAction = defineOperationAction({
  name: "stop_durable_execution",
  title: "Stop Durable Execution",
  description:
    "Stop a running durable execution (a runaway or compromised workflow). Irreversible: a stopped execution cannot resume, so undo is always empty. The execution as it was is returned; one already ended is left as it is (changed: false).",
  inputs: z.strictObject({
    durable_execution_arn: z
      .string({
        error: (issue) => (issue.input === undefined ? "is required" : "must be a string"),
      })
      .regex(EXECUTION_ARN, "must be a durable execution ARN (see list_durable_executions)")
      .meta({
        title: "Durable Execution ARN",
        description: "The execution: its durable_execution_arn from list_durable_executions.",
      }),
    reason: z
      .string({ error: "must be a string" })
      .max(256, "must be at most 256 characters")
      .optional()
      .meta({ title: "Reason", description: "Recorded as the execution's error message." }),
    require_previous_state: requirePreviousStateInput,
  }),
  output: z.object({
    durable_execution_arn: field.text("The execution, as given."),
    stopped_at: timestampOutput("When it stopped (null when it was not running)."),
    ...changeOutputs(
      z
        .object({
          durable_execution: durableExecutionSchema.meta({
            description: "The execution as list_durable_executions prints it.",
          }),
        })
        .nullable()
        .meta({ description: "The execution before; null when it could not be read." }),
      "always: a stopped durable execution cannot be resumed",
    ),
  }),
  before: {
    operation: "GetDurableExecution",
    resource: executionFunction,
    target: executionTarget,
    retry: "idempotent",
    command: (inputs) =>
      new GetDurableExecutionCommand({ DurableExecutionArn: inputs.durable_execution_arn }),
    read: (response: GetDurableExecutionCommandOutput) => describeExecution(response),
    previous: (execution) => ({ durable_execution: execution }),
    checkWith: "list_durable_executions",
  },
  call: {
    operation: "StopDurableExecution",
    resource: executionFunction,
    target: executionTarget,
    retry: "idempotent",
    command: (inputs) =>
      new StopDurableExecutionCommand({
        DurableExecutionArn: inputs.durable_execution_arn,
        ...(inputs.reason === undefined
          ? {}
          : { Error: { ErrorType: "StoppedByResponder", ErrorMessage: inputs.reason } }),
      }),
    unchanged: (inputs, before) =>
      before.status !== "RUNNING"
        ? {
            durable_execution_arn: inputs.durable_execution_arn,
            stopped_at: null,
            changed: false,
            previous: { durable_execution: before },
            undo: [],
          }
        : undefined,
    output: (response: StopDurableExecutionCommandOutput, inputs, before) => ({
      durable_execution_arn: inputs.durable_execution_arn,
      stopped_at: isoTimestamp(response.StopTimestamp),
      changed: true,
      previous: before === undefined ? null : { durable_execution: before },
      undo: [],
    }),
  },
});
