import {
  CreateAliasCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  type LambdaClient,
  ListAliasesCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_ACCOUNT_ID, defaultWorld } from "../../local-aws/defaultWorld.js";
import { type LocalAws, startLocalAws } from "../../local-aws/LocalAws.js";
import { ASSUME_RESPONDER_ROLE, EMPTY_ZIP, rejectionOf, roleClient } from "./fixtures.js";

const ECHO_ARN = `arn:aws:lambda:us-east-1:${DEMO_ACCOUNT_ID}:function:echo`;

describe("local-aws: versions, aliases, updates and event invoke configs", () => {
  let aws: LocalAws;
  let lambda: LambdaClient;
  let now = Date.now();

  async function start(stateTransitionMs: number): Promise<void> {
    now = Date.now();
    aws = await startLocalAws({ world: defaultWorld(), now: () => now, stateTransitionMs });
    lambda = await roleClient(aws, ASSUME_RESPONDER_ROLE);
  }

  afterEach(async () => {
    lambda.destroy();
    await aws.close();
  });

  it("PublishVersion numbers after the highest version ever published, and not again while $LATEST is unchanged", async () => {
    await start(0);

    const first = await lambda.send(new PublishVersionCommand({ FunctionName: "echo" }));
    const again = await lambda.send(new PublishVersionCommand({ FunctionName: "echo" }));
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "echo", Timeout: 9 }));
    const changed = await lambda.send(new PublishVersionCommand({ FunctionName: "echo" }));

    expect([first.Version, again.Version, changed.Version]).toEqual(["3", "3", "4"]);
    expect(first.FunctionArn).toBe(`${ECHO_ARN}:3`);
  });

  it("PublishVersion refuses a CodeSha256 other than $LATEST's, and a stale RevisionId", async () => {
    await start(0);

    const sha = await rejectionOf(
      lambda.send(
        new PublishVersionCommand({ FunctionName: "echo", CodeSha256: `${"x".repeat(43)}=` }),
      ),
    );
    const revision = await rejectionOf(
      lambda.send(new PublishVersionCommand({ FunctionName: "echo", RevisionId: "stale" })),
    );

    expect(sha).toMatchObject({ name: "InvalidParameterValueException" });
    expect(revision).toMatchObject({ name: "PreconditionFailedException" });
  });

  it("an update stays InProgress for the transition time, refuses another change meanwhile, then is Successful", async () => {
    await start(5000);

    const updated = await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: "echo", ZipFile: EMPTY_ZIP }),
    );
    const busy = await rejectionOf(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "echo", Timeout: 9 })),
    );
    const publishing = await rejectionOf(
      lambda.send(new PublishVersionCommand({ FunctionName: "echo" })),
    );
    now += 5000;
    const done = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "echo" }));

    expect(updated.LastUpdateStatus).toBe("InProgress");
    expect(busy).toMatchObject({ name: "ResourceConflictException" });
    expect(publishing).toMatchObject({ name: "ResourceConflictException" });
    expect(done.LastUpdateStatus).toBe("Successful");
  });

  it("an update planted to fail ends Failed with its reason, once", async () => {
    await start(0);
    const echo = aws.world.functions.find((fn) => fn.name === "echo");
    if (echo !== undefined) {
      echo.failNextUpdate = { reasonCode: "InvalidRuntime", reason: "The runtime is deprecated." };
    }

    const failed = await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: "echo", Timeout: 9 }),
    );
    const next = await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: "echo", Timeout: 10 }),
    );

    expect(failed).toMatchObject({
      LastUpdateStatus: "Failed",
      LastUpdateStatusReason: "The runtime is deprecated.",
      LastUpdateStatusReasonCode: "InvalidRuntime",
    });
    expect(next.LastUpdateStatus).toBe("Successful");
  });

  it("aliases: Get and List agree, a taken name is 409, an unknown version 404, a stale revision 412", async () => {
    await start(0);

    const live = await lambda.send(new GetAliasCommand({ FunctionName: "echo", Name: "live" }));
    const listed = await lambda.send(new ListAliasesCommand({ FunctionName: "echo" }));
    const taken = await rejectionOf(
      lambda.send(
        new CreateAliasCommand({ FunctionName: "echo", Name: "live", FunctionVersion: "1" }),
      ),
    );
    const unknown = await rejectionOf(
      lambda.send(
        new CreateAliasCommand({ FunctionName: "echo", Name: "new", FunctionVersion: "9" }),
      ),
    );
    const stale = await rejectionOf(
      lambda.send(
        new UpdateAliasCommand({
          FunctionName: "echo",
          Name: "live",
          FunctionVersion: "1",
          RevisionId: "stale",
        }),
      ),
    );
    const missing = await rejectionOf(
      lambda.send(new GetAliasCommand({ FunctionName: "echo", Name: "gone" })),
    );

    const { $metadata: _metadata, ...alias } = live;
    expect(listed.Aliases).toContainEqual(alias);
    expect(taken).toMatchObject({ name: "ResourceConflictException" });
    expect(unknown).toMatchObject({
      name: "ResourceNotFoundException",
      message: `Function not found: ${ECHO_ARN}:9`,
    });
    expect(stale).toMatchObject({ name: "PreconditionFailedException" });
    expect(missing).toMatchObject({ message: `Cannot find alias arn: ${ECHO_ARN}:gone` });
  });

  it("event invoke configs: none is a 404 that does not say the function is missing", async () => {
    await start(0);

    const get = await rejectionOf(
      lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: "echo" })),
    );
    const remove = await rejectionOf(
      lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: "echo" })),
    );

    expect(get).toMatchObject({
      name: "ResourceNotFoundException",
      message: `The function ${ECHO_ARN} doesn't have an EventInvokeConfig`,
    });
    expect(String(get.message)).not.toMatch(/function not found/i);
    expect(remove).toMatchObject({ name: "ResourceNotFoundException" });
  });
});
