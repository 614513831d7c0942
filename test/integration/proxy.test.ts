import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalAws, startLocalAws } from "../../local-aws/LocalAws.js";
import { closedPort, localAsset, type RecordingProxy, runEntry, startProxy } from "./harness.js";

const PROXY_USER = "turbine";
const PROXY_PASSWORD = "pr0xy-s3cret-pa55";

describe("proxies, for real", () => {
  let aws: LocalAws;
  let open: RecordingProxy;
  let guarded: RecordingProxy;

  beforeAll(async () => {
    [aws, open, guarded] = await Promise.all([
      startLocalAws(),
      startProxy(),
      startProxy({ user: PROXY_USER, password: PROXY_PASSWORD }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([aws.close(), open.close(), guarded.close()]);
  });

  const invoke = (asset: Record<string, unknown>, env: Record<string, string> = {}) =>
    runEntry(
      "invoke_function",
      {
        asset: localAsset(aws.url, asset),
        inputs: { function_name: "echo", payload: { via: "proxy" } },
      },
      env,
    );

  const carriedBoth = (proxy: RecordingProxy, from: number) => {
    const urls = proxy.carried.slice(from);
    return {
      sts: urls.some((u) => u.startsWith(aws.url) && !u.includes("/2015-03-31/")),
      lambda: urls.some((u) => u.includes("/2015-03-31/functions/echo/invocations")),
    };
  };

  it("sends STS and Lambda through the asset's proxy", async () => {
    // Prepare
    const from = open.carried.length;

    // Act
    const run = await invoke({ http_proxy: open.url });

    // Assess
    expect(run.exitCode).toBe(0);
    expect(carriedBoth(open, from)).toEqual({ sts: true, lambda: true });
  });

  it("authenticates to a proxy that requires it", async () => {
    const from = guarded.carried.length;

    const run = await invoke({ http_proxy: guarded.url });

    expect(run.exitCode).toBe(0);
    expect(carriedBoth(guarded, from)).toEqual({ sts: true, lambda: true });
  });

  it("says the proxy refused the credentials, without printing the password", async () => {
    const wrong = guarded.url.replace(PROXY_PASSWORD, "wrong-password-123");
    const refused = guarded.refused;

    const run = await invoke({ http_proxy: wrong });

    expect(run.exitCode).toBe(1);
    expect(run.error?.code).toBe("proxy_error");
    expect(run.error?.message).toContain(`127.0.0.1:${guarded.port}`);
    expect(run.stderr).not.toContain("wrong-password-123");
    expect(guarded.refused).toBeGreaterThan(refused);
  });

  it("uses HTTP_PROXY from the environment when the asset has none", async () => {
    const from = open.carried.length;

    const run = await invoke({}, { HTTP_PROXY: open.url });

    expect(run.exitCode).toBe(0);
    expect(carriedBoth(open, from)).toEqual({ sts: true, lambda: true });
  });

  it("bypasses the environment's proxy for hosts in NO_PROXY", async () => {
    const from = open.carried.length;

    const run = await invoke({}, { HTTP_PROXY: open.url, NO_PROXY: "127.0.0.1" });

    expect(run.exitCode).toBe(0);
    expect(open.carried.length).toBe(from);
  });

  it("prefers the asset's proxy over the environment's", async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const from = guarded.carried.length;

    const run = await invoke({ http_proxy: guarded.url }, { HTTP_PROXY: dead });

    expect(run.exitCode).toBe(0);
    expect(carriedBoth(guarded, from)).toEqual({ sts: true, lambda: true });
  });

  it("names a proxy that is down, without its password", async () => {
    const port = await closedPort();

    const run = await invoke({
      http_proxy: `http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:${port}`,
    });

    expect(run.exitCode).toBe(1);
    expect(run.error?.code).toBe("proxy_error");
    expect(run.error?.message).toContain(`127.0.0.1:${port}`);
    expect(run.error?.message).toContain("ECONNREFUSED");
    expect(run.stderr).not.toContain(PROXY_PASSWORD);
  });
  it("blames the proxy, not AWS, when the proxy cannot reach the endpoint", async () => {
    // Prepare: an HTTPS endpoint nobody listens on, so the proxy's CONNECT fails.
    const nowhere = `https://127.0.0.1:${await closedPort()}`;

    // Act
    const run = await invoke({
      http_proxy: open.url,
      endpoint_url: nowhere,
      sts_endpoint_url: nowhere,
    });

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.error?.code).toBe("proxy_error");
    expect(run.error?.message).toContain(`127.0.0.1:${open.port}`);
  });
});
