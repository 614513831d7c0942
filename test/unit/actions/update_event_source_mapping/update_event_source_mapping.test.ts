import {
  GetEventSourceMappingCommand,
  LambdaClient,
  UpdateEventSourceMappingCommand,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { updateEventSourceMappingAction } from "../../../../src/actions/update_event_source_mapping/update_event_source_mapping.js";
import { InvalidInputError } from "../../../../src/errors.js";
import { parseDocument } from "../../../../src/validation.js";
import {
  ACCOUNT_ID,
  accessDenied,
  FUNCTION_ARN,
  REGION,
  REQUEST_ID,
  rejectedConnectorError,
  resourceNotFound,
  thrownConnectorError,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const metadata = { httpStatusCode: 200, requestId: REQUEST_ID };
const UUID = "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const MAPPING_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:event-source-mapping:${UUID}`;
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

  it("fails as not_found, naming the mapping and the region, and changes nothing when it does not exist", async () => {
    lambdaMock.on(GetEventSourceMappingCommand).rejects(resourceNotFound());

    const error = await rejectedConnectorError(run({ uuid: UUID, enabled: false }));

    expect(error.code).toBe("not_found");
    expect(error.message).toContain(
      `Event source mapping ${UUID} was not found in region ${REGION}`,
    );
    expect(lambdaMock).not.toReceiveCommand(UpdateEventSourceMappingCommand);
  });

  it("names lambda:UpdateEventSourceMapping and the mapping's ARN when access is denied", async () => {
    lambdaMock.on(GetEventSourceMappingCommand).resolves(mappingIn("Enabled"));
    lambdaMock
      .on(UpdateEventSourceMappingCommand)
      .rejects(accessDenied("lambda:UpdateEventSourceMapping", MAPPING_ARN));

    const error = await rejectedConnectorError(run({ uuid: UUID, enabled: false }));

    expect(error.code).toBe("access_denied");
    expect(error.message).toContain(
      `may not call lambda:UpdateEventSourceMapping on ${MAPPING_ARN}`,
    );
    expect(error.hint).toContain(`Grant lambda:UpdateEventSourceMapping on exactly ${MAPPING_ARN}`);
    expect(error.hint).not.toMatch(/payload|qualifier/);
  });

  it.each([
    [{ enabled: false }, "uuid"],
    [{ uuid: "indicators-queue", enabled: false }, "uuid"],
    [{ uuid: UUID }, "enabled"],
    [{ uuid: UUID, enabled: "false" }, "enabled"],
  ])("refuses %j, naming %s", (raw, field) => {
    const error = thrownConnectorError(() =>
      parseDocument(updateEventSourceMappingAction.inputs, raw, "inputs"),
    );

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe(field);
  });
});
