import {
  type EventSourceMappingConfiguration,
  GetEventSourceMappingCommand,
  UpdateEventSourceMappingCommand,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import type { Location } from "../../aws/call.js";
import { field } from "../../outputFields.js";
import { changeOutputs, requirePreviousStateInput, undoStep } from "../change.js";
import { defineOperationAction } from "../defineAction.js";
import {
  describeMapping,
  mappingSchema,
} from "../list_event_source_mappings/list_event_source_mappings.js";

/** Whether a mapping in this state consumes events, or is about to. */
function isEnabled(state: string | null): boolean {
  return state === "Enabled" || state === "Enabling";
}

/** The ARN IAM checks a call on one mapping against (its account unknown: `*`). */
export const mappingArn = (inputs: { uuid: string }, where: Location) =>
  `arn:${where.partition}:lambda:${where.region}:*:event-source-mapping:${inputs.uuid}`;
/** How a call on one mapping names it. */
export const mappingTarget = (inputs: { uuid: string }) => `event source mapping ${inputs.uuid}`;

/** The read of one mapping (GetEventSourceMapping), as a change of it reads it first. */
export const getMapping = {
  operation: "GetEventSourceMapping",
  resource: mappingArn,
  target: mappingTarget,
  retry: "idempotent" as const,
  command: (inputs: { uuid: string }) => new GetEventSourceMappingCommand({ UUID: inputs.uuid }),
};

/** The input naming one mapping by its UUID. */
export const mappingUuidInput = z
  .string({
    error: (issue) => (issue.input === undefined ? "is required" : "must be a string"),
  })
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    "must be a mapping UUID (see list_event_source_mappings)",
  )
  .meta({ title: "UUID", description: "The mapping's UUID." });

/** update_event_source_mapping: enable or disable a trigger. */
export const updateEventSourceMappingAction = defineOperationAction({
  name: "update_event_source_mapping",
  title: "Update Event Source Mapping",
  description:
    "Enable or disable an event source mapping (a trigger such as an SQS queue or Kinesis stream), e.g. to stop a compromised function from consuming events; the previous state is returned.",
  inputs: z.strictObject({
    uuid: mappingUuidInput,
    enabled: z
      .boolean({
        error: (issue) => (issue.input === undefined ? "is required" : "must be true or false"),
      })
      .meta({ title: "Enabled", description: "false stops the trigger; true resumes it." }),
    require_previous_state: requirePreviousStateInput,
  }),
  output: z.object({
    event_source_mapping: mappingSchema.meta({
      description: "The mapping after the change (may be Enabling/Disabling).",
    }),
    ...changeOutputs(
      z
        .object({
          state: field.nullableText("Its state before the change."),
          enabled: field.flag("Whether it was enabled (or enabling) before."),
        })
        .nullable()
        .meta({ description: "The state before the change; null when it could not be read." }),
      "when previous is unknown",
    ),
  }),
  before: {
    ...getMapping,
    read: (response: EventSourceMappingConfiguration) => response.State ?? null,
    previous: (state) => ({ state, enabled: isEnabled(state) }),
    checkWith: "list_event_source_mappings",
  },
  call: {
    operation: "UpdateEventSourceMapping",
    resource: mappingArn,
    target: mappingTarget,
    retry: "idempotent",
    command: (inputs) =>
      new UpdateEventSourceMappingCommand({ UUID: inputs.uuid, Enabled: inputs.enabled }),
    output: (response: EventSourceMappingConfiguration, inputs, previousState) => {
      if (previousState === undefined) {
        return {
          event_source_mapping: describeMapping(response),
          changed: true,
          previous: null,
          undo: [],
        };
      }
      const enabled = isEnabled(previousState);
      const changed = enabled !== inputs.enabled;
      return {
        event_source_mapping: describeMapping(response),
        changed,
        previous: { state: previousState, enabled },
        undo: changed
          ? [undoStep("update_event_source_mapping", { uuid: inputs.uuid, enabled })]
          : [],
      };
    },
  },
});
