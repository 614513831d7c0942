import { createHash } from "node:crypto";
import {
  DeleteLayerVersionCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetLayerVersionCommand,
  ListLayersCommand,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
  paginateListLayers,
  paginateListLayerVersions,
} from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import {
  DEMO_ACCOUNT_ID,
  DEMO_LAYER,
  DEMO_USER,
  PUBLIC_WEBHOOK,
} from "../../local-aws/defaultWorld.js";
import {
  ASSUME_RESPONDER_ROLE,
  EMPTY_ZIP,
  lambdaClient,
  rejectionOf,
  roleClient,
  useLocalAws,
} from "./fixtures.js";

const LAYERS = `arn:aws:lambda:us-east-1:${DEMO_ACCOUNT_ID}:layer`;

describe("local AWS: Lambda layers", () => {
  const aws = useLocalAws({}, { each: true });

  it("lists the demo layer with its latest version, and filters by runtime", async () => {
    // Prepare
    const lambda = lambdaClient(aws);

    // Act
    const all = await lambda.send(new ListLayersCommand({}));
    const python = await lambda.send(new ListLayersCommand({ CompatibleRuntime: "python3.12" }));

    // Assess
    expect(all.Layers).toEqual([
      {
        LayerName: DEMO_LAYER.name,
        LayerArn: DEMO_LAYER.arn,
        LatestMatchingVersion: {
          LayerVersionArn: DEMO_LAYER.versionArns[1],
          Version: 2,
          Description: "Retries and logging",
          CreatedDate: "2025-01-02T00:00:00.000+0000",
          CompatibleRuntimes: ["nodejs20.x", "nodejs22.x"],
          CompatibleArchitectures: ["x86_64", "arm64"],
        },
      },
    ]);
    expect(python.Layers).toEqual([]);
  });

  it("publishes versions from a zip or S3, never reusing a number, and counts them in the account's storage", async () => {
    // Prepare
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE, { maxAttempts: 1 });
    const before = await responder.send(new GetAccountSettingsCommand({}));

    // Act
    const fromZip = await responder.send(
      new PublishLayerVersionCommand({
        LayerName: DEMO_LAYER.name,
        Content: { ZipFile: EMPTY_ZIP },
        Description: "From a zip",
        CompatibleRuntimes: ["nodejs22.x"],
        LicenseInfo: "MIT",
      }),
    );
    await responder.send(
      new DeleteLayerVersionCommand({ LayerName: DEMO_LAYER.name, VersionNumber: 3 }),
    );
    const fromS3 = await responder.send(
      new PublishLayerVersionCommand({
        LayerName: DEMO_LAYER.arn,
        Content: { S3Bucket: "ir-artifacts", S3Key: "layer.zip" },
      }),
    );
    const notZip = await rejectionOf(
      responder.send(
        new PublishLayerVersionCommand({
          LayerName: DEMO_LAYER.name,
          Content: { ZipFile: Buffer.from("plain text") },
        }),
      ),
    );
    const after = await responder.send(new GetAccountSettingsCommand({}));

    // Assess
    expect(fromZip).toMatchObject({
      LayerArn: DEMO_LAYER.arn,
      LayerVersionArn: `${DEMO_LAYER.arn}:3`,
      Version: 3,
      Description: "From a zip",
      CompatibleRuntimes: ["nodejs22.x"],
      LicenseInfo: "MIT",
      CreatedDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/),
      Content: {
        CodeSize: EMPTY_ZIP.length,
        CodeSha256: createHash("sha256").update(EMPTY_ZIP).digest("base64"),
        Location: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/__packages\/[0-9a-f-]{36}\?/),
      },
      $metadata: { httpStatusCode: 201 },
    });
    expect(fromS3).toMatchObject({
      Version: 4,
      Content: { CodeSize: "s3://ir-artifacts/layer.zip".length },
    });
    expect(notZip).toMatchObject({
      name: "InvalidParameterValueException",
      message: "Could not unzip uploaded file. Please check your file, then try to upload again.",
    });
    expect(after.AccountUsage?.TotalCodeSize).toBe(
      (before.AccountUsage?.TotalCodeSize ?? 0) + "s3://ir-artifacts/layer.zip".length,
    );
  });

  it("pages through ListLayerVersions newest first, and through ListLayers by name", async () => {
    // Prepare
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE);
    for (const name of ["alpha", "beta", DEMO_LAYER.name, DEMO_LAYER.name]) {
      await responder.send(
        new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: EMPTY_ZIP } }),
      );
    }
    const lambda = lambdaClient(aws);

    // Act
    const versionPages: number[][] = [];
    for await (const page of paginateListLayerVersions(
      { client: lambda, pageSize: 3 },
      { LayerName: DEMO_LAYER.name },
    )) {
      versionPages.push((page.LayerVersions ?? []).map((version) => version.Version ?? 0));
    }
    const layerPages: string[][] = [];
    for await (const page of paginateListLayers({ client: lambda, pageSize: 2 }, {})) {
      layerPages.push((page.Layers ?? []).map((layer) => layer.LayerName ?? ""));
    }
    const tooMany = await rejectionOf(
      lambdaClient(aws, { maxAttempts: 1 }).send(new ListLayersCommand({ MaxItems: 51 })),
    );
    const unknown = await lambda.send(
      new ListLayerVersionsCommand({ LayerName: "never-published" }),
    );

    // Assess
    expect(versionPages).toEqual([[4, 3, 2], [1]]);
    expect(layerPages).toEqual([["alpha", "beta"], [DEMO_LAYER.name]]);
    expect(tooMany).toMatchObject({
      name: "ValidationException",
      message:
        "1 validation error detected: Value '51' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 50",
    });
    expect(unknown.LayerVersions).toEqual([]);
  });

  it("gets a layer version, deletes it (twice is fine), and the using function keeps its ARN", async () => {
    // Prepare
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE, { maxAttempts: 1 });
    const get = () =>
      responder.send(new GetLayerVersionCommand({ LayerName: DEMO_LAYER.name, VersionNumber: 2 }));

    // Act
    const found = await get();
    const deleted = await responder.send(
      new DeleteLayerVersionCommand({ LayerName: DEMO_LAYER.name, VersionNumber: 2 }),
    );
    const again = await responder.send(
      new DeleteLayerVersionCommand({ LayerName: DEMO_LAYER.name, VersionNumber: 2 }),
    );
    const gone = await rejectionOf(get());
    const webhook = await responder.send(
      new GetFunctionCommand({ FunctionName: PUBLIC_WEBHOOK.name }),
    );

    // Assess
    expect(found).toMatchObject({
      LayerArn: DEMO_LAYER.arn,
      LayerVersionArn: DEMO_LAYER.versionArns[1],
      Version: 2,
      Content: { CodeSize: expect.any(Number), CodeSha256: expect.any(String) },
    });
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(again.$metadata.httpStatusCode).toBe(204);
    expect(gone).toMatchObject({
      name: "ResourceNotFoundException",
      message: "The resource you requested does not exist.",
      $metadata: { httpStatusCode: 404 },
    });
    expect(webhook.Configuration?.Layers).toEqual([
      { Arn: DEMO_LAYER.versionArns[1], CodeSize: 0 },
    ]);
  });

  it("checks lambda:PublishLayerVersion on the layer and lambda:GetLayerVersion on the version", async () => {
    // Prepare
    const invoker = await roleClient(aws, undefined, { maxAttempts: 1 });
    const user = aws.world.users.find((candidate) => candidate.name === DEMO_USER.name);
    user?.policy.push({
      effect: "Deny",
      actions: ["lambda:GetLayerVersion"],
      resources: [`${LAYERS}:${DEMO_LAYER.name}:1`],
    });

    // Act
    const publish = await rejectionOf(
      invoker.send(
        new PublishLayerVersionCommand({ LayerName: "new-layer", Content: { ZipFile: EMPTY_ZIP } }),
      ),
    );
    const denied = await rejectionOf(
      lambdaClient(aws, { maxAttempts: 1 }).send(
        new GetLayerVersionCommand({ LayerName: DEMO_LAYER.name, VersionNumber: 1 }),
      ),
    );
    const allowed = await lambdaClient(aws).send(
      new GetLayerVersionCommand({ LayerName: DEMO_LAYER.name, VersionNumber: 2 }),
    );

    // Assess
    expect(publish).toMatchObject({
      name: "AccessDeniedException",
      $metadata: { httpStatusCode: 403 },
    });
    expect(publish.message).toContain(
      `lambda:PublishLayerVersion on resource: ${LAYERS}:new-layer because no identity-based policy allows`,
    );
    expect(denied.message).toContain(
      `lambda:GetLayerVersion on resource: ${LAYERS}:${DEMO_LAYER.name}:1 with an explicit deny`,
    );
    expect(allowed.Version).toBe(2);
  });
});
