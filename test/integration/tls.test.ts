import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalAws, startLocalAws } from "../../local-aws/LocalAws.js";
import { localAsset, type RecordingProxy, runEntry, startProxy } from "./harness.js";

const TLS_DIR = resolve(import.meta.dirname, "..", "fixtures", "tls");
const CERT_FILE = resolve(TLS_DIR, "localhost.crt");

describe("HTTPS endpoints: certificate checks, CA bundles, CONNECT tunnels", () => {
  let aws: LocalAws;
  let proxy: RecordingProxy;

  beforeAll(async () => {
    [aws, proxy] = await Promise.all([
      startLocalAws({
        tls: {
          cert: readFileSync(CERT_FILE, "utf8"),
          key: readFileSync(resolve(TLS_DIR, "localhost.key"), "utf8"),
        },
      }),
      startProxy(),
    ]);
  });

  afterAll(async () => {
    await Promise.all([aws.close(), proxy.close()]);
  });

  const invoke = (asset: Record<string, unknown> = {}, env: Record<string, string> = {}) =>
    runEntry(
      "invoke_function",
      {
        asset: localAsset(aws.url, asset),
        inputs: { function_name: "echo", payload: { tls: true } },
      },
      env,
    );

  it("refuses a certificate it cannot verify and says how to trust it", async () => {
    // Act
    const run = await invoke();

    // Assess
    expect(aws.url.startsWith("https://")).toBe(true);
    expect(run.exitCode).toBe(1);
    expect(run.error?.code).toBe("network_error");
    expect(run.error?.message).toContain("TLS verification");
    expect(run.error?.hint).toContain("AWS_CA_BUNDLE");
  });

  it("trusts the CA bundle named by AWS_CA_BUNDLE", async () => {
    const run = await invoke({}, { AWS_CA_BUNDLE: CERT_FILE });

    expect(run.exitCode).toBe(0);
    expect(run.output?.payload).toMatchObject({ event: { tls: true } });
  });

  it("trusts NODE_EXTRA_CA_CERTS, which Node reads by itself", async () => {
    const run = await invoke({}, { NODE_EXTRA_CA_CERTS: CERT_FILE });

    expect(run.exitCode).toBe(0);
  });

  it("skips verification when verify_ssl is false", async () => {
    const run = await invoke({ verify_ssl: false });

    expect(run.exitCode).toBe(0);
  });

  it("tunnels STS and Lambda through one kept-alive CONNECT to the proxy", async () => {
    // Prepare
    const from = proxy.carried.length;
    const host = new URL(aws.url).host;

    // Act
    const run = await invoke({ http_proxy: proxy.url }, { AWS_CA_BUNDLE: CERT_FILE });

    // Assess
    expect(run.exitCode).toBe(0);
    expect(proxy.carried.slice(from)).toEqual([host]);
    expect(aws.requests.slice(-2).map((r) => r.action)).toEqual(["AssumeRole", "Invoke"]);
  });
});
