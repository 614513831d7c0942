import {
  GetFunctionConcurrencyCommand,
  LambdaClient,
  PutFunctionConcurrencyCommand,
  type PutFunctionConcurrencyCommandInput,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { putFunctionConcurrencyAction } from "../../../../src/actions/put_function_concurrency/put_function_concurrency.js";
import {
  accessDenied,
  FUNCTION_ARN,
  FUNCTION_NAME,
  functionNotFound,
  lambdaServiceError,
  metadata,
  rejectedConnectorError,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

describe("put_function_concurrency", () => {
  const { run } = useActionRun(putFunctionConcurrencyAction, { mock: lambdaMock });

  it.each([
    [
      "50 reserved",
      { ReservedConcurrentExecutions: 50 },
      50,
      {
        action: "put_function_concurrency",
        inputs: { function_name: FUNCTION_NAME, reserved_concurrent_executions: 50 },
      },
    ],
    [
      "none reserved",
      {},
      null,
      { action: "delete_function_concurrency", inputs: { function_name: FUNCTION_NAME } },
    ],
  ])(
    "throttles to 0 and returns what it was before and its undo (%s)",
    async (_case, before, previous, undo) => {
      // Prepare
      lambdaMock.on(GetFunctionConcurrencyCommand).resolves({ ...before, $metadata: metadata });
      lambdaMock
        .on(PutFunctionConcurrencyCommand)
        .resolves({ ReservedConcurrentExecutions: 0, $metadata: metadata });

      // Act
      const output = await run({ function_name: FUNCTION_NAME, reserved_concurrent_executions: 0 });

      // Assess
      expect(lambdaMock).toReceiveCommandExactlyOnceWith(GetFunctionConcurrencyCommand, {
        FunctionName: FUNCTION_NAME,
      });
      expect(lambdaMock).toReceiveCommandExactlyOnceWith(PutFunctionConcurrencyCommand, {
        FunctionName: FUNCTION_NAME,
        ReservedConcurrentExecutions: 0,
      });
      expect(output).toEqual({
        previous_state_known: true,
        previous_state_error: null,
        function_name: FUNCTION_NAME,
        reserved_concurrent_executions: 0,
        changed: true,
        previous: { reserved_concurrent_executions: previous },
        undo: [undo],
      });
    },
  );

  it("says changed: false with no undo when the function was already throttled to 0", async () => {
    lambdaMock
      .on(GetFunctionConcurrencyCommand)
      .resolves({ ReservedConcurrentExecutions: 0, $metadata: metadata });
    lambdaMock
      .on(PutFunctionConcurrencyCommand)
      .resolves({ ReservedConcurrentExecutions: 0, $metadata: metadata });

    const output = await run({ function_name: FUNCTION_NAME, reserved_concurrent_executions: 0 });

    expect(output).toMatchObject({ changed: false, undo: [] });
  });

  it("reads the value before it changes it, not after", async () => {
    // A function whose reserved concurrency really changes when it is put.
    let reserved = 50;
    lambdaMock
      .on(GetFunctionConcurrencyCommand)
      .callsFake(() => ({ ReservedConcurrentExecutions: reserved, $metadata: metadata }));
    lambdaMock
      .on(PutFunctionConcurrencyCommand)
      .callsFake((input: PutFunctionConcurrencyCommandInput) => {
        reserved = input.ReservedConcurrentExecutions ?? reserved;
        return { ReservedConcurrentExecutions: reserved, $metadata: metadata };
      });

    const output = await run({ function_name: FUNCTION_NAME, reserved_concurrent_executions: 0 });

    expect(output).toMatchObject({
      reserved_concurrent_executions: 0,
      previous: { reserved_concurrent_executions: 50 },
    });
  });

  it("throttles anyway when the read before is denied, saying the state before is unknown and why", async () => {
    lambdaMock
      .on(GetFunctionConcurrencyCommand)
      .rejects(accessDenied("lambda:GetFunctionConcurrency", FUNCTION_ARN));
    lambdaMock
      .on(PutFunctionConcurrencyCommand)
      .resolves({ ReservedConcurrentExecutions: 0, $metadata: metadata });

    const output = await run({ function_name: FUNCTION_NAME, reserved_concurrent_executions: 0 });

    expect(lambdaMock).toReceiveCommandTimes(PutFunctionConcurrencyCommand, 1);
    expect(output).toEqual({
      function_name: FUNCTION_NAME,
      reserved_concurrent_executions: 0,
      changed: true,
      previous: null,
      undo: [],
      previous_state_known: false,
      previous_state_error: {
        code: "access_denied",
        message: expect.stringContaining("lambda:GetFunctionConcurrency"),
      },
    });
  });

  it("changes nothing when the read before is denied and require_previous_state is true", async () => {
    lambdaMock
      .on(GetFunctionConcurrencyCommand)
      .rejects(accessDenied("lambda:GetFunctionConcurrency", FUNCTION_ARN));

    const error = await rejectedConnectorError(
      run({
        function_name: FUNCTION_NAME,
        reserved_concurrent_executions: 0,
        require_previous_state: true,
      }),
    );

    expect(error.code).toBe("access_denied");
    expect(lambdaMock).not.toReceiveCommand(PutFunctionConcurrencyCommand);
  });

  it("does not go ahead without the read on a failure other than a denial", async () => {
    lambdaMock.on(GetFunctionConcurrencyCommand).rejects(functionNotFound());

    await rejectedConnectorError(
      run({ function_name: FUNCTION_NAME, reserved_concurrent_executions: 0 }),
    );

    expect(lambdaMock).not.toReceiveCommand(PutFunctionConcurrencyCommand);
  });

  it("explains a value that would leave the account too little unreserved concurrency", async () => {
    lambdaMock.on(GetFunctionConcurrencyCommand).resolves({ $metadata: metadata });
    lambdaMock
      .on(PutFunctionConcurrencyCommand)
      .rejects(
        lambdaServiceError(
          "InvalidParameterValueException",
          "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
        ),
      );

    const error = await rejectedConnectorError(
      run({ function_name: FUNCTION_NAME, reserved_concurrent_executions: 950 }),
    );

    expect(error.code).toBe("aws_error");
    expect(error.hint).toContain("at least 100 unreserved concurrent executions");
  });
});
