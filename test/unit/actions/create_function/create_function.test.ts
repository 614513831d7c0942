import {
  CreateFunctionCommand,
  type FunctionConfiguration,
  GetFunctionConfigurationCommand,
  LambdaClient,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createFunctionAction,
  STATE_POLL_INTERVAL_MS,
} from "../../../../src/actions/create_function/create_function.js";
import { Executor, type ExecutorOptions } from "../../../../src/aws/executor.js";
import { InvalidInputError } from "../../../../src/errors.js";
import { parseDocument } from "../../../../src/validation.js";
import {
  ACCOUNT_ID,
  accessDenied,
  type FakeTime,
  fakeTime,
  functionConfiguration,
  functionSummary,
  HANDLER_ZIP_BASE64,
  handlerZip,
  keysAsset,
  type LocalServer,
  lambdaServiceError,
  metadata,
  REGION,
  rejectedConnectorError,
  startLocalServer,
  thrownConnectorError,
  validAsset,
} from "../../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

const NAME = "triage-helper";
const ARN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${NAME}`;
const EXEC_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/triage-helper-exec`;

const required = {
  function_name: NAME,
  runtime: "python3.12",
  handler: "app.handler",
  execution_role_arn: EXEC_ROLE,
};

function configurationIn(state: "Pending" | "Active"): FunctionConfiguration {
  return functionConfiguration({
    FunctionName: NAME,
    FunctionArn: ARN,
    Role: EXEC_ROLE,
    State: state,
    ...(state === "Pending"
      ? { StateReason: "The function is being created.", StateReasonCode: "Creating" }
      : {}),
  });
}

describe("create_function", () => {
  let executor: Executor;
  let time: FakeTime;
  const start = (options: ExecutorOptions = {}) => {
    executor = new Executor(validAsset(keysAsset), { ...time, ...options });
  };
  const run = (raw: Record<string, unknown>) =>
    createFunctionAction.run(createFunctionAction.inputs.parse(raw), executor);

  beforeEach(() => {
    lambdaMock.reset();
    time = fakeTime();
    start();
    lambdaMock
      .on(CreateFunctionCommand)
      .resolves({ ...configurationIn("Pending"), $metadata: metadata });
  });

  afterEach(() => {
    executor.destroy();
  });

  it("creates the function from base64 and waits until it is Active", async () => {
    // Prepare
    lambdaMock
      .on(GetFunctionConfigurationCommand)
      .resolvesOnce({ ...configurationIn("Pending"), $metadata: metadata })
      .resolves({ ...configurationIn("Active"), $metadata: metadata });

    // Act
    const output = await run({
      ...required,
      zip_file_base64: HANDLER_ZIP_BASE64,
      description: "Triage helper",
      timeout: 60,
      memory_size: 512,
      environment: { LOG_LEVEL: "info" },
      architectures: ["arm64"],
      tags: { owner: "soc" },
    });

    // Assess
    expect(lambdaMock).toReceiveCommandExactlyOnceWith(CreateFunctionCommand, {
      FunctionName: NAME,
      Runtime: "python3.12",
      Handler: "app.handler",
      Role: EXEC_ROLE,
      Code: { ZipFile: handlerZip() },
      Publish: false,
      Description: "Triage helper",
      Timeout: 60,
      MemorySize: 512,
      Environment: { Variables: { LOG_LEVEL: "info" } },
      Architectures: ["arm64"],
      Tags: { owner: "soc" },
    });
    expect(lambdaMock).toReceiveCommandTimes(GetFunctionConfigurationCommand, 2);
    expect(lambdaMock).toReceiveCommandWith(GetFunctionConfigurationCommand, {
      FunctionName: NAME,
    });
    expect(time.waits).toEqual([STATE_POLL_INTERVAL_MS, STATE_POLL_INTERVAL_MS]);
    expect(output).toEqual({
      function: functionSummary({ name: NAME, arn: ARN, role: EXEC_ROLE, version: "$LATEST" }),
      state: "Active",
      state_reason: null,
      active: true,
      waited_seconds: 2,
      changed: true,
      undo: [
        {
          action: "delete_function",
          inputs: { function_name: NAME, confirm_function_name: NAME },
        },
      ],
    });
  });

  it.each([
    [0, 0],
    [3, 3],
  ])(
    "with wait_seconds %i and the function still Pending, polls %i times and says it is not Active",
    async (waitSeconds, polls) => {
      // Stays Pending well past any wait; ends Failed so that a missing deadline ends too.
      let reads = 0;
      lambdaMock.on(GetFunctionConfigurationCommand).callsFake(() => {
        reads += 1;
        return reads < 20
          ? { ...configurationIn("Pending"), $metadata: metadata }
          : { ...configurationIn("Pending"), State: "Failed", $metadata: metadata };
      });

      const output = await run({
        ...required,
        zip_file_base64: HANDLER_ZIP_BASE64,
        wait_seconds: waitSeconds,
      });

      expect(lambdaMock).toReceiveCommandTimes(GetFunctionConfigurationCommand, polls);
      expect(time.waits).toHaveLength(polls);
      expect(output).toMatchObject({
        state: "Pending",
        state_reason: "The function is being created.",
        active: false,
        waited_seconds: waitSeconds,
      });
    },
  );

  describe("with the code in a Turbine file", () => {
    const TOKEN = "turbine-run-token-EXAMPLE";
    const FILE_ID = "6630f1c2a9e4b7d1";
    let fileApi: LocalServer;
    let served: Buffer;
    const paths: string[] = [];

    beforeEach(async () => {
      served = Buffer.from(handlerZip());
      paths.length = 0;
      fileApi = await startLocalServer((request, response) => {
        const url = new URL(request.url ?? "/", "http://127.0.0.1");
        paths.push(url.pathname);
        if (url.pathname === `/files/${FILE_ID}` && url.searchParams.get("token") === TOKEN) {
          response.writeHead(200, { "content-type": "application/zip" });
          response.end(served);
        } else {
          response.writeHead(404);
          response.end();
        }
      });
      executor.destroy();
      start({ env: { IPC_API_URI: fileApi.url, IPC_API_TOKEN: TOKEN } });
      lambdaMock
        .on(GetFunctionConfigurationCommand)
        .resolves({ ...configurationIn("Active"), $metadata: metadata });
    });

    afterEach(async () => {
      await fileApi.close();
    });

    it("downloads it from the platform's file API and sends exactly those bytes", async () => {
      const output = await run({
        ...required,
        zip_file: { file: FILE_ID, file_name: "triage-helper.zip" },
      });

      expect(paths).toEqual([`/files/${FILE_ID}`]);
      const sent = lambdaMock.commandCalls(CreateFunctionCommand)[0]?.args[0].input.Code?.ZipFile;
      expect(Buffer.from(sent ?? new Uint8Array()).equals(served)).toBe(true);
      expect(output.active).toBe(true);
    });

    it("refuses a file that is not a zip, naming zip_file, before calling AWS", async () => {
      served = Buffer.from("def handler(event, context):\n    return {}\n");

      const error = await rejectedConnectorError(
        run({ ...required, zip_file: { file: FILE_ID, file_name: "app.py" } }),
      );

      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.field).toBe("zip_file");
      expect(lambdaMock).not.toReceiveAnyCommand();
    });
  });

  it("sends an S3 location as it is", async () => {
    lambdaMock
      .on(GetFunctionConfigurationCommand)
      .resolves({ ...configurationIn("Active"), $metadata: metadata });

    await run({
      ...required,
      s3_bucket: "soc-deployments",
      s3_key: "triage-helper/1.4.0.zip",
      s3_object_version: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY",
      publish: true,
    });

    expect(lambdaMock).toReceiveCommandWith(CreateFunctionCommand, {
      Code: {
        S3Bucket: "soc-deployments",
        S3Key: "triage-helper/1.4.0.zip",
        S3ObjectVersion: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY",
      },
      Publish: true,
    });
  });

  it("refuses base64 that is not a zip, naming zip_file_base64, before calling AWS", async () => {
    const error = await rejectedConnectorError(
      run({ ...required, zip_file_base64: Buffer.from("print('hello')").toString("base64") }),
    );

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe("zip_file_base64");
    expect(lambdaMock).not.toReceiveAnyCommand();
  });

  it.each([
    ["no code at all", {}, "zip_file"],
    [
      "base64 and a file",
      { zip_file: { file: "6630f1c2a9", file_name: "f.zip" }, zip_file_base64: HANDLER_ZIP_BASE64 },
      "zip_file_base64",
    ],
    [
      "base64 and S3",
      { zip_file_base64: HANDLER_ZIP_BASE64, s3_bucket: "soc-deployments", s3_key: "f.zip" },
      "s3_bucket",
    ],
    ["an S3 key without its bucket", { s3_key: "f.zip" }, "s3_bucket"],
    ["an S3 bucket without its key", { s3_bucket: "soc-deployments" }, "s3_key"],
    ["base64 with other characters", { zip_file_base64: "UEsDB%%" }, "zip_file_base64"],
  ])("refuses %s, naming %s", (_case, code, field) => {
    const error = thrownConnectorError(() =>
      parseDocument(createFunctionAction.inputs, { ...required, ...code }, "inputs"),
    );

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe(field);
  });

  it.each([
    [{ execution_role_arn: "triage-helper-exec" }, "execution_role_arn"],
    [{ function_name: "triage helper" }, "function_name"],
    [{ timeout: 901 }, "timeout"],
    [{ wait_seconds: 601 }, "wait_seconds"],
    [{ environment: { "LOG-LEVEL": "info" } }, "environment.LOG-LEVEL"],
  ])("refuses %j, naming %s", (change, field) => {
    const error = thrownConnectorError(() =>
      parseDocument(
        createFunctionAction.inputs,
        { ...required, zip_file_base64: HANDLER_ZIP_BASE64, ...change },
        "inputs",
      ),
    );

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe(field);
  });

  it("says the function exists when reading its state after creating it fails", async () => {
    lambdaMock
      .on(GetFunctionConfigurationCommand)
      .rejects(accessDenied("lambda:GetFunctionConfiguration", ARN));

    const error = await rejectedConnectorError(
      run({ ...required, zip_file_base64: HANDLER_ZIP_BASE64 }),
    );

    expect(lambdaMock).toReceiveCommandTimes(CreateFunctionCommand, 1);
    expect(error.code).toBe("access_denied");
    expect(error.message).toContain(`Function ${NAME} was created, but reading its state`);
    expect(error.hint).toContain("The function exists");
    expect(error.toErrorLine()).toMatchObject({ may_have_changed: true });
  });

  it("says to pick another name when the function already exists", async () => {
    lambdaMock
      .on(CreateFunctionCommand)
      .rejects(
        lambdaServiceError("ResourceConflictException", `Function already exist: ${NAME}`, 409),
      );

    const error = await rejectedConnectorError(
      run({ ...required, zip_file_base64: HANDLER_ZIP_BASE64 }),
    );

    expect(error.hint).toContain("A function with this function_name already exists");
    expect(lambdaMock).not.toReceiveCommand(GetFunctionConfigurationCommand);
  });

  it("names lambda:CreateFunction and the function's ARN, and iam:PassRole in the hint, when access is denied", async () => {
    lambdaMock.on(CreateFunctionCommand).rejects(accessDenied("lambda:CreateFunction", ARN));

    const error = await rejectedConnectorError(
      run({ ...required, zip_file_base64: HANDLER_ZIP_BASE64 }),
    );

    expect(error.code).toBe("access_denied");
    expect(error.message).toContain(`may not call lambda:CreateFunction on ${ARN}`);
    expect(error.hint).toContain("iam:PassRole on execution_role_arn");
    expect(error.hint).not.toMatch(/payload|qualifier/);
  });
});
