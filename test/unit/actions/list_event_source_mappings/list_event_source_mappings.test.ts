import {
  type EventSourceMappingConfiguration,
  LambdaClient,
  ListEventSourceMappingsCommand,
  type ListEventSourceMappingsCommandInput,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { listEventSourceMappingsAction } from "../../../../src/actions/list_event_source_mappings/list_event_source_mappings.js";
import {
  ACCOUNT_ID,
  FUNCTION_ARN,
  FUNCTION_NAME,
  listPage,
  REGION,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:indicators`;

function mapping(i: number): EventSourceMappingConfiguration {
  return {
    UUID: `a1b2c3d4-0000-4000-8000-${String(i).padStart(12, "0")}`,
    EventSourceArn: QUEUE_ARN,
    FunctionArn: FUNCTION_ARN,
    State: "Enabled",
    BatchSize: 10,
    LastModified: new Date("2026-02-20T10:00:00.000Z"),
  };
}

/** A fake ListEventSourceMappings over `all`, paging by Marker = index. */
function serve(all: EventSourceMappingConfiguration[]): void {
  lambdaMock
    .on(ListEventSourceMappingsCommand)
    .callsFake((input: ListEventSourceMappingsCommandInput) =>
      listPage("EventSourceMappings", all, input),
    );
}

describe("list_event_source_mappings", () => {
  const { run } = useActionRun(listEventSourceMappingsAction, { mock: lambdaMock });

  it("lists the function's triggers with their state, batch size and last change", async () => {
    // Prepare
    serve([
      mapping(1),
      { ...mapping(2), State: "Disabled", StateTransitionReason: "USER_INITIATED" },
    ]);

    // Act
    const output = await run({ function_name: FUNCTION_NAME });

    // Assess
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(ListEventSourceMappingsCommand, {
      FunctionName: FUNCTION_NAME,
      MaxItems: 50,
    });
    expect(output).toEqual({
      function_name: FUNCTION_NAME,
      event_source_mappings: [
        {
          uuid: "a1b2c3d4-0000-4000-8000-000000000001",
          event_source_arn: QUEUE_ARN,
          function_arn: FUNCTION_ARN,
          state: "Enabled",
          state_transition_reason: null,
          batch_size: 10,
          last_modified: "2026-02-20T10:00:00.000Z",
        },
        {
          uuid: "a1b2c3d4-0000-4000-8000-000000000002",
          event_source_arn: QUEUE_ARN,
          function_arn: FUNCTION_ARN,
          state: "Disabled",
          state_transition_reason: "USER_INITIATED",
          batch_size: 10,
          last_modified: "2026-02-20T10:00:00.000Z",
        },
      ],
      count: 2,
      truncated: false,
      next_marker: null,
    });
  });

  it("collects pages up to max_items and gives the marker to resume from", async () => {
    serve(Array.from({ length: 75 }, (_, i) => mapping(i)));

    const output = await run({ function_name: FUNCTION_NAME, max_items: 60 });

    expect(
      lambdaMock.commandCalls(ListEventSourceMappingsCommand).map((c) => c.args[0].input),
    ).toEqual([
      { FunctionName: FUNCTION_NAME, MaxItems: 50 },
      { FunctionName: FUNCTION_NAME, MaxItems: 10, Marker: "50" },
    ]);
    expect(output).toMatchObject({ count: 60, truncated: true, next_marker: "60" });
  });
});
