import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createHttpHandler,
  DEFAULT_CONNECTION_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  describeProxyFor,
  redactUrl,
} from "../../../src/aws/httpHandler.js";
import { PROXY_PASSWORD, PROXY_URL, thrownConnectorError } from "../../fixtures.js";

const LAMBDA_URL = "https://lambda.us-east-1.amazonaws.com";
const PROXY_VARIABLES = [
  "HTTPS_PROXY",
  "https_proxy",
  "HTTP_PROXY",
  "http_proxy",
  "ALL_PROXY",
  "all_proxy",
  "NO_PROXY",
  "no_proxy",
];

describe("redactUrl", () => {
  it.each([
    [PROXY_URL, "http://turbine:***@proxy.example.com:3128"],
    ["socks5://u:p%40ss@10.0.0.5:1080", "socks5://u:***@10.0.0.5:1080"],
    ["http://proxy.example.com:3128", "http://proxy.example.com:3128"],
    ["http://only-user@proxy.example.com:3128/", "http://only-user@proxy.example.com:3128"],
    ["not a url", "(unparseable URL)"],
  ])("prints %s as %s", (url, printed) => {
    expect(redactUrl(url)).toBe(printed);
  });
});

describe("describeProxyFor", () => {
  beforeEach(() => {
    for (const name of PROXY_VARIABLES) {
      vi.stubEnv(name, "");
    }
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("names the asset's proxy, masked, over the environment's", () => {
    vi.stubEnv("HTTPS_PROXY", "http://env-proxy.example.com:8080");

    expect(describeProxyFor(PROXY_URL, LAMBDA_URL)).toBe(
      "http://turbine:***@proxy.example.com:3128",
    );
  });

  it("falls back to HTTPS_PROXY, masked", () => {
    vi.stubEnv("HTTPS_PROXY", `http://envuser:${PROXY_PASSWORD}@env-proxy.example.com:8080`);

    const described = describeProxyFor(undefined, LAMBDA_URL);

    expect(described).toBe("http://envuser:***@env-proxy.example.com:8080");
  });

  it("honours NO_PROXY", () => {
    vi.stubEnv("HTTPS_PROXY", "http://env-proxy.example.com:8080");
    vi.stubEnv("NO_PROXY", ".amazonaws.com");

    expect(describeProxyFor(undefined, LAMBDA_URL)).toBeUndefined();
  });

  it("is undefined for a direct connection", () => {
    expect(describeProxyFor(undefined, LAMBDA_URL)).toBeUndefined();
  });
});

describe("createHttpHandler", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const settings = {
    proxyUrl: PROXY_URL,
    verifySsl: true,
    connectionTimeoutMs: DEFAULT_CONNECTION_TIMEOUT_MS,
    requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
  };

  it("waits longer than Lambda's 900 s maximum by default", () => {
    expect(DEFAULT_REQUEST_TIMEOUT_MS).toBeGreaterThan(900_000);
  });

  it("refuses an unreadable AWS_CA_BUNDLE, naming it, as a fault of the machine (exit 1)", () => {
    const missing = join(tmpdir(), "no-such-ca-bundle.pem");
    vi.stubEnv("AWS_CA_BUNDLE", missing);

    const error = thrownConnectorError(() => createHttpHandler(settings));

    expect(error.code).toBe("network_error");
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe(`The CA bundle ${missing} cannot be read.`);
    expect(error.hint).toContain("AWS_CA_BUNDLE");
  });

  it("builds a handler with a readable AWS_CA_BUNDLE", () => {
    const bundle = join(tmpdir(), `ca-bundle-${process.pid}.pem`);
    writeFileSync(bundle, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
    vi.stubEnv("AWS_CA_BUNDLE", bundle);

    const handler = createHttpHandler(settings);

    expect(handler).toBeInstanceOf(NodeHttpHandler);
    handler.destroy();
  });
});
