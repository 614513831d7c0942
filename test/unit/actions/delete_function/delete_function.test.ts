import { DeleteFunctionCommand, GetFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { deleteFunctionAction } from "../../../../src/actions/delete_function/delete_function.js";
import { InvalidInputError } from "../../../../src/errors.js";
import { parseDocument } from "../../../../src/validation.js";
import {
  ACCOUNT_ID,
  accessDenied,
  FUNCTION_ARN,
  FUNCTION_NAME,
  functionConfiguration,
  functionNotFound,
  lambdaServiceError,
  REGION,
  REQUEST_ID,
  rejectedConnectorError,
  thrownConnectorError,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const metadata = { httpStatusCode: 200, requestId: REQUEST_ID };
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
        configuration: {
          name: FUNCTION_NAME,
          arn: FUNCTION_ARN,
          runtime: "python3.12",
          handler: "app.handler",
          last_modified: "2026-02-27T09:14:03.000+0000",
          state: "Active",
          memory_size: 256,
          timeout: 30,
          role: `arn:aws:iam::${ACCOUNT_ID}:role/${FUNCTION_NAME}-exec`,
        },
        tags: { owner: "soc" },
        reserved_concurrency: 0,
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

  it.each([
    [
      { function_name: FUNCTION_NAME, confirm_function_name: "enrich-indicators" },
      "must equal function_name",
    ],
    [
      { function_name: FUNCTION_NAME, confirm_function_name: FUNCTION_ARN },
      "must equal function_name",
    ],
    [{ function_name: FUNCTION_NAME }, "is required"],
  ])("refuses %j, naming confirm_function_name, and deletes nothing", (raw, says) => {
    const error = thrownConnectorError(() =>
      parseDocument(deleteFunctionAction.inputs, raw, "inputs"),
    );

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe("confirm_function_name");
    expect(error.message).toContain(`confirm_function_name: ${says}`);
    expect(lambdaMock).not.toReceiveAnyCommand();
  });

  it("fails as not_found, naming the function and the region, when the function does not exist", async () => {
    lambdaMock.on(GetFunctionCommand).rejects(functionNotFound());

    const error = await rejectedConnectorError(run(confirmed));

    expect(error.code).toBe("not_found");
    expect(error.message).toContain(`Function ${FUNCTION_NAME} was not found in region ${REGION}`);
    expect(lambdaMock).not.toReceiveCommand(DeleteFunctionCommand);
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

  it("names lambda:DeleteFunction and the function's ARN when access is denied", async () => {
    lambdaMock
      .on(DeleteFunctionCommand)
      .rejects(accessDenied("lambda:DeleteFunction", FUNCTION_ARN));

    const error = await rejectedConnectorError(
      run({ function_name: FUNCTION_ARN, confirm_function_name: FUNCTION_ARN }),
    );

    expect(error.code).toBe("access_denied");
    expect(error.message).toContain(`may not call lambda:DeleteFunction on ${FUNCTION_ARN}`);
    expect(error.hint).toContain(`Grant lambda:DeleteFunction on exactly ${FUNCTION_ARN}`);
    expect(error.hint).not.toMatch(/payload|qualifier/);
  });
});
