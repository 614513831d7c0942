import { GetFunctionCommand, LambdaClient, UntagResourceCommand } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { untagFunctionAction } from "../../../../src/actions/untag_function/untag_function.js";
import { InvalidInputError } from "../../../../src/errors.js";
import { parseDocument } from "../../../../src/validation.js";
import {
  accessDenied,
  FUNCTION_ARN,
  FUNCTION_NAME,
  functionConfiguration,
  functionNotFound,
  REGION,
  REQUEST_ID,
  rejectedConnectorError,
  thrownConnectorError,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const metadata = { httpStatusCode: 200, requestId: REQUEST_ID };

describe("untag_function", () => {
  const { run } = useActionRun(untagFunctionAction, { mock: lambdaMock });

  beforeEach(() => {
    lambdaMock.on(GetFunctionCommand).resolves({
      Configuration: functionConfiguration(),
      Tags: { owner: "soc", quarantine: "true", case: "SW-1234" },
      $metadata: metadata,
    });
    lambdaMock.on(UntagResourceCommand).resolves({ $metadata: metadata });
  });

  it("removes the keys from the function's ARN and returns the tags before, with the step that restores them", async () => {
    // Act
    const output = await run({
      function_name: FUNCTION_NAME,
      tag_keys: ["quarantine", "case", "ticket"],
    });

    // Assess
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(UntagResourceCommand, {
      Resource: FUNCTION_ARN,
      TagKeys: ["quarantine", "case", "ticket"],
    });
    expect(output).toEqual({
      previous_state_known: true,
      previous_state_error: null,
      function_name: FUNCTION_NAME,
      arn: FUNCTION_ARN,
      tags: { owner: "soc" },
      changed: true,
      previous: { tags: { owner: "soc", quarantine: "true", case: "SW-1234" } },
      undo: [
        {
          action: "tag_function",
          inputs: { function_name: FUNCTION_NAME, tags: { quarantine: "true", case: "SW-1234" } },
        },
      ],
    });
  });

  it("says changed: false with no undo when none of the keys is set", async () => {
    const output = await run({ function_name: FUNCTION_NAME, tag_keys: ["ticket", "toString"] });

    expect(output).toMatchObject({ changed: false, undo: [] });
  });

  it("fails as not_found, naming the function and the region, and untags nothing when the function does not exist", async () => {
    lambdaMock.on(GetFunctionCommand).rejects(functionNotFound());

    const error = await rejectedConnectorError(
      run({ function_name: FUNCTION_NAME, tag_keys: ["quarantine"] }),
    );

    expect(error.code).toBe("not_found");
    expect(error.message).toContain(`Function ${FUNCTION_NAME} was not found in region ${REGION}`);
    expect(lambdaMock).not.toReceiveCommand(UntagResourceCommand);
  });

  it("names lambda:UntagResource and the function's ARN when access is denied", async () => {
    lambdaMock.on(UntagResourceCommand).rejects(accessDenied("lambda:UntagResource", FUNCTION_ARN));

    const error = await rejectedConnectorError(
      run({ function_name: FUNCTION_ARN, tag_keys: ["quarantine"] }),
    );

    expect(error.code).toBe("access_denied");
    expect(error.message).toContain(`may not call lambda:UntagResource on ${FUNCTION_ARN}`);
    expect(error.hint).toContain(`Grant lambda:UntagResource on exactly ${FUNCTION_ARN}`);
    expect(error.hint).not.toMatch(/payload|qualifier/);
  });

  it.each([
    [{ function_name: FUNCTION_NAME }, "tag_keys"],
    [{ function_name: FUNCTION_NAME, tag_keys: [] }, "tag_keys"],
    [{ function_name: FUNCTION_NAME, tag_keys: "quarantine" }, "tag_keys"],
    [{ function_name: FUNCTION_NAME, tag_keys: ["quarantine", ""] }, "tag_keys.1"],
  ])("refuses %j, naming %s", (raw, field) => {
    const error = thrownConnectorError(() =>
      parseDocument(untagFunctionAction.inputs, raw, "inputs"),
    );

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe(field);
  });
});
