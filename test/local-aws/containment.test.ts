import {
  CreateFunctionUrlConfigCommand,
  DeleteFunctionConcurrencyCommand,
  DeleteFunctionUrlConfigCommand,
  GetAccountSettingsCommand,
  GetEventSourceMappingCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  InvokeCommand,
  ListEventSourceMappingsCommand,
  ListTagsCommand,
  PutFunctionConcurrencyCommand,
  paginateListEventSourceMappings,
  RemovePermissionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateEventSourceMappingCommand,
  UpdateFunctionUrlConfigCommand,
} from "@aws-sdk/client-lambda";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DEMO_ACCOUNT_ID,
  DEMO_EVENT_SOURCES,
  DEMO_ROLE,
  PUBLIC_WEBHOOK,
} from "../../local-aws/defaultWorld.js";
import { type LocalAws, startLocalAws } from "../../local-aws/LocalAws.js";
import {
  ASSUME_RESPONDER_ROLE,
  INTRUDER_KEYS,
  lambdaClient,
  rejectionOf,
  roleClient,
  stsClient,
} from "./fixtures.js";

const ENRICH_ARN = `arn:aws:lambda:us-east-1:${DEMO_ACCOUNT_ID}:function:enrich-indicator`;
const ECHO_ARN = `arn:aws:lambda:us-east-1:${DEMO_ACCOUNT_ID}:function:echo`;

function sidsOf(policy: string | undefined): string[] {
  return (JSON.parse(policy ?? "{}") as { Statement: { Sid: string }[] }).Statement.map(
    (statement) => statement.Sid,
  );
}

describe("local AWS: what a responder changes to contain a function", () => {
  let aws: LocalAws;
  /** The endpoint's clock, which the tests move instead of sleeping. */
  let clock: number;

  beforeEach(async () => {
    clock = Date.now();
    aws = await startLocalAws({ now: () => clock });
  });

  afterEach(async () => {
    await aws.close();
  });

  it("contains public-webhook, and each later read and invocation sees the change", async () => {
    // Prepare
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE, { maxAttempts: 1 });
    const user = lambdaClient(aws, { maxAttempts: 1 });
    const intruder = lambdaClient(aws, { credentials: INTRUDER_KEYS, maxAttempts: 1 });
    const exposed = await intruder.send(new InvokeCommand({ FunctionName: PUBLIC_WEBHOOK.name }));

    // Act: throttle, and watch invocations bounce without running
    await responder.send(
      new PutFunctionConcurrencyCommand({
        FunctionName: PUBLIC_WEBHOOK.name,
        ReservedConcurrentExecutions: 0,
      }),
    );
    const runsBefore = aws.runCount(PUBLIC_WEBHOOK.name);
    const throttled = await rejectionOf(
      user.send(new InvokeCommand({ FunctionName: PUBLIC_WEBHOOK.name })),
    );
    const queued = await user.send(
      new InvokeCommand({ FunctionName: PUBLIC_WEBHOOK.name, InvocationType: "Event" }),
    );
    await aws.whenIdle();
    const runsWhileThrottled = aws.runCount(PUBLIC_WEBHOOK.name);
    await responder.send(
      new DeleteFunctionConcurrencyCommand({ FunctionName: PUBLIC_WEBHOOK.name }),
    );
    const released = await user.send(new InvokeCommand({ FunctionName: PUBLIC_WEBHOOK.name }));

    // Act: close the ways in
    await responder.send(
      new RemovePermissionCommand({
        FunctionName: PUBLIC_WEBHOOK.name,
        StatementId: PUBLIC_WEBHOOK.publicStatementId,
      }),
    );
    await responder.send(
      new UpdateFunctionUrlConfigCommand({
        FunctionName: PUBLIC_WEBHOOK.name,
        AuthType: "AWS_IAM",
      }),
    );
    const disabling = await responder.send(
      new UpdateEventSourceMappingCommand({
        UUID: PUBLIC_WEBHOOK.eventSourceMappingUuid,
        Enabled: false,
      }),
    );
    clock += 300;

    // Act: re-assess
    const policy = await responder.send(
      new GetPolicyCommand({ FunctionName: PUBLIC_WEBHOOK.name }),
    );
    const url = await responder.send(
      new GetFunctionUrlConfigCommand({ FunctionName: PUBLIC_WEBHOOK.name }),
    );
    const mapping = await responder.send(
      new GetEventSourceMappingCommand({ UUID: PUBLIC_WEBHOOK.eventSourceMappingUuid }),
    );
    const shutOut = await rejectionOf(
      intruder.send(new InvokeCommand({ FunctionName: PUBLIC_WEBHOOK.name })),
    );
    const described = await responder.send(
      new GetFunctionCommand({ FunctionName: PUBLIC_WEBHOOK.name }),
    );

    // Assess
    expect(exposed.StatusCode).toBe(200);
    expect(throttled).toMatchObject({
      name: "TooManyRequestsException",
      Reason: "ReservedFunctionConcurrentInvocationLimitExceeded",
      $metadata: { httpStatusCode: 429 },
    });
    expect(queued.StatusCode).toBe(202);
    expect(runsWhileThrottled).toBe(runsBefore);
    expect(released.StatusCode).toBe(200);
    expect(aws.runCount(PUBLIC_WEBHOOK.name)).toBe(runsBefore + 1);
    expect(sidsOf(policy.Policy)).toEqual([PUBLIC_WEBHOOK.urlStatementId]);
    expect(url).toMatchObject({ AuthType: "AWS_IAM", FunctionUrl: PUBLIC_WEBHOOK.url });
    expect(disabling.State).toBe("Disabling");
    expect(mapping.State).toBe("Disabled");
    expect(shutOut).toMatchObject({ name: "AccessDeniedException" });
    expect(described.Concurrency).toBeUndefined();
    expect(aws.requests.at(-1)).toMatchObject({
      action: "GetFunction",
      functionName: "public-webhook",
    });
  });

  it("refuses the invoker role's session lambda:PutFunctionConcurrency, naming it, and lets the responder", async () => {
    // Prepare
    const invoker = await roleClient(aws, undefined, { maxAttempts: 1 });
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE, { maxAttempts: 1 });
    const put = new PutFunctionConcurrencyCommand({
      FunctionName: PUBLIC_WEBHOOK.name,
      ReservedConcurrentExecutions: 0,
    });

    // Act
    const refused = await rejectionOf(invoker.send(put));
    const intruderAssumes = await rejectionOf(
      stsClient(aws, { credentials: INTRUDER_KEYS, maxAttempts: 1 }).send(
        new AssumeRoleCommand(ASSUME_RESPONDER_ROLE),
      ),
    );
    const inspected = await invoker.send(
      new GetPolicyCommand({ FunctionName: PUBLIC_WEBHOOK.name }),
    );
    const contained = await responder.send(put);

    // Assess
    expect(refused).toMatchObject({
      name: "AccessDeniedException",
      message: `User: arn:aws:sts::${DEMO_ACCOUNT_ID}:assumed-role/${DEMO_ROLE.name}/local-aws-test is not authorized to perform: lambda:PutFunctionConcurrency on resource: ${PUBLIC_WEBHOOK.arn} because no identity-based policy allows the lambda:PutFunctionConcurrency action`,
      $metadata: { httpStatusCode: 403 },
    });
    expect(intruderAssumes).toMatchObject({
      name: "AccessDenied",
      $metadata: { httpStatusCode: 403 },
    });
    expect(inspected.Policy).toEqual(expect.any(String));
    expect(contained.ReservedConcurrentExecutions).toBe(0);
  });

  it("reserves, reads and releases concurrency, keeping 100 of the account's unreserved", async () => {
    // Prepare
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE, { maxAttempts: 1 });
    const reserve = (count: number) =>
      responder.send(
        new PutFunctionConcurrencyCommand({
          FunctionName: "echo",
          ReservedConcurrentExecutions: count,
        }),
      );

    // Act
    const none = await responder.send(new GetFunctionConcurrencyCommand({ FunctionName: "echo" }));
    await reserve(250);
    const reserved = await responder.send(
      new GetFunctionConcurrencyCommand({ FunctionName: "echo" }),
    );
    const settings = await responder.send(new GetAccountSettingsCommand({}));
    const tooMuch = await rejectionOf(reserve(901));
    const negative = await rejectionOf(reserve(-1));
    const deleted = await responder.send(
      new DeleteFunctionConcurrencyCommand({ FunctionName: "echo" }),
    );
    const after = await responder.send(new GetAccountSettingsCommand({}));

    // Assess
    expect(none.ReservedConcurrentExecutions).toBeUndefined();
    expect(reserved.ReservedConcurrentExecutions).toBe(250);
    expect(settings.AccountLimit?.UnreservedConcurrentExecutions).toBe(750);
    expect(tooMuch).toMatchObject({
      name: "InvalidParameterValueException",
      message:
        "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
    });
    expect(negative).toMatchObject({
      name: "ValidationException",
      message:
        "1 validation error detected: Value '-1' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0",
    });
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(after.AccountLimit?.UnreservedConcurrentExecutions).toBe(1000);
  });

  it("throttles synchronous calls beyond the reserved concurrency while they run", async () => {
    // Prepare
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE);
    await responder.send(
      new PutFunctionConcurrencyCommand({
        FunctionName: "sleeps",
        ReservedConcurrentExecutions: 1,
      }),
    );
    const lambda = lambdaClient(aws, { maxAttempts: 1 });

    // Act
    const first = lambda.send(
      new InvokeCommand({ FunctionName: "sleeps", Payload: '{"seconds":0.3}' }),
    );
    while (aws.runCount("sleeps") === 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const second = await rejectionOf(lambda.send(new InvokeCommand({ FunctionName: "sleeps" })));
    await first;

    // Assess
    expect(second).toMatchObject({
      name: "TooManyRequestsException",
      Reason: "ReservedFunctionConcurrentInvocationLimitExceeded",
    });
    expect(aws.runCount("sleeps")).toBe(1);
  });

  it("creates, updates and deletes function URLs, for the function and for an alias", async () => {
    // Prepare
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE, { maxAttempts: 1 });

    // Act
    const existing = await responder.send(
      new GetFunctionUrlConfigCommand({ FunctionName: PUBLIC_WEBHOOK.name }),
    );
    const none = await rejectionOf(
      responder.send(new GetFunctionUrlConfigCommand({ FunctionName: "echo" })),
    );
    const created = await responder.send(
      new CreateFunctionUrlConfigCommand({ FunctionName: "echo", AuthType: "AWS_IAM" }),
    );
    const twice = await rejectionOf(
      responder.send(
        new CreateFunctionUrlConfigCommand({ FunctionName: "echo", AuthType: "NONE" }),
      ),
    );
    const forAlias = await responder.send(
      new CreateFunctionUrlConfigCommand({
        FunctionName: "echo",
        Qualifier: "live",
        AuthType: "NONE",
      }),
    );
    const forVersion = await rejectionOf(
      responder.send(
        new CreateFunctionUrlConfigCommand({
          FunctionName: "echo",
          Qualifier: "1",
          AuthType: "NONE",
        }),
      ),
    );
    const updated = await responder.send(
      new UpdateFunctionUrlConfigCommand({
        FunctionName: "echo",
        Cors: { AllowOrigins: ["https://soc.example.com"], MaxAge: 300 },
      }),
    );
    const deleted = await responder.send(
      new DeleteFunctionUrlConfigCommand({ FunctionName: "echo" }),
    );
    const gone = await rejectionOf(
      responder.send(new GetFunctionUrlConfigCommand({ FunctionName: "echo" })),
    );
    const aliasStays = await responder.send(
      new GetFunctionUrlConfigCommand({ FunctionName: "echo", Qualifier: "live" }),
    );

    // Assess
    expect(existing).toMatchObject({
      FunctionUrl: PUBLIC_WEBHOOK.url,
      FunctionArn: PUBLIC_WEBHOOK.arn,
      AuthType: "NONE",
      Cors: { AllowOrigins: ["*"], AllowMethods: ["POST"] },
      InvokeMode: "BUFFERED",
      CreationTime: "2025-01-01T00:00:00.000Z",
      LastModifiedTime: "2025-01-01T00:00:00.000Z",
    });
    for (const missing of [none, gone]) {
      expect(missing).toMatchObject({
        name: "ResourceNotFoundException",
        message: "The resource you requested does not exist.",
        $metadata: { httpStatusCode: 404 },
      });
    }
    expect(created).toMatchObject({
      FunctionUrl: expect.stringMatching(
        /^https:\/\/[a-z0-9]{32}\.lambda-url\.us-east-1\.on\.aws\/$/,
      ),
      FunctionArn: ECHO_ARN,
      AuthType: "AWS_IAM",
      InvokeMode: "BUFFERED",
      $metadata: { httpStatusCode: 201 },
    });
    expect(twice).toMatchObject({
      name: "ResourceConflictException",
      $metadata: { httpStatusCode: 409 },
    });
    expect(forAlias.FunctionArn).toBe(`${ECHO_ARN}:live`);
    expect(forAlias.FunctionUrl).not.toBe(created.FunctionUrl);
    expect(forVersion).toMatchObject({ name: "ValidationException" });
    expect(updated).toMatchObject({
      FunctionUrl: created.FunctionUrl,
      AuthType: "AWS_IAM",
      Cors: { AllowOrigins: ["https://soc.example.com"], MaxAge: 300 },
      LastModifiedTime: expect.any(String),
    });
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(aliasStays.FunctionUrl).toBe(forAlias.FunctionUrl);
  });

  it("lists event source mappings by function and source, page by page", async () => {
    // Prepare
    const lambda = lambdaClient(aws);

    // Act
    const all = await lambda.send(new ListEventSourceMappingsCommand({}));
    const forEnrich = await lambda.send(
      new ListEventSourceMappingsCommand({ FunctionName: ENRICH_ARN }),
    );
    const forQueue = await lambda.send(
      new ListEventSourceMappingsCommand({
        EventSourceArn: DEMO_EVENT_SOURCES.indicatorQueue.eventSourceArn,
      }),
    );
    const pages: string[][] = [];
    for await (const page of paginateListEventSourceMappings(
      { client: lambda, pageSize: 1 },
      { FunctionName: "enrich-indicator" },
    )) {
      pages.push((page.EventSourceMappings ?? []).map((mapping) => mapping.UUID ?? ""));
    }
    const west = await lambdaClient(aws, { region: "us-west-2" }).send(
      new ListEventSourceMappingsCommand({}),
    );

    // Assess
    expect(all.EventSourceMappings).toHaveLength(3);
    expect(forEnrich.EventSourceMappings?.map((mapping) => mapping.EventSourceArn)).toEqual([
      DEMO_EVENT_SOURCES.indicatorQueue.eventSourceArn,
      DEMO_EVENT_SOURCES.indicatorStream.eventSourceArn,
    ]);
    expect(forQueue.EventSourceMappings?.map((mapping) => mapping.UUID)).toEqual([
      DEMO_EVENT_SOURCES.indicatorQueue.uuid,
    ]);
    expect(pages).toEqual([
      [DEMO_EVENT_SOURCES.indicatorQueue.uuid],
      [DEMO_EVENT_SOURCES.indicatorStream.uuid],
    ]);
    expect(west.EventSourceMappings).toEqual([]);
  });

  it("describes a mapping, and passes through Enabling on the way back to Enabled", async () => {
    // Prepare
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE, { maxAttempts: 1 });
    const { uuid } = DEMO_EVENT_SOURCES.indicatorStream;

    // Act
    const stream = await responder.send(new GetEventSourceMappingCommand({ UUID: uuid }));
    await responder.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }));
    clock += 300;
    const enabling = await responder.send(
      new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true, BatchSize: 500 }),
    );
    clock += 299;
    const stillEnabling = await responder.send(new GetEventSourceMappingCommand({ UUID: uuid }));
    clock += 1;
    const enabled = await responder.send(new GetEventSourceMappingCommand({ UUID: uuid }));
    const unknown = await rejectionOf(
      responder.send(
        new GetEventSourceMappingCommand({ UUID: "00000000-0000-4000-8000-000000000000" }),
      ),
    );

    // Assess
    expect(stream).toMatchObject({
      UUID: uuid,
      EventSourceArn: DEMO_EVENT_SOURCES.indicatorStream.eventSourceArn,
      FunctionArn: ENRICH_ARN,
      StartingPosition: "LATEST",
      BatchSize: 100,
      State: "Enabled",
      StateTransitionReason: "USER_INITIATED",
      LastModified: new Date(Date.UTC(2025, 0, 1)),
      EventSourceMappingArn: `arn:aws:lambda:us-east-1:${DEMO_ACCOUNT_ID}:event-source-mapping:${uuid}`,
    });
    expect(enabling).toMatchObject({ State: "Enabling", BatchSize: 500 });
    expect(enabling.$metadata.httpStatusCode).toBe(202);
    expect(stillEnabling.State).toBe("Enabling");
    expect(enabled.State).toBe("Enabled");
    expect(unknown).toMatchObject({
      name: "ResourceNotFoundException",
      message: "The resource you requested does not exist.",
      $metadata: { httpStatusCode: 404 },
    });
  });

  it("disables a mapping at once when the transition time is 0, and checks SQS batching", async () => {
    // Prepare
    await aws.close();
    aws = await startLocalAws({ stateTransitionMs: 0 });
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE, { maxAttempts: 1 });
    const { uuid } = DEMO_EVENT_SOURCES.indicatorQueue;

    // Act
    const disabled = await responder.send(
      new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }),
    );
    const unbatched = await rejectionOf(
      responder.send(new UpdateEventSourceMappingCommand({ UUID: uuid, BatchSize: 50 })),
    );
    const batched = await responder.send(
      new UpdateEventSourceMappingCommand({
        UUID: uuid,
        BatchSize: 50,
        MaximumBatchingWindowInSeconds: 5,
      }),
    );
    const byUser = await rejectionOf(
      lambdaClient(aws, { maxAttempts: 1 }).send(
        new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }),
      ),
    );

    // Assess
    expect(disabled.State).toBe("Disabled");
    expect(unbatched).toMatchObject({
      name: "InvalidParameterValueException",
      message:
        "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10",
    });
    expect(batched).toMatchObject({
      BatchSize: 50,
      MaximumBatchingWindowInSeconds: 5,
      State: "Disabled",
    });
    expect(byUser).toMatchObject({ name: "AccessDeniedException" });
    expect(byUser.message).toContain(
      `lambda:UpdateEventSourceMapping on resource: arn:aws:lambda:us-east-1:${DEMO_ACCOUNT_ID}:event-source-mapping:${uuid}`,
    );
  });

  it("tags and untags a function by its ARN, and refuses a qualified ARN or a bare name", async () => {
    // Prepare
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE, { maxAttempts: 1 });

    // Act
    const before = await responder.send(new ListTagsCommand({ Resource: PUBLIC_WEBHOOK.arn }));
    const tagged = await responder.send(
      new TagResourceCommand({
        Resource: PUBLIC_WEBHOOK.arn,
        Tags: { incident: "IR-1234", exposure: "contained" },
      }),
    );
    const untagged = await responder.send(
      new UntagResourceCommand({ Resource: PUBLIC_WEBHOOK.arn, TagKeys: ["owner", "missing"] }),
    );
    const after = await responder.send(new ListTagsCommand({ Resource: PUBLIC_WEBHOOK.arn }));
    const qualified = await rejectionOf(
      responder.send(new ListTagsCommand({ Resource: `${ECHO_ARN}:live` })),
    );
    const bare = await rejectionOf(responder.send(new ListTagsCommand({ Resource: "echo" })));

    // Assess
    expect(before.Tags).toEqual({ owner: "web-team", exposure: "public" });
    expect(tagged.$metadata.httpStatusCode).toBe(204);
    expect(untagged.$metadata.httpStatusCode).toBe(204);
    expect(after.Tags).toEqual({ exposure: "contained", incident: "IR-1234" });
    expect(qualified).toMatchObject({
      name: "InvalidParameterValueException",
      message:
        "Tags on function aliases and versions are not supported. Please specify a function ARN.",
    });
    expect(bare).toMatchObject({ name: "ValidationException", $metadata: { httpStatusCode: 400 } });
  });

  it("aims faults at the new operations, and a failed change changes nothing", async () => {
    // Prepare
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE, { maxAttempts: 1 });
    aws.faults.failNext(1, 503, { operation: "PutFunctionConcurrency" });
    aws.faults.throttleNext(1, { operation: "RemovePermission", retryAfterSeconds: 0 });

    // Act
    const failed = await rejectionOf(
      responder.send(
        new PutFunctionConcurrencyCommand({
          FunctionName: "echo",
          ReservedConcurrentExecutions: 0,
        }),
      ),
    );
    const concurrency = await responder.send(
      new GetFunctionConcurrencyCommand({ FunctionName: "echo" }),
    );
    const throttled = await rejectionOf(
      responder.send(
        new RemovePermissionCommand({
          FunctionName: PUBLIC_WEBHOOK.name,
          StatementId: "public-invoke",
        }),
      ),
    );
    const policy = await responder.send(
      new GetPolicyCommand({ FunctionName: PUBLIC_WEBHOOK.name }),
    );

    // Assess
    expect(failed).toMatchObject({ name: "ServiceException", $metadata: { httpStatusCode: 503 } });
    expect(concurrency.ReservedConcurrentExecutions).toBeUndefined();
    expect(throttled).toMatchObject({ name: "TooManyRequestsException" });
    expect(sidsOf(policy.Policy)).toContain("public-invoke");
    expect(aws.faults.pending()).toEqual([]);
  });
});
