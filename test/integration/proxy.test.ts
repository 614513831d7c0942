import { describe, expect, it } from "vitest";
import {
  closedPort,
  localAsset,
  type RecordingProxy,
  runAction,
  useLocalAws,
  useProxy,
} from "./harness.js";

const PROXY_USER = "turbine";
const PROXY_PASSWORD = "pr0xy-s3cret-pa55";

describe("proxies, for real", () => {
  const aws = useLocalAws();
  const open = useProxy();
  const guarded = useProxy({ user: PROXY_USER, password: PROXY_PASSWORD });

  const invoke = (asset: Record<string, unknown>, env: Record<string, string> = {}) =>
    runAction(
      "invoke_function",
      {
        asset: localAsset(aws().url, asset),
        inputs: { function_name: "echo", payload: { via: "proxy" } },
      },
      env,
    );

  const carriedBoth = (proxy: RecordingProxy, from: number) => {
    const urls = proxy.carried.slice(from);
    return {
      sts: urls.some((u) => u.startsWith(aws().url) && !u.includes("/2015-03-31/")),
      lambda: urls.some((u) => u.includes("/2015-03-31/functions/echo/invocations")),
    };
  };

  it("sends STS and Lambda through the asset's proxy", async () => {
    // Prepare
    const from = open().carried.length;

    // Act
    const run = await invoke({ http_proxy: open().url });

    // Assess
    expect(run.exitCode).toBe(0);
    expect(carriedBoth(open(), from)).toEqual({ sts: true, lambda: true });
  });

  it("authenticates to a proxy that requires it", async () => {
    const from = guarded().carried.length;

    const run = await invoke({ http_proxy: guarded().url });

    expect(run.exitCode).toBe(0);
    expect(carriedBoth(guarded(), from)).toEqual({ sts: true, lambda: true });
  });

  it("says the proxy refused the credentials, without printing the password", async () => {
    const wrong = guarded().url.replace(PROXY_PASSWORD, "wrong-password-123");
    const refused = guarded().refused;

    const run = await invoke({ http_proxy: wrong });

    expect(run.exitCode).toBe(1);
    expect(run.error).toMatchObject({ code: "proxy_error", http_status: 407 });
    expect(run.error).not.toHaveProperty("aws_error_code");
    expect(run.error?.message).toContain(`127.0.0.1:${guarded().port}`);
    expect(run.stderr).not.toContain("wrong-password-123");
    expect(guarded().refused).toBeGreaterThan(refused);
  });

  it("uses HTTP_PROXY from the environment when the asset has none", async () => {
    const from = open().carried.length;

    const run = await invoke({}, { HTTP_PROXY: open().url });

    expect(run.exitCode).toBe(0);
    expect(carriedBoth(open(), from)).toEqual({ sts: true, lambda: true });
  });

  it("bypasses the environment's proxy for hosts in NO_PROXY", async () => {
    // Prepare
    const from = open().carried.length;

    // Act: the same proxy, with NO_PROXY naming another host, then this one.
    const elsewhere = await invoke({}, { HTTP_PROXY: open().url, NO_PROXY: "other.example" });
    const between = open().carried.length;
    const bypassed = await invoke({}, { HTTP_PROXY: open().url, NO_PROXY: "127.0.0.1" });

    // Assess
    expect([elsewhere.exitCode, bypassed.exitCode]).toEqual([0, 0]);
    expect(carriedBoth(open(), from)).toEqual({ sts: true, lambda: true });
    expect(open().carried.length).toBe(between);
  });

  it("prefers the asset's proxy over the environment's", async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const from = guarded().carried.length;

    const run = await invoke({ http_proxy: guarded().url }, { HTTP_PROXY: dead });

    expect(run.exitCode).toBe(0);
    expect(carriedBoth(guarded(), from)).toEqual({ sts: true, lambda: true });
  });

  it("masks the password of the environment's proxy in the error line", async () => {
    // Prepare: a proxy from the environment that refuses these credentials.
    const wrong = guarded().url.replace(PROXY_PASSWORD, "env-wrong-password-456");

    // Act
    const run = await invoke({}, { HTTP_PROXY: wrong });

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.error).toMatchObject({ code: "proxy_error", http_status: 407 });
    expect(run.error?.message).toContain(`127.0.0.1:${guarded().port}`);
    expect(run.stderr).not.toContain("env-wrong-password-456");
  });

  it("names a proxy that is down, without its password", async () => {
    const port = await closedPort();

    const run = await invoke({
      http_proxy: `http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:${port}`,
    });

    expect(run.exitCode).toBe(1);
    expect(run.error?.code).toBe("proxy_error");
    expect(run.error).not.toHaveProperty("http_status");
    expect(run.error?.message).toContain(`127.0.0.1:${port}`);
    expect(run.error?.message).toContain("ECONNREFUSED");
    expect(run.stderr).not.toContain(PROXY_PASSWORD);
  });

  it("blames the proxy, not AWS, when the proxy cannot reach the endpoint", async () => {
    // Prepare: an HTTPS endpoint nobody listens on, so the proxy's CONNECT fails.
    const nowhere = `https://127.0.0.1:${await closedPort()}`;

    // Act
    const run = await invoke({
      http_proxy: open().url,
      endpoint_url: nowhere,
      sts_endpoint_url: nowhere,
    });

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.error?.code).toBe("proxy_error");
    expect(run.error?.message).toContain(`127.0.0.1:${open().port}`);
  });
});
