import {
  DeleteFunctionConcurrencyCommand,
  GetFunctionConcurrencyCommand,
  LambdaClient,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { deleteFunctionConcurrencyAction } from "../../../../src/actions/delete_function_concurrency/delete_function_concurrency.js";
import {
  accessDenied,
  FUNCTION_ARN,
  FUNCTION_NAME,
  functionNotFound,
  REGION,
  REQUEST_ID,
  rejectedConnectorError,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const metadata = { httpStatusCode: 200, requestId: REQUEST_ID };

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

  it("fails as not_found, naming the function and the region, and deletes nothing when the function does not exist", async () => {
    lambdaMock.on(GetFunctionConcurrencyCommand).rejects(functionNotFound());

    const error = await rejectedConnectorError(run({ function_name: FUNCTION_NAME }));

    expect(error.code).toBe("not_found");
    expect(error.message).toContain(`Function ${FUNCTION_NAME} was not found in region ${REGION}`);
    expect(lambdaMock).not.toReceiveCommand(DeleteFunctionConcurrencyCommand);
  });

  it("names lambda:DeleteFunctionConcurrency and the function's ARN when access is denied", async () => {
    lambdaMock
      .on(GetFunctionConcurrencyCommand)
      .resolves({ ReservedConcurrentExecutions: 0, $metadata: metadata });
    lambdaMock
      .on(DeleteFunctionConcurrencyCommand)
      .rejects(accessDenied("lambda:DeleteFunctionConcurrency", FUNCTION_ARN));

    const error = await rejectedConnectorError(run({ function_name: FUNCTION_ARN }));

    expect(error.code).toBe("access_denied");
    expect(error.message).toContain(
      `may not call lambda:DeleteFunctionConcurrency on ${FUNCTION_ARN}`,
    );
    expect(error.hint).toContain(
      `Grant lambda:DeleteFunctionConcurrency on exactly ${FUNCTION_ARN}`,
    );
    expect(error.hint).not.toMatch(/payload|qualifier/);
  });

  it("takes only function_name", () => {
    const result = deleteFunctionConcurrencyAction.inputs.safeParse({
      function_name: FUNCTION_NAME,
      reserved_concurrent_executions: 0,
    });

    expect(result.success).toBe(false);
  });
});
