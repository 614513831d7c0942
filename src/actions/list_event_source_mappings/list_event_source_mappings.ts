import {
  type EventSourceMappingConfiguration,
  ListEventSourceMappingsCommand,
  type ListEventSourceMappingsCommandOutput,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { field } from "../../outputFields.js";
import { definePaginatedAction } from "../defineAction.js";
import { functionNameInput, isoTimestamp, onFunction, timestampOutput } from "../fields.js";
import { functionPageOf, functionPages, paginationInputs } from "../pagination.js";

/** An event source mapping (trigger) as the actions print it. */
export const mappingSchema = z.object({
  uuid: field.text("The mapping's id; update_event_source_mapping takes it."),
  event_source_arn: field.nullableText("The queue, stream or topic."),
  function_arn: field.nullableText("The function the source feeds."),
  state: field.nullableText("Enabled, Disabled, Enabling, Disabling, …"),
  state_transition_reason: field.nullableText("Why the state last changed, e.g. USER_INITIATED."),
  batch_size: field.nullableNumber("Most records the function receives in one invocation."),
  last_modified: timestampOutput("When the mapping last changed."),
});

/** A mapping from AWS, as the actions print it. */
export function describeMapping(
  mapping: EventSourceMappingConfiguration,
): z.output<typeof mappingSchema> {
  return {
    uuid: mapping.UUID ?? "",
    event_source_arn: mapping.EventSourceArn ?? null,
    function_arn: mapping.FunctionArn ?? null,
    state: mapping.State ?? null,
    state_transition_reason: mapping.StateTransitionReason ?? null,
    batch_size: mapping.BatchSize ?? null,
    last_modified: isoTimestamp(mapping.LastModified),
  };
}

/** list_event_source_mappings: the triggers that feed a function. */
export const listEventSourceMappingsAction = definePaginatedAction({
  name: "list_event_source_mappings",
  title: "List Event Source Mappings",
  description:
    "List the event source mappings (SQS, Kinesis, DynamoDB, Kafka… triggers) of a function, with their state and batch size.",
  inputs: z.strictObject({ function_name: functionNameInput, ...paginationInputs(1000) }),
  output: functionPageOf(
    "event_source_mappings",
    mappingSchema,
    "The function's event source mappings (triggers).",
  ),
  call: {
    operation: "ListEventSourceMappings",
    resource: () => "*",
    target: onFunction.target,
    ...functionPages(
      (members) => new ListEventSourceMappingsCommand(members),
      (response: ListEventSourceMappingsCommandOutput) => response.EventSourceMappings,
      "event_source_mappings",
      describeMapping,
    ),
  },
});
