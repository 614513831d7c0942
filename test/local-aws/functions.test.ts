import { createHash } from "node:crypto";
import {
  CreateFunctionCommand,
  type CreateFunctionCommandInput,
  DeleteFunctionCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListAliasesCommand,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  PutFunctionConcurrencyCommand,
  paginateListAliases,
  paginateListVersionsByFunction,
} from "@aws-sdk/client-lambda";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DEMO_ACCOUNT_ID,
  DEMO_EXECUTION_ROLE,
  DEMO_LAYER,
  DEMO_RESPONDER_ROLE,
  DEMO_ROLE,
  DEMO_USER,
  defaultWorld,
  PUBLIC_WEBHOOK,
} from "../../local-aws/defaultWorld.js";
import { type LocalAws, type LocalAwsOptions, startLocalAws } from "../../local-aws/LocalAws.js";
import {
  ASSUME_RESPONDER_ROLE,
  EMPTY_ZIP,
  lambdaClient,
  payloadOf,
  rejectionOf,
  roleClient,
} from "./fixtures.js";

const ECHO_ARN = `arn:aws:lambda:us-east-1:${DEMO_ACCOUNT_ID}:function:echo`;

/** What a responder sends to create `name` from an inline zip. */
function creation(name: string, overrides: Partial<CreateFunctionCommandInput> = {}) {
  return new CreateFunctionCommand({
    FunctionName: name,
    Role: DEMO_EXECUTION_ROLE.arn,
    Runtime: "nodejs22.x",
    Handler: "index.handler",
    Code: { ZipFile: EMPTY_ZIP },
    ...overrides,
  });
}

describe("local AWS: the functions a responder inspects and provisions", () => {
  let aws: LocalAws;
  /** The endpoint's clock, which the tests move instead of sleeping. */
  let clock: number;

  async function start(options: Partial<LocalAwsOptions> = {}): Promise<void> {
    await aws.close();
    aws = await startLocalAws({ now: () => clock, ...options });
  }

  beforeEach(async () => {
    clock = Date.now();
    aws = await startLocalAws({ now: () => clock });
  });

  afterEach(async () => {
    await aws.close();
  });

  it("describes a function with GetFunction: configuration, state, layers, code location and tags", async () => {
    // Act
    const described = await lambdaClient(aws).send(
      new GetFunctionCommand({ FunctionName: PUBLIC_WEBHOOK.name }),
    );

    // Assess
    expect(described.Configuration).toMatchObject({
      FunctionName: "public-webhook",
      FunctionArn: PUBLIC_WEBHOOK.arn,
      Role: DEMO_EXECUTION_ROLE.arn,
      State: "Active",
      LastUpdateStatus: "Successful",
      Environment: { Variables: { FORWARD_TO: "https://partner.example.com/hooks" } },
      Layers: [{ Arn: DEMO_LAYER.versionArns[1], CodeSize: expect.any(Number) }],
      VpcConfig: {
        SubnetIds: ["subnet-0a1b2c3d4e5f60718"],
        SecurityGroupIds: ["sg-0123456789abcdef0"],
        VpcId: "vpc-0fedcba9876543210",
      },
      RevisionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(described.Code?.RepositoryType).toBe("S3");
    expect(described.Code?.Location).toMatch(
      // Presigned like S3's, and served by the endpoint itself (acquire_function_evidence).
      /^http:\/\/127\.0\.0\.1:\d+\/__packages\/[0-9a-f-]{36}\?X-Amz-Algorithm=AWS4-HMAC-SHA256&.+&X-Amz-Expires=600&.+X-Amz-Signature=[0-9a-f]{64}$/,
    );
    expect(described.Tags).toEqual({ owner: "web-team", exposure: "public" });
    expect(described.Concurrency).toBeUndefined();
    expect(described.TagsError).toBeUndefined();
  });

  it("reports reserved concurrency in GetFunction once a responder set it", async () => {
    // Prepare
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE);
    await responder.send(
      new PutFunctionConcurrencyCommand({ FunctionName: "echo", ReservedConcurrentExecutions: 5 }),
    );

    // Act
    const described = await lambdaClient(aws).send(
      new GetFunctionCommand({ FunctionName: "echo" }),
    );

    // Assess
    expect(described.Concurrency).toEqual({ ReservedConcurrentExecutions: 5 });
  });

  it("answers TagsError instead of Tags when the caller may not lambda:ListTags", async () => {
    // Prepare
    const user = aws.world.users.find((candidate) => candidate.name === DEMO_USER.name);
    user?.policy.push({ effect: "Deny", actions: ["lambda:ListTags"], resources: ["*"] });

    // Act
    const described = await lambdaClient(aws).send(
      new GetFunctionCommand({ FunctionName: PUBLIC_WEBHOOK.name }),
    );

    // Assess
    expect(described.Tags).toBeUndefined();
    expect(described.TagsError).toEqual({
      ErrorCode: "AccessDeniedException",
      Message: `User: ${DEMO_USER.arn} is not authorized to perform: lambda:ListTags on resource: ${PUBLIC_WEBHOOK.arn} with an explicit deny in an identity-based policy`,
    });
  });

  it("describes one version or alias with GetFunctionConfiguration", async () => {
    // Act
    const live = await lambdaClient(aws).send(
      new GetFunctionConfigurationCommand({ FunctionName: "echo", Qualifier: "live" }),
    );

    // Assess
    expect(live).toMatchObject({
      FunctionArn: `${ECHO_ARN}:live`,
      Version: "2",
      State: "Active",
      LastUpdateStatus: "Successful",
    });
  });

  it("creates a function that is Pending, refuses to invoke it, and makes it Active once the transition time passed", async () => {
    // Prepare
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE);
    const settingsBefore = await lambdaClient(aws).send(new GetAccountSettingsCommand({}));

    // Act
    const created = await responder.send(
      creation("triage-helper", {
        Description: "Helps triage",
        Timeout: 30,
        MemorySize: 256,
        Architectures: ["arm64"],
        Environment: { Variables: { MODE: "triage" } },
        Layers: [DEMO_LAYER.versionArns[0]],
        Tags: { owner: "ir-team" },
      }),
    );
    const whilePending = await rejectionOf(
      responder.send(new InvokeCommand({ FunctionName: "triage-helper" })),
    );
    clock += 300;
    const later = await lambdaClient(aws).send(
      new GetFunctionCommand({ FunctionName: "triage-helper" }),
    );
    const invoked = await responder.send(
      new InvokeCommand({ FunctionName: "triage-helper", Payload: '{"case":42}' }),
    );
    const settingsAfter = await lambdaClient(aws).send(new GetAccountSettingsCommand({}));

    // Assess
    expect(created).toMatchObject({
      FunctionName: "triage-helper",
      FunctionArn: `arn:aws:lambda:us-east-1:${DEMO_ACCOUNT_ID}:function:triage-helper`,
      Runtime: "nodejs22.x",
      Handler: "index.handler",
      Role: DEMO_EXECUTION_ROLE.arn,
      Description: "Helps triage",
      Timeout: 30,
      MemorySize: 256,
      Architectures: ["arm64"],
      Version: "$LATEST",
      CodeSize: EMPTY_ZIP.length,
      CodeSha256: createHash("sha256").update(EMPTY_ZIP).digest("base64"),
      Environment: { Variables: { MODE: "triage" } },
      Layers: [{ Arn: DEMO_LAYER.versionArns[0], CodeSize: expect.any(Number) }],
      State: "Pending",
      StateReason: "The function is being created.",
      StateReasonCode: "Creating",
    });
    expect(created.LastUpdateStatus).toBeUndefined();
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(whilePending).toMatchObject({
      name: "ResourceConflictException",
      message:
        "The operation cannot be performed at this time. The function is currently in the following state: Pending",
      $metadata: { httpStatusCode: 409 },
    });
    expect(later.Configuration).toMatchObject({ State: "Active", LastUpdateStatus: "Successful" });
    expect(later.Tags).toEqual({ owner: "ir-team" });
    expect(payloadOf(invoked.Payload)).toEqual({
      event: { case: 42 },
      clientContext: null,
      version: "$LATEST",
    });
    expect(aws.runCount("triage-helper")).toBe(1);
    expect(settingsAfter.AccountUsage?.FunctionCount).toBe(
      (settingsBefore.AccountUsage?.FunctionCount ?? 0) + 1,
    );
    expect(settingsAfter.AccountUsage?.TotalCodeSize).toBe(
      (settingsBefore.AccountUsage?.TotalCodeSize ?? 0) + EMPTY_ZIP.length,
    );
  });

  it("creates an Active function at once when the transition time is 0, from S3, publishing version 1", async () => {
    // Prepare
    await start({ stateTransitionMs: 0 });
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE);

    // Act
    const created = await responder.send(
      creation("from-s3", {
        Code: { S3Bucket: "ir-artifacts", S3Key: "from-s3.zip", S3ObjectVersion: "3" },
        Publish: true,
      }),
    );
    const versions = await responder.send(
      new ListVersionsByFunctionCommand({ FunctionName: "from-s3" }),
    );
    const listed = await responder.send(new ListFunctionsCommand({}));

    // Assess
    expect(created).toMatchObject({
      State: "Active",
      LastUpdateStatus: "Successful",
      Version: "1",
      FunctionArn: `arn:aws:lambda:us-east-1:${DEMO_ACCOUNT_ID}:function:from-s3:1`,
      CodeSize: "s3://ir-artifacts/from-s3.zip?versionId=3".length,
    });
    expect(versions.Versions?.map((version) => version.Version)).toEqual(["$LATEST", "1"]);
    expect(listed.Functions?.map((fn) => fn.FunctionName)).toContain("from-s3");
  });

  it("refuses CreateFunction as Lambda does: taken name, role Lambda cannot assume, bad package, bad role ARN", async () => {
    // Prepare
    const responderRole = aws.world.roles.find((role) => role.name === DEMO_RESPONDER_ROLE.name);
    responderRole?.policy.push({
      effect: "Allow",
      actions: ["iam:PassRole"],
      resources: [`arn:aws:iam::${DEMO_ACCOUNT_ID}:role/*`],
    });
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE, { maxAttempts: 1 });
    const functionsBefore = aws.world.functions.length;

    // Act
    const taken = await rejectionOf(responder.send(creation("echo")));
    const untrusting = await rejectionOf(
      responder.send(creation("fresh", { Role: DEMO_ROLE.arn })),
    );
    const unknownRole = await rejectionOf(
      responder.send(creation("fresh", { Role: `arn:aws:iam::${DEMO_ACCOUNT_ID}:role/Nobody` })),
    );
    const notZip = await rejectionOf(
      responder.send(creation("fresh", { Code: { ZipFile: Buffer.from("not a zip") } })),
    );
    const badRole = await rejectionOf(responder.send(creation("fresh", { Role: "TurbineRole" })));
    const noHandler = await rejectionOf(responder.send(creation("fresh", { Handler: undefined })));
    const missingLayer = await rejectionOf(
      responder.send(creation("fresh", { Layers: [`${DEMO_LAYER.arn}:9`] })),
    );

    // Assess
    expect(taken).toMatchObject({
      name: "ResourceConflictException",
      message: "Function already exist: echo",
      $metadata: { httpStatusCode: 409 },
    });
    for (const refused of [untrusting, unknownRole]) {
      expect(refused).toMatchObject({
        name: "InvalidParameterValueException",
        message: "The role defined for the function cannot be assumed by Lambda.",
        $metadata: { httpStatusCode: 400 },
      });
    }
    expect(notZip).toMatchObject({
      name: "InvalidParameterValueException",
      message: "Could not unzip uploaded file. Please check your file, then try to upload again.",
    });
    expect(badRole).toMatchObject({
      name: "ValidationException",
      $metadata: { httpStatusCode: 400 },
    });
    expect(badRole.message).toContain("Value 'TurbineRole' at 'role' failed to satisfy constraint");
    expect(noHandler).toMatchObject({
      name: "InvalidParameterValueException",
      message:
        "Runtime and Handler are mandatory parameters for functions created with deployment packages.",
    });
    expect(missingLayer).toMatchObject({
      name: "InvalidParameterValueException",
      message: `Layer version ${DEMO_LAYER.arn}:9 does not exist.`,
    });
    expect(aws.world.functions).toHaveLength(functionsBefore);
  });

  it("needs lambda:CreateFunction, and iam:PassRole on the execution role", async () => {
    // Prepare
    const world = defaultWorld();
    const responderRole = world.roles.find((role) => role.name === DEMO_RESPONDER_ROLE.name);
    if (responderRole !== undefined) {
      responderRole.policy = responderRole.policy.filter(
        (statement) => !statement.actions.includes("iam:PassRole"),
      );
    }
    await start({ world });
    const invoker = await roleClient(aws, undefined, { maxAttempts: 1 });
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE, { maxAttempts: 1 });

    // Act
    const byInvoker = await rejectionOf(invoker.send(creation("fresh")));
    const withoutPassRole = await rejectionOf(responder.send(creation("fresh")));

    // Assess
    expect(byInvoker).toMatchObject({
      name: "AccessDeniedException",
      $metadata: { httpStatusCode: 403 },
    });
    expect(byInvoker.message).toContain(
      `is not authorized to perform: lambda:CreateFunction on resource: arn:aws:lambda:us-east-1:${DEMO_ACCOUNT_ID}:function:fresh because no identity-based policy allows the lambda:CreateFunction action`,
    );
    expect(withoutPassRole.message).toBe(
      `User: arn:aws:sts::${DEMO_ACCOUNT_ID}:assumed-role/${DEMO_RESPONDER_ROLE.name}/local-aws-responder is not authorized to perform: iam:PassRole on resource: ${DEMO_EXECUTION_ROLE.arn} because no identity-based policy allows the iam:PassRole action`,
    );
  });

  it("deletes one published version, but not $LATEST alone nor a version an alias routes to", async () => {
    // Prepare
    await start({ stateTransitionMs: 0 });
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE, { maxAttempts: 1 });
    await responder.send(creation("short-lived", { Publish: true }));

    // Act
    const latest = await rejectionOf(
      responder.send(
        new DeleteFunctionCommand({ FunctionName: "short-lived", Qualifier: "$LATEST" }),
      ),
    );
    const routed = await rejectionOf(
      responder.send(new DeleteFunctionCommand({ FunctionName: "echo", Qualifier: "1" })),
    );
    const deleted = await responder.send(
      new DeleteFunctionCommand({ FunctionName: "short-lived", Qualifier: "1" }),
    );
    const versions = await responder.send(
      new ListVersionsByFunctionCommand({ FunctionName: "short-lived" }),
    );

    // Assess
    expect(latest).toMatchObject({
      name: "ResourceConflictException",
      message: "$LATEST version cannot be deleted without deleting the function.",
      $metadata: { httpStatusCode: 409 },
    });
    expect(routed).toMatchObject({
      name: "ResourceConflictException",
      message:
        "Unable to delete version because the following aliases reference it: [live, previous]",
    });
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(versions.Versions?.map((version) => version.Version)).toEqual(["$LATEST"]);
  });

  it("deletes a function with its versions, policy, URL and event source mappings", async () => {
    // Prepare
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE, { maxAttempts: 1 });
    const before = await responder.send(new GetAccountSettingsCommand({}));

    // Act
    await responder.send(new DeleteFunctionCommand({ FunctionName: PUBLIC_WEBHOOK.name }));
    const gone = await rejectionOf(
      responder.send(new GetFunctionCommand({ FunctionName: PUBLIC_WEBHOOK.name })),
    );
    const mappings = await responder.send(
      new ListEventSourceMappingsCommand({ EventSourceArn: PUBLIC_WEBHOOK.queueArn }),
    );
    const after = await responder.send(new GetAccountSettingsCommand({}));

    // Assess
    expect(gone).toMatchObject({
      name: "ResourceNotFoundException",
      message: `Function not found: ${PUBLIC_WEBHOOK.arn}`,
      $metadata: { httpStatusCode: 404 },
    });
    expect(mappings.EventSourceMappings).toEqual([]);
    expect(after.AccountUsage?.FunctionCount).toBe((before.AccountUsage?.FunctionCount ?? 0) - 1);
    expect(aws.world.functions.some((fn) => fn.name === PUBLIC_WEBHOOK.name)).toBe(false);
  });

  it("pages through ListVersionsByFunction with MaxItems and Marker, $LATEST first", async () => {
    // Prepare
    const lambda = lambdaClient(aws);

    // Act
    const first = await lambda.send(
      new ListVersionsByFunctionCommand({ FunctionName: "echo", MaxItems: 2 }),
    );
    const second = await lambda.send(
      new ListVersionsByFunctionCommand({
        FunctionName: "echo",
        MaxItems: 2,
        Marker: first.NextMarker,
      }),
    );
    const paginated: string[] = [];
    for await (const page of paginateListVersionsByFunction(
      { client: lambda, pageSize: 1 },
      { FunctionName: "echo" },
    )) {
      paginated.push(...(page.Versions ?? []).map((version) => version.Version ?? ""));
    }
    const badMarker = await rejectionOf(
      lambdaClient(aws, { maxAttempts: 1 }).send(
        new ListVersionsByFunctionCommand({ FunctionName: "echo", Marker: "2" }),
      ),
    );

    // Assess
    expect(first.Versions?.map((version) => [version.Version, version.FunctionArn])).toEqual([
      ["$LATEST", `${ECHO_ARN}:$LATEST`],
      ["1", `${ECHO_ARN}:1`],
    ]);
    expect(first.NextMarker).toEqual(expect.any(String));
    expect(second.Versions?.map((version) => version.Version)).toEqual(["2"]);
    expect(second.NextMarker).toBeUndefined();
    expect(paginated).toEqual(["$LATEST", "1", "2"]);
    expect(badMarker).toMatchObject({
      name: "InvalidParameterValueException",
      message: "Invalid marker: 2",
    });
  });

  it("pages through ListAliases, with the live alias's routing weights, and filters by version", async () => {
    // Prepare
    const lambda = lambdaClient(aws);

    // Act
    const names: string[] = [];
    const pages: number[] = [];
    for await (const page of paginateListAliases(
      { client: lambda, pageSize: 1 },
      { FunctionName: "echo" },
    )) {
      pages.push(page.Aliases?.length ?? 0);
      names.push(...(page.Aliases ?? []).map((alias) => alias.Name ?? ""));
    }
    const all = await lambda.send(new ListAliasesCommand({ FunctionName: "echo" }));
    const onVersion1 = await lambda.send(
      new ListAliasesCommand({ FunctionName: "echo", FunctionVersion: "1" }),
    );

    // Assess
    expect(pages).toEqual([1, 1]);
    expect(names).toEqual(["live", "previous"]);
    expect(all.Aliases?.[0]).toEqual({
      AliasArn: `${ECHO_ARN}:live`,
      Name: "live",
      FunctionVersion: "2",
      Description: "",
      RevisionId: expect.any(String),
      RoutingConfig: { AdditionalVersionWeights: { "1": 0.1 } },
    });
    expect(all.Aliases?.[1]?.RoutingConfig).toBeUndefined();
    expect(onVersion1.Aliases?.map((alias) => alias.Name)).toEqual(["previous"]);
  });

  it("refuses a version or alias where the call is about the whole function", async () => {
    // Act
    const qualified = await rejectionOf(
      lambdaClient(aws, { maxAttempts: 1 }).send(
        new ListAliasesCommand({ FunctionName: "echo:live" }),
      ),
    );

    // Assess
    expect(qualified).toMatchObject({
      name: "InvalidParameterValueException",
      $metadata: { httpStatusCode: 400 },
    });
  });
});
