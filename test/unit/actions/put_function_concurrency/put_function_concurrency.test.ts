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
  FUNCTION_NAME,
  lambdaServiceError,
  REQUEST_ID,
  rejectedConnectorError,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const metadata = { httpStatusCode: 200, requestId: REQUEST_ID };

describe("put_function_concurrency", () => {
  const { run } = useActionRun(putFunctionConcurrencyAction, { mock: lambdaMock });

  it.each([
    ["50 reserved", { ReservedConcurrentExecutions: 50 }, 50],
    ["none reserved", {}, null],
  ])("throttles to 0 and returns what it was before (%s)", async (_case, before, previous) => {
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
      function_name: FUNCTION_NAME,
      reserved_concurrent_executions: 0,
      previous_reserved_concurrent_executions: previous,
    });
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
      previous_reserved_concurrent_executions: 50,
    });
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
