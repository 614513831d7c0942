import {
  GetFunctionCommand,
  type GetFunctionCommandOutput,
  GetLayerVersionByArnCommand,
  LambdaClient,
  ListAliasesCommand,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  acquireFunctionEvidenceAction,
  digestOf,
  layerFileName,
  maskedConfiguration,
} from "../../../../src/actions/acquire_function_evidence/acquire_function_evidence.js";
import { MAX_PACKAGE_BYTES } from "../../../../src/actions/acquire_function_evidence/takeArtifact.js";
import { parseDocument } from "../../../../src/validation.js";
import {
  ACCOUNT_ID,
  accessDenied,
  FUNCTION_ARN,
  FUNCTION_NAME,
  fakeTime,
  functionConfiguration,
  REGION,
  REQUEST_ID,
  rejectedConnectorError,
  thrownConnectorError,
  useActionRun,
} from "../../../fixtures.js";
import { type FileApiServer, startFileApi } from "../../../support/fileApiServer.js";

const lambdaMock = mockClient(LambdaClient);
const SECRET_VALUE = "vt-live-4f9a0c-do-not-print";
const IMAGE_DIGEST = "sha256:4d2f0c6f8f3a0d7e8c2b1a9f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d";
const IMAGE_URI = `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/enrich:prod`;
/** Nothing listens there: a download attempt would fail as a network error. */
const UNREACHABLE_URL = "http://127.0.0.1:9/snapshots/enrich?X-Amz-Signature=deadbeef";
const SUCCESS = { $metadata: { httpStatusCode: 200, requestId: REQUEST_ID } };

function getFunctionResponse(
  overrides: Partial<GetFunctionCommandOutput> = {},
): GetFunctionCommandOutput {
  return {
    Configuration: functionConfiguration({
      Version: "$LATEST",
      RevisionId: "rev-1",
      PackageType: "Zip",
      CodeSize: 4096,
      CodeSha256: "q9kD2x2cYQ3m0Gm4m0bIh0yQ1lQ7Yv3c0o5rJmQeB1E=",
      Environment: { Variables: { VT_API_KEY: SECRET_VALUE } },
    }),
    Code: { RepositoryType: "S3", Location: UNREACHABLE_URL },
    ...SUCCESS,
    ...overrides,
  };
}

describe("acquire_function_evidence", () => {
  let files: FileApiServer;
  const { run } = useActionRun(acquireFunctionEvidenceAction, {
    mock: lambdaMock,
    executorOptions: () => ({ ...fakeTime(), env: files.env() }),
  });

  beforeAll(async () => {
    files = await startFileApi();
  });

  afterAll(async () => {
    await files.close();
  });

  const storedSnapshot = (output: { snapshot: { file: { file: string } | null } }) =>
    files.uploads.find((upload) => upload.id === output.snapshot.file?.file)?.bytes.toString();

  it("reports a container image's URI and digest and downloads nothing", async () => {
    // Prepare
    lambdaMock.onAnyCommand().resolves(SUCCESS);
    lambdaMock.on(GetFunctionCommand).resolves(
      getFunctionResponse({
        Configuration: functionConfiguration({ PackageType: "Image" }),
        Code: {
          RepositoryType: "ECR",
          ImageUri: IMAGE_URI,
          ResolvedImageUri: `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/enrich@${IMAGE_DIGEST}`,
        },
      }),
    );

    // Act
    const output = await run({ function_name: FUNCTION_NAME });

    // Assess
    expect(output.artifacts).toEqual([]);
    expect(output.artifacts_count).toBe(0);
    expect(output.image).toEqual({
      image_uri: IMAGE_URI,
      resolved_image_uri: `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/enrich@${IMAGE_DIGEST}`,
      digest: IMAGE_DIGEST,
    });
    expect(output.snapshot.taken).toBe(true);
  });

  it("masks environment values in the snapshot and never prints them", async () => {
    lambdaMock.onAnyCommand().resolves(SUCCESS);
    lambdaMock.on(GetFunctionCommand).resolves(getFunctionResponse());

    const output = await run({ function_name: FUNCTION_NAME, include_layers: false });

    expect(JSON.stringify(output)).not.toContain(SECRET_VALUE);
    expect(storedSnapshot(output)).toContain('"VT_API_KEY": "***"');
    expect(storedSnapshot(output)).not.toContain(SECRET_VALUE);
    expect(output.snapshot.environment_values_masked).toBe(true);
  });

  it("refuses a package AWS announces above Lambda's own maximum without downloading it", async () => {
    lambdaMock.onAnyCommand().resolves(SUCCESS);
    lambdaMock.on(GetFunctionCommand).resolves(
      getFunctionResponse({
        Configuration: functionConfiguration({ CodeSize: MAX_PACKAGE_BYTES + 1 }),
      }),
    );

    const output = await run({ function_name: FUNCTION_NAME });

    // A try would have failed as network_error: nothing listens at the URL.
    expect(output.artifacts[0]).toMatchObject({
      taken: false,
      reason: { code: "payload_too_large" },
      source: "http://127.0.0.1:9/snapshots/enrich",
    });
    expect(output.artifacts[0]?.reason?.message).toContain(`${MAX_PACKAGE_BYTES} byte limit`);
    expect(output.evidence_complete).toBe(false);
  });

  it("leaves out a snapshot part the role may not read, with the reason, and succeeds", async () => {
    lambdaMock.onAnyCommand().resolves(SUCCESS);
    lambdaMock.on(GetFunctionCommand).resolves(getFunctionResponse({ Code: {} }));
    lambdaMock.on(ListAliasesCommand).rejects(accessDenied("lambda:ListAliases", FUNCTION_ARN));

    const output = await run({ function_name: FUNCTION_NAME });

    expect(output.snapshot.parts).toContainEqual({
      part: "aliases",
      taken: false,
      reason: expect.objectContaining({ code: "access_denied" }),
    });
    expect(output.missing_parts.map((entry) => entry.part)).toEqual(
      expect.arrayContaining(["snapshot aliases", `function_code ${FUNCTION_ARN}`]),
    );
    expect(output.evidence_complete).toBe(false);
  });

  it("reports a layer it may not describe as not taken, naming lambda:GetLayerVersion", async () => {
    const layerArn = `arn:aws:lambda:${REGION}:999988887777:layer:vendor-agent:4`;
    lambdaMock.onAnyCommand().resolves(SUCCESS);
    lambdaMock.on(GetFunctionCommand).resolves(
      getFunctionResponse({
        Configuration: functionConfiguration({ Layers: [{ Arn: layerArn, CodeSize: 10 }] }),
        Code: {},
      }),
    );
    lambdaMock
      .on(GetLayerVersionByArnCommand)
      .rejects(accessDenied("lambda:GetLayerVersion", layerArn));

    const output = await run({ function_name: FUNCTION_NAME });

    const layer = output.artifacts.find((artifact) => artifact.kind === "layer");
    expect(layer).toMatchObject({
      arn: layerArn,
      taken: false,
      file_name: "layer-vendor-agent-4.zip",
    });
    expect(layer?.reason?.message).toContain(`lambda:GetLayerVersion on ${layerArn}`);
  });

  it("fails when GetFunction is refused: there is nothing to preserve", async () => {
    lambdaMock.onAnyCommand().resolves(SUCCESS);
    lambdaMock.on(GetFunctionCommand).rejects(accessDenied("lambda:GetFunction", FUNCTION_ARN));
    const uploads = files.uploads.length;

    const error = await rejectedConnectorError(run({ function_name: FUNCTION_NAME }));

    expect(error.code).toBe("access_denied");
    expect(error.hint).toContain(`Grant lambda:GetFunction on exactly ${FUNCTION_ARN}`);
    expect(files.uploads.length).toBe(uploads);
  });

  it("declares every read it makes, for the least-privilege policies", () => {
    expect([...acquireFunctionEvidenceAction.iamActions].sort()).toEqual(
      [
        "lambda:GetFunction",
        "lambda:GetFunctionRecursionConfig",
        "lambda:GetFunctionUrlConfig",
        "lambda:GetLayerVersion",
        "lambda:GetPolicy",
        "lambda:ListAliases",
        "lambda:ListEventSourceMappings",
        "lambda:ListFunctionEventInvokeConfigs",
        "lambda:ListProvisionedConcurrencyConfigs",
        "lambda:ListTags",
        "lambda:ListVersionsByFunction",
      ].sort(),
    );
  });

  it.each([
    [{ file_name_prefix: "../case" }, "file_name_prefix"],
    [{ download_timeout_seconds: 0 }, "download_timeout_seconds"],
    [{ download_timeout_seconds: 901 }, "download_timeout_seconds"],
    [{ include_layers: "yes" }, "include_layers"],
  ])("refuses %j, naming %s", (raw, field) => {
    const error = thrownConnectorError(() =>
      parseDocument(
        acquireFunctionEvidenceAction.inputs,
        { function_name: FUNCTION_NAME, ...raw },
        "inputs",
      ),
    );

    expect(error.field).toBe(field);
  });
});

describe("acquire_function_evidence mapping", () => {
  it("masks each value, keeps each name", () => {
    const masked = maskedConfiguration(
      functionConfiguration({ Environment: { Variables: { A: SECRET_VALUE, B: "x" } } }),
      false,
    );

    expect(masked).toMatchObject({ Environment: { Variables: { A: "***", B: "***" } } });
    expect(JSON.stringify(masked)).not.toContain(SECRET_VALUE);
  });

  it("keeps the values when asked", () => {
    const kept = maskedConfiguration(
      functionConfiguration({ Environment: { Variables: { A: SECRET_VALUE } } }),
      true,
    );

    expect(kept).toMatchObject({ Environment: { Variables: { A: SECRET_VALUE } } });
  });

  it.each([
    [`arn:aws:lambda:${REGION}:${ACCOUNT_ID}:layer:shared-libs:12`, "layer-shared-libs-12.zip"],
    ["not-an-arn", "layer.zip"],
  ])("names the file of layer %s %s", (arn, name) => {
    expect(layerFileName(arn)).toBe(name);
  });

  it.each([
    [`repo@${IMAGE_DIGEST}`, IMAGE_DIGEST],
    ["repo:tag", null],
    [undefined, null],
  ])("takes the digest of %s", (uri, digest) => {
    expect(digestOf(uri)).toBe(digest);
  });
});
