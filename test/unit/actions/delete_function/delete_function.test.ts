import { DeleteFunctionCommand, GetFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { deleteFunctionAction } from "../../../../src/actions/delete_function/delete_function.js";
import {
  FUNCTION_NAME,
  functionConfiguration,
  functionSummary,
  lambdaServiceError,
  metadata,
  rejectedConnectorError,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const confirmed = { function_name: FUNCTION_NAME, confirm_function_name: FUNCTION_NAME };

describe("delete_function", () => {
  const { run } = useActionRun(deleteFunctionAction, { mock: lambdaMock });

  beforeEach(() => {
    lambdaMock.on(GetFunctionCommand).resolves({
      Configuration: functionConfiguration(),
      Tags: { owner: "soc" },
      Concurrency: { ReservedConcurrentExecutions: 0 },
      $metadata: metadata,
    });
    lambdaMock.on(DeleteFunctionCommand).resolves({ $metadata: metadata });
  });

  it("deletes the function and returns it as it was, for the record", async () => {
    // Act
    const output = await run(confirmed);

    // Assess
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(DeleteFunctionCommand, {
      FunctionName: FUNCTION_NAME,
    });
    expect(lambdaMock).not.toReceiveCommandWith(DeleteFunctionCommand, {
      Qualifier: expect.anything(),
    });
    expect(output).toEqual({
      previous_state_known: true,
      previous_state_error: null,
      function_name: FUNCTION_NAME,
      qualifier: null,
      deleted: true,
      previous: {
        function: functionSummary(),
        tags: { owner: "soc" },
        reserved_concurrent_executions: 0,
      },
      changed: true,
      undo: [],
    });
  });

  it("deletes only the version given as qualifier, reading that version first", async () => {
    const output = await run({ ...confirmed, qualifier: "3" });

    expect(lambdaMock).toReceiveCommandExactlyOnceWith(GetFunctionCommand, {
      FunctionName: FUNCTION_NAME,
      Qualifier: "3",
    });
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(DeleteFunctionCommand, {
      FunctionName: FUNCTION_NAME,
      Qualifier: "3",
    });
    expect(output.qualifier).toBe("3");
  });

  it("explains that a version an alias points to cannot be deleted", async () => {
    lambdaMock
      .on(DeleteFunctionCommand)
      .rejects(
        lambdaServiceError(
          "ResourceConflictException",
          "Unable to delete version because the following aliases reference it: [live]",
          409,
        ),
      );

    const error = await rejectedConnectorError(run({ ...confirmed, qualifier: "3" }));

    expect(error.hint).toContain("remove or repoint the alias first");
  });
});
