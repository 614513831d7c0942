import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  GetFunctionCommand,
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
} from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { DEMO_LAYER } from "../../local-aws/defaultWorld.js";
import { lambdaClient, rejectionOf, useClockedEndpoint } from "./fixtures.js";

const WEBHOOK_CODE = readFileSync(
  resolve(import.meta.dirname, "..", "..", "local-aws", "functions", "public-webhook.js"),
);

describe("local AWS: package downloads at presigned-style URLs", () => {
  const endpoint = useClockedEndpoint();

  const codeLocation = async (name = "public-webhook") => {
    const answer = await lambdaClient(endpoint.aws()).send(
      new GetFunctionCommand({ FunctionName: name }),
    );
    return answer.Code?.Location ?? "";
  };

  it("serves the function's package, whose hash is GetFunction's CodeSha256", async () => {
    // Prepare
    const url = await codeLocation();

    // Act
    const response = await fetch(url);
    const bytes = Buffer.from(await response.arrayBuffer());

    // Assess
    expect(response.status).toBe(200);
    expect(bytes.equals(WEBHOOK_CODE)).toBe(true);
    expect(response.headers.get("content-length")).toBe(String(WEBHOOK_CODE.length));
  });

  it("refuses a URL whose signature is not the one issued, and one past its ten minutes", async () => {
    const url = await codeLocation();
    const forged = url.replace(/X-Amz-Signature=[0-9a-f]+/, `X-Amz-Signature=${"0".repeat(64)}`);

    const wrong = await fetch(forged);
    endpoint.advance(601_000);
    const expired = await fetch(url);

    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toContain("SignatureDoesNotMatch");
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain("Request has expired");
  });

  it("tampers with, misannounces or stalls the next downloads on request", async () => {
    endpoint.aws().downloads.tamperNext();
    const tampered = Buffer.from(await (await fetch(await codeLocation())).arrayBuffer());
    endpoint.aws().downloads.misannounceNext(1, -10);
    const short = await fetch(await codeLocation());

    expect(tampered.length).toBe(WEBHOOK_CODE.length);
    expect(tampered.equals(WEBHOOK_CODE)).toBe(false);
    expect(short.headers.get("content-length")).toBe(String(WEBHOOK_CODE.length - 10));
    expect((await short.arrayBuffer()).byteLength).toBe(WEBHOOK_CODE.length - 10);
    expect(endpoint.aws().downloads.served.map((served) => served.fault)).toEqual([
      "tamper",
      "misannounce",
    ]);
  });

  it("answers GetLayerVersionByArn like GetLayerVersion, with a downloadable archive", async () => {
    const lambda = lambdaClient(endpoint.aws());
    const arn = DEMO_LAYER.versionArns[1] ?? "";

    const byArn = await lambda.send(new GetLayerVersionByArnCommand({ Arn: arn }));
    const byName = await lambda.send(
      new GetLayerVersionCommand({ LayerName: DEMO_LAYER.name, VersionNumber: 2 }),
    );
    const archive = Buffer.from(await (await fetch(byArn.Content?.Location ?? "")).arrayBuffer());

    expect(byArn.LayerVersionArn).toBe(byName.LayerVersionArn);
    expect(byArn.Content?.CodeSha256).toBe(byName.Content?.CodeSha256);
    expect(createHash("sha256").update(archive).digest("base64")).toBe(byArn.Content?.CodeSha256);
  });

  it("refuses GetLayerVersionByArn on something that is not a layer version ARN", async () => {
    const rejection = await rejectionOf(
      lambdaClient(endpoint.aws(), { maxAttempts: 1 }).send(
        new GetLayerVersionByArnCommand({ Arn: `${DEMO_LAYER.arn}:latest` }),
      ),
    );

    expect(rejection).toMatchObject({ name: "ValidationException" });
  });
});
