import {
  DeleteEventSourceMappingCommand,
  type EventSourceMappingConfiguration,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { field } from "../../outputFields.js";
import { changeOutputs, requirePreviousStateInput } from "../change.js";
import {
  previousMappingSchema,
  recreateStep,
} from "../create_event_source_mapping/create_event_source_mapping.js";
import { defineOperationAction } from "../defineAction.js";
import {
  describeMapping,
  mappingSchema,
} from "../list_event_source_mappings/list_event_source_mappings.js";
import {
  getMapping,
  mappingArn,
  mappingTarget,
  mappingUuidInput,
} from "../update_event_source_mapping/update_event_source_mapping.js";

/**
 * delete_event_source_mapping: cut a trigger out for good, returning the whole mapping
 * and the create_event_source_mapping step that puts it back.
 */
export const deleteEventSourceMappingAction = defineOperationAction({
  name: "delete_event_source_mapping",
  title: "Delete Event Source Mapping",
  description:
    "Delete an event source mapping (a trigger), so the queue or stream no longer feeds the function. The whole mapping is returned, with the create_event_source_mapping step that re-creates it.",
  inputs: z.strictObject({
    uuid: mappingUuidInput,
    require_previous_state: requirePreviousStateInput,
  }),
  output: z.object({
    uuid: field.text("The mapping, as given."),
    event_source_mapping: mappingSchema.nullable().meta({
      description: "The mapping as deleted (state Deleting); null when it was already gone.",
    }),
    ...changeOutputs(previousMappingSchema, "when the mapping was already gone"),
  }),
  before: {
    ...getMapping,
    read: (response: EventSourceMappingConfiguration): EventSourceMappingConfiguration | null =>
      response,
    absent: () => null,
    previous: (mapping) => ({
      event_source_mapping: mapping === null ? null : describeMapping(mapping),
    }),
    checkWith: "list_event_source_mappings",
  },
  call: {
    operation: "DeleteEventSourceMapping",
    resource: mappingArn,
    target: mappingTarget,
    retry: "idempotent",
    command: (inputs) => new DeleteEventSourceMappingCommand({ UUID: inputs.uuid }),
    unchanged: (inputs, before) =>
      before === null
        ? {
            uuid: inputs.uuid,
            event_source_mapping: null,
            changed: false,
            previous: { event_source_mapping: null },
            undo: [],
          }
        : undefined,
    output: (response: EventSourceMappingConfiguration, inputs, before) => ({
      uuid: inputs.uuid,
      event_source_mapping: describeMapping(response),
      changed: true,
      previous:
        before === undefined
          ? null
          : { event_source_mapping: before === null ? null : describeMapping(before) },
      // The delete answers with the whole mapping: enough to re-create it even when the
      // read before was denied.
      undo: [recreateStep(before ?? response)],
    }),
  },
});
