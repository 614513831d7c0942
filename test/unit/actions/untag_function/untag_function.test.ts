import { GetFunctionCommand, LambdaClient, UntagResourceCommand } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { untagFunctionAction } from "../../../../src/actions/untag_function/untag_function.js";
import {
  FUNCTION_ARN,
  FUNCTION_NAME,
  functionConfiguration,
  metadata,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

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
});
