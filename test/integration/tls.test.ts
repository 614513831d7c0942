import { describe, expect, it } from "vitest";
import {
  actionsServed,
  localAsset,
  runAction,
  tlsFixture,
  useLocalAws,
  useProxy,
} from "./harness.js";

const LOCALHOST = tlsFixture("localhost");

describe("HTTPS endpoints: certificate checks, CA bundles, CONNECT tunnels", () => {
  const aws = useLocalAws({ tls: { cert: LOCALHOST.cert, key: LOCALHOST.key } });
  const proxy = useProxy();

  const invoke = (asset: Record<string, unknown> = {}, env: Record<string, string> = {}) =>
    runAction(
      "invoke_function",
      {
        asset: localAsset(aws().url, asset),
        inputs: { function_name: "echo", payload: { tls: true } },
      },
      env,
    );

  it("refuses a certificate it cannot verify and says how to trust it", async () => {
    // Act
    const run = await invoke();

    // Assess
    expect(aws().url.startsWith("https://")).toBe(true);
    expect(run.exitCode).toBe(1);
    expect(run.error?.code).toBe("network_error");
    expect(run.error).not.toHaveProperty("http_status");
    expect(run.error?.message).toContain("TLS verification");
    expect(run.error?.hint).toContain("AWS_CA_BUNDLE");
  });

  it("trusts the CA bundle named by AWS_CA_BUNDLE", async () => {
    const run = await invoke({}, { AWS_CA_BUNDLE: LOCALHOST.certFile });

    expect(run.exitCode).toBe(0);
    expect(run.output?.payload).toMatchObject({ event: { tls: true } });
  });

  it("says which CA bundle it cannot read", async () => {
    const missing = `${LOCALHOST.certFile}.missing`;

    const run = await invoke({}, { AWS_CA_BUNDLE: missing });

    expect(run.exitCode).toBe(1);
    expect(run.error?.code).toBe("network_error");
    expect(run.error?.message).toContain(missing);
  });

  it("skips verification when verify_ssl is false", async () => {
    const run = await invoke({ verify_ssl: false });

    expect(run.exitCode).toBe(0);
  });

  it("tunnels STS and Lambda through one kept-alive CONNECT to the proxy", async () => {
    // Prepare
    const from = proxy().carried.length;
    const host = new URL(aws().url).host;

    // Act
    const run = await invoke({ http_proxy: proxy().url, verify_ssl: false });

    // Assess
    expect(run.exitCode).toBe(0);
    expect(proxy().carried.slice(from)).toEqual([host]);
    expect(actionsServed(aws(), -2)).toEqual(["AssumeRole", "Invoke"]);
  });
});
