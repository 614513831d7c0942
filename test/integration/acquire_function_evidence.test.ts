import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNT_ID, DEMO_ROLE } from "../../local-aws/defaultWorld.js";
import type { Artifact } from "../../src/actions/acquire_function_evidence/takeArtifact.js";
import { type FileApiServer, startFileApi } from "../support/fileApiServer.js";
import { localAsset, runAction, tlsFixture, useLocalAws, useProxy } from "./harness.js";

const FUNCTIONS_DIR = resolve(import.meta.dirname, "..", "..", "local-aws", "functions");
const WEBHOOK_CODE = readFileSync(resolve(FUNCTIONS_DIR, "public-webhook.js"));
const FOREIGN_ACCOUNT = "999988887777";
const FOREIGN_LAYER_BYTES = Buffer.from("PK\u0003\u0004 a layer another account shares");
const FOREIGN_LAYER_ARN = `arn:aws:lambda:us-east-1:${FOREIGN_ACCOUNT}:layer:vendor-agent:4`;

const hex = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const base64 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("base64");

type ArtifactOut = Artifact;

describe("acquire_function_evidence over real HTTP", () => {
  const aws = useLocalAws();
  const proxy = useProxy();
  let files: FileApiServer;

  beforeAll(async () => {
    files = await startFileApi();
  });

  afterAll(async () => {
    await files.close();
  });

  const acquire = (inputs: Record<string, unknown>, asset: Record<string, unknown> = {}) =>
    runAction(
      "acquire_function_evidence",
      { asset: localAsset(aws().url, asset), inputs },
      files.env(),
    );

  const artifactsOf = (output: Record<string, unknown> | undefined) =>
    (output?.artifacts ?? []) as ArtifactOut[];

  const stored = (reference: { file: string } | null | undefined) =>
    files.uploads.find((upload) => upload.id === reference?.file);

  it("stores the package and its layer, verified against CodeSha256, and a snapshot that says what it could not read", async () => {
    // Prepare
    const uploadsBefore = files.uploads.length;

    // Act
    const run = await acquire({ function_name: "public-webhook", file_name_prefix: "IR-7-" });

    // Assess
    expect(run.exitCode).toBe(0);
    const [code, layer] = artifactsOf(run.output);
    expect(code).toMatchObject({
      kind: "function_code",
      taken: true,
      sha256: hex(WEBHOOK_CODE),
      aws_code_sha256: base64(WEBHOOK_CODE),
      verified: true,
      size_bytes: WEBHOOK_CODE.length,
      file: { file_name: "IR-7-public-webhook-$LATEST-code.zip" },
    });
    expect(stored(code?.file)?.bytes.equals(WEBHOOK_CODE)).toBe(true);
    expect(stored(code?.file)?.streamed).toBe(true);
    expect(code?.source).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/__packages\/[\w-]+$/);
    expect(layer).toMatchObject({ kind: "layer", taken: true, verified: true });
    expect(stored(layer?.file)?.sha256).toBe(layer?.sha256);
    expect(run.stdout).not.toContain("X-Amz-Signature");
    expect(run.output?.findings).toEqual([]);

    const snapshot = run.output?.snapshot as {
      file: { file: string };
      sha256: string;
      size_bytes: number;
      parts: { part: string; taken: boolean; reason: { code: string } | null }[];
    };
    const snapshotFile = stored(snapshot.file);
    expect(snapshotFile?.sha256).toBe(snapshot.sha256);
    expect(snapshotFile?.bytes.length).toBe(snapshot.size_bytes);
    const document = JSON.parse(snapshotFile?.bytes.toString("utf8") ?? "{}");
    expect(document.parts.configuration.value.Environment.Variables).toEqual({ FORWARD_TO: "***" });
    expect(snapshotFile?.bytes.toString("utf8")).not.toContain("partner.example.com");
    expect(snapshotFile?.bytes.toString("utf8")).not.toContain("X-Amz-Signature");
    expect(document.parts.resource_policy.value.policy.Statement).toHaveLength(2);
    expect(document.parts.function_urls.value).toHaveLength(1);
    expect(document.parts.event_source_mappings.value).toHaveLength(1);
    const notTaken = snapshot.parts.filter((part) => !part.taken).map((part) => part.part);
    expect(notTaken.sort()).toEqual(
      ["event_invoke_configs", "provisioned_concurrency", "recursion_config"].sort(),
    );
    expect(run.output?.evidence_complete).toBe(false);
    expect(files.uploads.length - uploadsBefore).toBe(3);
  });

  it("keeps environment values in the snapshot only when asked", async () => {
    const run = await acquire({
      function_name: "public-webhook",
      include_layers: false,
      include_environment_values: true,
    });

    expect(run.exitCode).toBe(0);
    expect(artifactsOf(run.output)).toHaveLength(1);
    const snapshot = run.output?.snapshot as { file: { file: string } };
    expect(stored(snapshot.file)?.bytes.toString("utf8")).toContain(
      "https://partner.example.com/hooks",
    );
    expect(run.stdout).not.toContain("partner.example.com");
  });

  it("keeps tampered bytes as they arrived, unverified, with a high finding", async () => {
    aws().downloads.tamperNext();

    const run = await acquire({ function_name: "public-webhook", include_layers: false });

    expect(run.exitCode).toBe(0);
    const [code] = artifactsOf(run.output);
    expect(code).toMatchObject({
      taken: true,
      verified: false,
      aws_code_sha256: base64(WEBHOOK_CODE),
    });
    expect(code?.sha256).not.toBe(hex(WEBHOOK_CODE));
    expect(stored(code?.file)?.sha256).toBe(code?.sha256);
    expect(run.output?.findings).toEqual([
      expect.objectContaining({ severity: "high", kind: "code_hash_mismatch", arn: code?.arn }),
    ]);
  });

  it("does not take a package whose announced size is not AWS's", async () => {
    const uploadsBefore = files.uploads.length;
    aws().downloads.misannounceNext(1, 7);

    const run = await acquire({ function_name: "public-webhook", include_layers: false });

    expect(run.exitCode).toBe(0);
    const [code] = artifactsOf(run.output);
    expect(code).toMatchObject({ taken: false, file: null, verified: null });
    expect(code?.reason?.message).toContain(`announces ${WEBHOOK_CODE.length + 7} bytes`);
    expect(code?.reason?.message).not.toContain("X-Amz");
    expect(run.output?.findings).toEqual([
      expect.objectContaining({ severity: "medium", kind: "size_mismatch" }),
    ]);
    expect(run.output?.evidence_complete).toBe(false);
    // Only the snapshot was stored: nothing of the refused package.
    expect(files.uploads.length - uploadsBefore).toBe(1);
  });

  it("gives up on a download that stalls at its deadline, and goes on", async () => {
    aws().downloads.stallNext();

    const run = await acquire({
      function_name: "public-webhook",
      include_layers: false,
      download_timeout_seconds: 1,
    });

    expect(run.exitCode).toBe(0);
    const [code] = artifactsOf(run.output);
    expect(code).toMatchObject({ taken: false, reason: { code: "request_timeout" } });
    expect(run.output?.snapshot).toMatchObject({ taken: true });
  });

  it("downloads through the asset's proxy", async () => {
    const from = proxy().carried.length;

    const run = await acquire(
      { function_name: "public-webhook", include_layers: false },
      { http_proxy: proxy().url },
    );

    expect(run.exitCode).toBe(0);
    expect(artifactsOf(run.output)[0]).toMatchObject({ taken: true, verified: true });
    expect(
      proxy()
        .carried.slice(from)
        .some((url) => url.includes("/__packages/")),
    ).toBe(true);
  });

  it("takes a layer another account shares, through GetLayerVersionByArn", async () => {
    const world = aws().world;
    world.sharedLayers = [
      {
        accountId: FOREIGN_ACCOUNT,
        name: "vendor-agent",
        region: "us-east-1",
        latestVersion: 4,
        versions: [
          {
            version: 4,
            description: "vendor agent",
            createdDate: "2025-02-01T00:00:00.000+0000",
            codeSize: FOREIGN_LAYER_BYTES.length,
            codeSha256: base64(FOREIGN_LAYER_BYTES),
            content: FOREIGN_LAYER_BYTES,
          },
        ],
      },
    ];
    const fn = world.functions.find((candidate) => candidate.name === "enrich-indicator");
    const role = world.roles.find((candidate) => candidate.name === DEMO_ROLE.name);
    fn?.layers?.push(FOREIGN_LAYER_ARN);
    if (fn !== undefined && fn.layers === undefined) {
      fn.layers = [FOREIGN_LAYER_ARN];
    }
    role?.policy.push({
      effect: "Allow",
      actions: ["lambda:GetLayerVersion"],
      resources: [FOREIGN_LAYER_ARN],
    });

    const run = await acquire({ function_name: "enrich-indicator" });

    expect(run.exitCode).toBe(0);
    const layer = artifactsOf(run.output).find((artifact) => artifact.kind === "layer");
    expect(layer).toMatchObject({ arn: FOREIGN_LAYER_ARN, taken: true, verified: true });
    expect(stored(layer?.file)?.bytes.equals(FOREIGN_LAYER_BYTES)).toBe(true);
    expect(aws().requests.some((request) => request.action === "GetLayerVersionByArn")).toBe(true);
    expect(DEMO_ACCOUNT_ID).not.toBe(FOREIGN_ACCOUNT);
  });

  it("reports a refused upload per artifact and still answers", async () => {
    const run = await runAction(
      "acquire_function_evidence",
      { asset: localAsset(aws().url), inputs: { function_name: "public-webhook" } },
      { IPC_API_URI: files.uri, IPC_API_TOKEN: "expired-token" },
    );

    expect(run.exitCode).toBe(0);
    expect(artifactsOf(run.output).map((artifact) => artifact.reason?.code)).toEqual([
      "invalid_input",
      "invalid_input",
    ]);
    expect(artifactsOf(run.output)[0]?.reason?.message).toContain("refused the token");
    expect(run.output?.snapshot).toMatchObject({ taken: false, file: null });
    expect(run.output?.evidence_complete).toBe(false);
    expect(run.stdout).not.toContain("expired-token");
  });

  it("fails naming IPC_API_URI before reading or downloading anything", async () => {
    const requestsBefore = aws().requests.length;
    const downloadsBefore = aws().downloads.served.length;

    const run = await runAction("acquire_function_evidence", {
      asset: localAsset(aws().url),
      inputs: { function_name: "public-webhook" },
    });

    expect(run.exitCode).not.toBe(0);
    expect(run.error?.message).toContain("IPC_API_URI");
    expect(aws().requests.length).toBe(requestsBefore);
    expect(aws().downloads.served.length).toBe(downloadsBefore);
  });

  describe("over HTTPS, where the package's URL is https too", () => {
    const LOCALHOST = tlsFixture("localhost");
    const secure = useLocalAws({ tls: { cert: LOCALHOST.cert, key: LOCALHOST.key } });

    const acquireSecurely = (asset: Record<string, unknown>, env: Record<string, string> = {}) =>
      runAction(
        "acquire_function_evidence",
        {
          asset: localAsset(secure().url, asset),
          inputs: { function_name: "public-webhook", include_layers: false },
        },
        { ...files.env(), ...env },
      );

    it("trusts the CA bundle of AWS_CA_BUNDLE for the download as for the calls", async () => {
      const run = await acquireSecurely({}, { AWS_CA_BUNDLE: LOCALHOST.certFile });

      expect(run.exitCode).toBe(0);
      expect(artifactsOf(run.output)[0]).toMatchObject({ taken: true, verified: true });
      expect(artifactsOf(run.output)[0]?.source).toMatch(
        /^https:\/\/127\.0\.0\.1:\d+\/__packages\//,
      );
    });

    it("downloads without verification when verify_ssl is false", async () => {
      const run = await acquireSecurely({ verify_ssl: false });

      expect(run.exitCode).toBe(0);
      expect(artifactsOf(run.output)[0]).toMatchObject({ taken: true, verified: true });
    });
  });
});
