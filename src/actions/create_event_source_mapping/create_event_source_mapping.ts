import {
  CreateEventSourceMappingCommand,
  type EventSourceMappingConfiguration,
  ListEventSourceMappingsCommand,
  type ListEventSourceMappingsCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { changeOutputs, previousSchema, requirePreviousStateInput, undoStep } from "../change.js";
import { defineOperationAction } from "../defineAction.js";
import { functionNameInput } from "../fields.js";
import {
  describeMapping,
  mappingSchema,
} from "../list_event_source_mappings/list_event_source_mappings.js";

/** The inputs that create a mapping: what delete_event_source_mapping's undo gives back. */
export const createMappingInputs = z.strictObject({
  function_name: functionNameInput,
  event_source_arn: z
    .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
    .regex(
      /^arn:[\w-]+:[\w-]+:[\w-]*:\d{0,12}:.+$/,
      "must be an event source ARN (SQS, Kinesis, DynamoDB, Kafka, MQ)",
    )
    .meta({
      title: "Event Source ARN",
      description: "The queue, stream or cluster Lambda polls.",
      examples: ["arn:aws:sqs:us-east-1:123456789012:indicator-intake"],
    }),
  enabled: z
    .boolean({ error: "must be true or false" })
    .default(true)
    .meta({ title: "Enabled", description: "false creates the mapping disabled." }),
  batch_size: z
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be 1 to 10000")
    .max(10000, "must be 1 to 10000")
    .optional()
    .meta({
      title: "Batch Size",
      description: "Records per invocation; Lambda's default when empty.",
    }),
  maximum_batching_window_in_seconds: z
    .number({ error: "must be a whole number of seconds" })
    .int("must be a whole number of seconds")
    .min(0, "must be 0 to 300")
    .max(300, "must be 0 to 300")
    .optional()
    .meta({
      title: "Maximum Batching Window In Seconds",
      description: "How long to gather records.",
    }),
  starting_position: z
    .enum(["TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"], {
      error: "must be TRIM_HORIZON, LATEST or AT_TIMESTAMP",
    })
    .optional()
    .meta({
      title: "Starting Position",
      description: "Streams only (Kinesis, DynamoDB): where to start.",
    }),
  require_previous_state: requirePreviousStateInput,
});

/** The output of both mapping lifecycle actions' `previous`. */
export const previousMappingSchema = previousSchema(
  "event_source_mapping",
  mappingSchema,
  "The mapping before; null: there was none.",
);

/** The step that re-creates a mapping exactly as AWS described it. */
export function recreateStep(mapping: EventSourceMappingConfiguration) {
  return undoStep("create_event_source_mapping", {
    function_name: mapping.FunctionArn,
    event_source_arn: mapping.EventSourceArn,
    enabled: mapping.State === "Enabled" || mapping.State === "Enabling",
    batch_size: mapping.BatchSize,
    maximum_batching_window_in_seconds: mapping.MaximumBatchingWindowInSeconds,
    starting_position: mapping.StartingPosition,
  });
}

/** create_event_source_mapping: (re-)create a trigger, e.g. from delete_event_source_mapping's undo. */
export const createEventSourceMappingAction = defineOperationAction({
  name: "create_event_source_mapping",
  title: "Create Event Source Mapping",
  description:
    "Create an event source mapping (a trigger: Lambda polls a queue or stream for the function), e.g. to restore one delete_event_source_mapping removed. A mapping of the same function and source already in place is returned unchanged.",
  inputs: createMappingInputs,
  output: z.object({
    event_source_mapping: mappingSchema.meta({ description: "The mapping (may be Creating)." }),
    ...changeOutputs(previousMappingSchema, "when the mapping was already in place"),
  }),
  before: {
    operation: "ListEventSourceMappings",
    inputs: ["function_name", "event_source_arn"],
    target: (inputs) => `function ${inputs.function_name}`,
    retry: "idempotent",
    command: (inputs) =>
      new ListEventSourceMappingsCommand({
        FunctionName: inputs.function_name,
        EventSourceArn: inputs.event_source_arn,
      }),
    read: (response: ListEventSourceMappingsCommandOutput) =>
      response.EventSourceMappings?.[0] ?? null,
    previous: (mapping) => ({
      event_source_mapping: mapping === null ? null : describeMapping(mapping),
    }),
    checkWith: "list_event_source_mappings",
  },
  call: {
    operation: "CreateEventSourceMapping",
    inputs: ["function_name", "event_source_arn"],
    target: (inputs) => `function ${inputs.function_name}`,
    // A second create of the same pair is refused (409), never a second mapping.
    retry: "idempotent",
    hints: {
      ResourceConflictException:
        "A mapping of this function and event source already exists: see list_event_source_mappings (update_event_source_mapping enables it).",
    },
    command: (inputs) =>
      new CreateEventSourceMappingCommand({
        FunctionName: inputs.function_name,
        EventSourceArn: inputs.event_source_arn,
        Enabled: inputs.enabled,
        BatchSize: inputs.batch_size,
        MaximumBatchingWindowInSeconds: inputs.maximum_batching_window_in_seconds,
        StartingPosition: inputs.starting_position,
      }),
    unchanged: (_inputs, existing) =>
      existing === null
        ? undefined
        : {
            event_source_mapping: describeMapping(existing),
            changed: false,
            previous: { event_source_mapping: describeMapping(existing) },
            undo: [],
          },
    output: (response: EventSourceMappingConfiguration, _inputs, before) => ({
      event_source_mapping: describeMapping(response),
      changed: true,
      previous: before === undefined ? null : { event_source_mapping: null },
      undo: [undoStep("delete_event_source_mapping", { uuid: response.UUID })],
    }),
  },
});
