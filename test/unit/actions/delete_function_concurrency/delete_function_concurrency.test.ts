import {
  DeleteFunctionConcurrencyCommand,
  GetFunctionConcurrencyCommand,
  LambdaClient,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { deleteFunctionConcurrencyAction } from "../../../../src/actions/delete_function_concurrency/delete_function_concurrency.js";
import { FUNCTION_NAME, metadata, useActionRun } from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

describe("delete_function_concurrency", () => {
  const { run } = useActionRun(deleteFunctionConcurrencyAction, { mock: lambdaMock });

  it("lifts a throttle and returns the value it had, to put it back", async () => {
    // Prepare
    lambdaMock
      .on(GetFunctionConcurrencyCommand)
      .resolves({ ReservedConcurrentExecutions: 0, $metadata: metadata });
    lambdaMock.on(DeleteFunctionConcurrencyCommand).resolves({ $metadata: metadata });

    // Act
    const output = await run({ function_name: FUNCTION_NAME });

    // Assess
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(DeleteFunctionConcurrencyCommand, {
      FunctionName: FUNCTION_NAME,
    });
    expect(output).toEqual({
      previous_state_known: true,
      previous_state_error: null,
      function_name: FUNCTION_NAME,
      reserved_concurrent_executions: null,
      changed: true,
      previous: { reserved_concurrent_executions: 0 },
      undo: [
        {
          action: "put_function_concurrency",
          inputs: { function_name: FUNCTION_NAME, reserved_concurrent_executions: 0 },
        },
      ],
    });
  });
});
