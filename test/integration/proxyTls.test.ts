import type { Agent } from "node:http";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { HttpsProxyAgent } from "https-proxy-agent";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_REGION } from "../../local-aws/defaultWorld.js";
import { createProxyAgent } from "../../src/aws/proxyAgent.js";
import { DEMO, tlsFixture, useLocalAws, useProxy } from "./harness.js";

/** Names only IP 127.0.0.1, so only a check against the IP the endpoint gives accepts it. */
const IP_ONLY = tlsFixture("ip-only");
/** Names only IP 192.0.2.1: the wrong identity for a server reached at 127.0.0.1. */
const OTHER_IP = tlsFixture("other-ip");

const PROXY_USER = "turbine";
const PROXY_PASSWORD = "pr0xy-s3cret-pa55";

/**
 * https-proxy-agent as it comes. It takes the target's TLS options from each request's,
 * not from its own constructor's (those are for the proxy), so the trust goes there.
 */
class TrustingHttpsProxyAgent extends HttpsProxyAgent<string> {
  override connect(...[req, opts]: Parameters<HttpsProxyAgent<string>["connect"]>) {
    return super.connect(
      req,
      Object.assign(opts, { rejectUnauthorized: true, ca: [IP_ONLY.cert] }),
    );
  }
}

describe("HTTPS to an IP address through an authenticating CONNECT proxy", () => {
  const ipOnly = useLocalAws({ tls: { cert: IP_ONLY.cert, key: IP_ONLY.key } });
  const otherIp = useLocalAws({ tls: { cert: OTHER_IP.cert, key: OTHER_IP.key } });
  const proxy = useProxy({ user: PROXY_USER, password: PROXY_PASSWORD });
  const clients: LambdaClient[] = [];

  afterAll(() => {
    for (const client of clients) {
      client.destroy();
    }
  });

  const tunnelTrusting = (ca: string) =>
    createProxyAgent({
      keepAlive: true,
      rejectUnauthorized: true,
      ca: [ca],
      proxyUrl: proxy().url,
    });

  const invokeEcho = (endpoint: string, httpsAgent: Agent) => {
    const client = new LambdaClient({
      endpoint,
      region: DEMO_REGION,
      credentials: { accessKeyId: DEMO.accessKeyId, secretAccessKey: DEMO.secretAccessKey },
      requestHandler: new NodeHttpHandler({ httpsAgent }),
      maxAttempts: 1,
    });
    clients.push(client);
    return client.send(
      new InvokeCommand({ FunctionName: "echo", Payload: JSON.stringify({ via: "tunnel" }) }),
    );
  };

  it("verifies an IP-only certificate against the endpoint's IP", async () => {
    // Prepare
    const from = proxy().carried.length;

    // Act
    const result = await invokeEcho(ipOnly().url, tunnelTrusting(IP_ONLY.cert));

    // Assess
    expect(ipOnly().url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(JSON.parse(new TextDecoder().decode(result.Payload))).toMatchObject({
      event: { via: "tunnel" },
    });
    expect(proxy().carried.slice(from)).toEqual([new URL(ipOnly().url).host]);
  });

  it("shows the defect: plain HttpsProxyAgent checks the certificate against 'localhost'", async () => {
    const from = proxy().carried.length;
    const plain = new TrustingHttpsProxyAgent(proxy().url, { keepAlive: true });

    const call = invokeEcho(ipOnly().url, plain);

    await expect(call).rejects.toMatchObject({
      code: "ERR_TLS_CERT_ALTNAME_INVALID",
      message: expect.stringContaining("Host: localhost."),
    });
    expect(proxy().carried.slice(from)).toEqual([new URL(ipOnly().url).host]);
  });

  it.each([
    {
      wrong: "an IP the certificate does not name",
      endpoint: () => otherIp().url,
      ca: OTHER_IP.cert,
      says: "IP: 127.0.0.1 is not in the cert's list",
    },
    {
      wrong: "a host name the certificate does not name",
      endpoint: () => ipOnly().url.replace("127.0.0.1", "localhost"),
      ca: IP_ONLY.cert,
      says: "Host: localhost.",
    },
  ])("still refuses a trusted certificate for $wrong", async ({ endpoint, ca, says }) => {
    const call = invokeEcho(endpoint(), tunnelTrusting(ca));

    await expect(call).rejects.toMatchObject({
      code: "ERR_TLS_CERT_ALTNAME_INVALID",
      message: expect.stringContaining(says),
    });
  });

  it("checks nothing when rejectUnauthorized is false", async () => {
    const agent = createProxyAgent({
      keepAlive: true,
      rejectUnauthorized: false,
      proxyUrl: proxy().url,
    });

    const result = await invokeEcho(otherIp().url, agent);

    expect(result.StatusCode).toBe(200);
  });
});
