import {
  GetFunctionEventInvokeConfigCommand,
  LambdaClient,
  PutFunctionEventInvokeConfigCommand,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { putFunctionEventInvokeConfigAction } from "../../../../src/actions/put_function_event_invoke_config/put_function_event_invoke_config.js";
import { FUNCTION_NAME, metadata, resourceNotFound, useActionRun } from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);
const QUEUE = "arn:aws:sqs:us-east-1:210987654321:exfil";

describe("put_function_event_invoke_config", () => {
  const { run } = useActionRun(putFunctionEventInvokeConfigAction, { mock: lambdaMock });

  it("cuts the destinations (sends none), and its undo restores them with the retries", async () => {
    lambdaMock.on(GetFunctionEventInvokeConfigCommand).resolves({
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnSuccess: { Destination: QUEUE } },
      LastModified: new Date(Date.UTC(2026, 0, 2)),
      $metadata: metadata,
    });
    lambdaMock.on(PutFunctionEventInvokeConfigCommand).resolves({
      MaximumRetryAttempts: 0,
      DestinationConfig: {},
      LastModified: new Date(Date.UTC(2026, 2, 1)),
      $metadata: metadata,
    });

    const output = await run({ function_name: FUNCTION_NAME, maximum_retry_attempts: 0 });

    expect(lambdaMock.commandCalls(PutFunctionEventInvokeConfigCommand)[0]?.args[0].input).toEqual({
      FunctionName: FUNCTION_NAME,
      MaximumRetryAttempts: 0,
      DestinationConfig: {},
    });
    expect(output).toMatchObject({
      event_invoke_config: {
        on_success_destination: null,
        last_modified: "2026-03-01T00:00:00.000Z",
      },
      previous: { event_invoke_config: { on_success_destination: QUEUE } },
      undo: [
        {
          action: "put_function_event_invoke_config",
          inputs: {
            function_name: FUNCTION_NAME,
            maximum_retry_attempts: 2,
            on_success_destination: QUEUE,
          },
        },
      ],
    });
  });

  it("is undone by deleting the settings when the function had none", async () => {
    lambdaMock.on(GetFunctionEventInvokeConfigCommand).rejects(resourceNotFound());
    lambdaMock.on(PutFunctionEventInvokeConfigCommand).resolves({ $metadata: metadata });

    const output = await run({ function_name: FUNCTION_NAME, on_failure_destination: QUEUE });

    expect(output).toMatchObject({
      previous: { event_invoke_config: { configured: false } },
      undo: [
        { action: "delete_function_event_invoke_config", inputs: { function_name: FUNCTION_NAME } },
      ],
    });
  });
});
