import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
  type UpdateFunctionConfigurationCommandInput,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { updateFunctionConfigurationAction } from "../../../../src/actions/update_function_configuration/update_function_configuration.js";
import { InvalidInputError } from "../../../../src/errors.js";
import { parseDocument } from "../../../../src/validation.js";
import {
  accessDenied,
  FUNCTION_ARN,
  FUNCTION_NAME,
  metadata,
  rejectedConnectorError,
  thrownConnectorError,
  useActionRun,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);
const SECRET = "ghp_0123456789abcdefSECRET";

/** The function as GetFunctionConfiguration returns it, with a secret in its environment. */
const CURRENT = {
  FunctionName: FUNCTION_NAME,
  FunctionArn: FUNCTION_ARN,
  Timeout: 3,
  MemorySize: 128,
  RevisionId: "rev-1",
  LastUpdateStatus: "Successful" as const,
  Environment: { Variables: { API_TOKEN: SECRET, LOG_LEVEL: "info" } },
  $metadata: metadata,
};

describe("update_function_configuration", () => {
  const { run } = useActionRun(updateFunctionConfigurationAction, { mock: lambdaMock });

  it("merges set and remove into the environment read first, guarded by its revision, and prints no value", async () => {
    // Prepare
    lambdaMock.on(GetFunctionConfigurationCommand).resolves(CURRENT);
    lambdaMock
      .on(UpdateFunctionConfigurationCommand)
      .callsFake((input: UpdateFunctionConfigurationCommandInput) => ({
        ...CURRENT,
        Environment: input.Environment,
        RevisionId: "rev-2",
        $metadata: metadata,
      }));

    // Act
    const output = await run({
      function_name: FUNCTION_NAME,
      environment_set: { LOG_LEVEL: "debug", QUARANTINED: "true" },
      environment_remove: ["API_TOKEN"],
    });

    // Assess
    expect(lambdaMock.commandCalls(UpdateFunctionConfigurationCommand)[0]?.args[0].input).toEqual({
      FunctionName: FUNCTION_NAME,
      Environment: { Variables: { LOG_LEVEL: "debug", QUARANTINED: "true" } },
      RevisionId: "rev-1",
    });
    expect(output).toMatchObject({
      changed: true,
      function: { environment_names: ["LOG_LEVEL", "QUARANTINED"] },
      previous: { environment_names: ["API_TOKEN", "LOG_LEVEL"] },
      environment_not_restored: ["API_TOKEN", "LOG_LEVEL"],
      undo: [
        {
          action: "update_function_configuration",
          inputs: { function_name: FUNCTION_NAME, environment_remove: ["QUARANTINED"] },
        },
      ],
    });
    expect(JSON.stringify(output)).not.toContain(SECRET);
    expect(JSON.stringify(output)).not.toContain("debug");
  });

  it("sends nothing when the environment change needs the read before and it is denied", async () => {
    lambdaMock
      .on(GetFunctionConfigurationCommand)
      .rejects(accessDenied("lambda:GetFunctionConfiguration", FUNCTION_ARN));

    const error = await rejectedConnectorError(
      run({ function_name: FUNCTION_NAME, environment_remove: ["API_TOKEN"] }),
    );

    expect(error.code).toBe("access_denied");
    expect(lambdaMock.commandCalls(UpdateFunctionConfigurationCommand)).toHaveLength(0);
  });

  it("changes the rest when the read before is denied, saying the state before is unknown", async () => {
    lambdaMock
      .on(GetFunctionConfigurationCommand)
      .rejects(accessDenied("lambda:GetFunctionConfiguration", FUNCTION_ARN));
    lambdaMock
      .on(UpdateFunctionConfigurationCommand)
      .resolves({ ...CURRENT, Timeout: 30, $metadata: metadata });

    const output = await run({ function_name: FUNCTION_NAME, timeout: 30 });

    expect(lambdaMock.commandCalls(UpdateFunctionConfigurationCommand)[0]?.args[0].input).toEqual({
      FunctionName: FUNCTION_NAME,
      Timeout: 30,
    });
    expect(output).toMatchObject({
      changed: true,
      previous: null,
      undo: [],
      previous_state_known: false,
      previous_state_error: { code: "access_denied" },
    });
  });

  it("fails closed on a denied read when require_previous_state is true", async () => {
    lambdaMock
      .on(GetFunctionConfigurationCommand)
      .rejects(accessDenied("lambda:GetFunctionConfiguration", FUNCTION_ARN));

    const error = await rejectedConnectorError(
      run({ function_name: FUNCTION_NAME, timeout: 30, require_previous_state: true }),
    );

    expect(error.code).toBe("access_denied");
    expect(lambdaMock.commandCalls(UpdateFunctionConfigurationCommand)).toHaveLength(0);
  });

  it("sends nothing when the function already is as asked", async () => {
    lambdaMock.on(GetFunctionConfigurationCommand).resolves(CURRENT);

    const output = await run({
      function_name: FUNCTION_NAME,
      timeout: 3,
      environment_set: { LOG_LEVEL: "info" },
    });

    expect(output).toMatchObject({ changed: false, undo: [], waited_seconds: 0 });
    expect(lambdaMock.commandCalls(UpdateFunctionConfigurationCommand)).toHaveLength(0);
  });

  it("undoes a removed dead-letter target by setting it again, and a new one by removing it", async () => {
    const queue = "arn:aws:sqs:us-east-1:123456789012:dlq";
    lambdaMock.on(GetFunctionConfigurationCommand).resolvesOnce({
      ...CURRENT,
      DeadLetterConfig: { TargetArn: queue },
    });
    lambdaMock.on(UpdateFunctionConfigurationCommand).resolves({ ...CURRENT, $metadata: metadata });

    const removed = await run({ function_name: FUNCTION_NAME, remove_dead_letter_target: true });
    lambdaMock.on(GetFunctionConfigurationCommand).resolves(CURRENT);
    const added = await run({ function_name: FUNCTION_NAME, dead_letter_target_arn: queue });

    expect(
      lambdaMock.commandCalls(UpdateFunctionConfigurationCommand)[0]?.args[0].input,
    ).toMatchObject({
      DeadLetterConfig: { TargetArn: "" },
    });
    expect(removed.undo).toEqual([
      {
        action: "update_function_configuration",
        inputs: { function_name: FUNCTION_NAME, dead_letter_target_arn: queue },
      },
    ]);
    expect(added.undo).toEqual([
      {
        action: "update_function_configuration",
        inputs: { function_name: FUNCTION_NAME, remove_dead_letter_target: true },
      },
    ]);
  });

  it.each([
    [{ function_name: FUNCTION_NAME }, "environment_set"],
    [
      { function_name: FUNCTION_NAME, environment_set: { A: "1" }, environment_remove: ["A"] },
      "environment_remove",
    ],
    [
      {
        function_name: FUNCTION_NAME,
        dead_letter_target_arn: "arn:aws:sqs:us-east-1:123456789012:dlq",
        remove_dead_letter_target: true,
      },
      "remove_dead_letter_target",
    ],
    [{ function_name: FUNCTION_NAME, environment_set: { "1BAD": SECRET } }, "environment_set.1BAD"],
    [{ function_name: FUNCTION_NAME, environment_set: { TOKEN: 42 } }, "environment_set.TOKEN"],
  ])("refuses %j, naming %s and no value", (raw, field) => {
    const error = thrownConnectorError(() =>
      parseDocument(updateFunctionConfigurationAction.inputs, raw, "inputs"),
    );

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe(field);
    expect(error.message).not.toContain(SECRET);
  });
});
