import { GetFunctionCommand, LambdaClient, TagResourceCommand } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { tagFunctionAction } from "../../../../src/actions/tag_function/tag_function.js";
import {
  accessDenied,
  FUNCTION_ARN,
  FUNCTION_NAME,
  functionConfiguration,
  metadata,
  rejectedConnectorError,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

describe("tag_function", () => {
  const { run } = useActionRun(tagFunctionAction, { mock: lambdaMock });

  beforeEach(() => {
    lambdaMock.on(GetFunctionCommand).resolves({
      Configuration: functionConfiguration(),
      Tags: { owner: "soc", quarantine: "false" },
      $metadata: metadata,
    });
    lambdaMock.on(TagResourceCommand).resolves({ $metadata: metadata });
  });

  it("tags the function's ARN and returns the tags before, with the steps that restore them", async () => {
    // Act
    const output = await run({
      function_name: FUNCTION_NAME,
      tags: { quarantine: "true", case: "SW-1234" },
    });

    // Assess
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(GetFunctionCommand, {
      FunctionName: FUNCTION_NAME,
    });
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(TagResourceCommand, {
      Resource: FUNCTION_ARN,
      Tags: { quarantine: "true", case: "SW-1234" },
    });
    expect(output).toEqual({
      previous_state_known: true,
      previous_state_error: null,
      function_name: FUNCTION_NAME,
      arn: FUNCTION_ARN,
      tags: { owner: "soc", quarantine: "true", case: "SW-1234" },
      changed: true,
      previous: { tags: { owner: "soc", quarantine: "false" } },
      undo: [
        { action: "untag_function", inputs: { function_name: FUNCTION_NAME, tag_keys: ["case"] } },
        {
          action: "tag_function",
          inputs: { function_name: FUNCTION_NAME, tags: { quarantine: "false" } },
        },
      ],
    });
  });

  it("says changed: false with no undo when every tag already has its value", async () => {
    const output = await run({ function_name: FUNCTION_NAME, tags: { owner: "soc" } });

    expect(output).toMatchObject({ changed: false, undo: [] });
  });

  it("keeps tags named like Object's own methods, before and after", async () => {
    lambdaMock.on(GetFunctionCommand).resolves({
      Configuration: functionConfiguration(),
      Tags: { toString: "old", constructor: "kept" },
      $metadata: metadata,
    });

    const output = await run({
      function_name: FUNCTION_NAME,
      tags: { toString: "new", valueOf: "v", hasOwnProperty: "h" },
    });

    expect(JSON.parse(JSON.stringify(output))).toEqual({
      previous_state_known: true,
      previous_state_error: null,
      function_name: FUNCTION_NAME,
      arn: FUNCTION_ARN,
      tags: { toString: "new", constructor: "kept", valueOf: "v", hasOwnProperty: "h" },
      changed: true,
      previous: { tags: { toString: "old", constructor: "kept" } },
      undo: [
        {
          action: "untag_function",
          inputs: { function_name: FUNCTION_NAME, tag_keys: ["valueOf", "hasOwnProperty"] },
        },
        {
          action: "tag_function",
          inputs: { function_name: FUNCTION_NAME, tags: { toString: "old" } },
        },
      ],
    });
  });

  it("tags a function given by ARN when the read before is denied, saying the tags before are unknown", async () => {
    lambdaMock.on(GetFunctionCommand).rejects(accessDenied("lambda:GetFunction", FUNCTION_ARN));

    const output = await run({ function_name: FUNCTION_ARN, tags: { quarantine: "true" } });

    expect(lambdaMock).toReceiveCommandExactlyOnceWith(TagResourceCommand, {
      Resource: FUNCTION_ARN,
      Tags: { quarantine: "true" },
    });
    expect(output).toMatchObject({ previous_state_known: false, previous: null, tags: null });
  });

  it("fails on a denied read when only a name is given: tags are set on the ARN it reads", async () => {
    lambdaMock.on(GetFunctionCommand).rejects(accessDenied("lambda:GetFunction", FUNCTION_ARN));

    const error = await rejectedConnectorError(
      run({ function_name: FUNCTION_NAME, tags: { quarantine: "true" } }),
    );

    expect(error.code).toBe("access_denied");
    expect(lambdaMock).not.toReceiveCommand(TagResourceCommand);
  });

  it("accepts a tag key of 128 characters and a value of 256, AWS's limits", () => {
    const tags = { ["k".repeat(128)]: "v".repeat(256) };

    expect(tagFunctionAction.inputs.parse({ function_name: FUNCTION_NAME, tags }).tags).toEqual(
      tags,
    );
  });
});
