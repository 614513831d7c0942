import {
  GetEventSourceMappingCommand,
  LambdaClient,
  UpdateEventSourceMappingCommand,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { updateEventSourceMappingAction } from "../../../../src/actions/update_event_source_mapping/update_event_source_mapping.js";
import { ACCOUNT_ID, FUNCTION_ARN, metadata, REGION, useActionRun } from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const UUID = "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:indicators`;

function mappingIn(state: string) {
  return {
    UUID,
    EventSourceArn: QUEUE_ARN,
    FunctionArn: FUNCTION_ARN,
    State: state,
    StateTransitionReason: "USER_INITIATED",
    BatchSize: 10,
    LastModified: new Date("2026-03-01T12:00:00.000Z"),
    $metadata: metadata,
  };
}

describe("update_event_source_mapping", () => {
  const { run } = useActionRun(updateEventSourceMappingAction, { mock: lambdaMock });

  it("disables the trigger and returns the mapping after and its state before", async () => {
    // Prepare
    lambdaMock.on(GetEventSourceMappingCommand).resolves(mappingIn("Enabled"));
    lambdaMock.on(UpdateEventSourceMappingCommand).resolves(mappingIn("Disabling"));

    // Act
    const output = await run({ uuid: UUID, enabled: false });

    // Assess
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(GetEventSourceMappingCommand, { UUID });
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(UpdateEventSourceMappingCommand, {
      UUID,
      Enabled: false,
    });
    expect(output).toEqual({
      previous_state_known: true,
      previous_state_error: null,
      event_source_mapping: {
        uuid: UUID,
        event_source_arn: QUEUE_ARN,
        function_arn: FUNCTION_ARN,
        state: "Disabling",
        state_transition_reason: "USER_INITIATED",
        batch_size: 10,
        last_modified: "2026-03-01T12:00:00.000Z",
      },
      changed: true,
      previous: { state: "Enabled", enabled: true },
      undo: [{ action: "update_event_source_mapping", inputs: { uuid: UUID, enabled: true } }],
    });
  });

  it.each([
    ["Enabled", true],
    ["Enabling", true],
    ["Disabled", false],
    ["Disabling", false],
  ])(
    "says a trigger that was %s was enabled: %s, and changed by enabling it: %s",
    async (state, enabled) => {
      lambdaMock.on(GetEventSourceMappingCommand).resolves(mappingIn(state));
      lambdaMock.on(UpdateEventSourceMappingCommand).resolves(mappingIn("Enabling"));

      const output = await run({ uuid: UUID, enabled: true });

      expect(output).toMatchObject({ previous: { state, enabled }, changed: !enabled });
      expect(output.undo).toHaveLength(enabled ? 0 : 1);
    },
  );
});
