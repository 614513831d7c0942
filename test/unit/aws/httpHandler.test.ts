import { once } from "node:events";
import { readFileSync } from "node:fs";
import { Agent as HttpAgent, type IncomingMessage, type ServerResponse } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { HttpRequest } from "@smithy/core/protocols";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type Agents,
  agentsOf,
  CONNECTION_TIMEOUT_MS,
  CONTROL_PLANE_TIMEOUT_MS,
  createAgents,
  createHttpHandler,
  createStreamAgents,
  describeProxyFor,
  type HttpHandler,
  INVOKE_TIMEOUT_MS,
  MAX_RESPONSE_BYTES,
  ResponseTooLargeError,
} from "../../../src/aws/httpHandler.js";
import {
  isRequestTimeout,
  isTlsFailure,
  networkErrorCode,
} from "../../../src/aws/networkErrors.js";
import {
  type LocalServer,
  PROXY_PASSWORD,
  PROXY_URL,
  rejectedConnectorError,
  startLocalServer,
  withoutProxyEnvironment,
} from "../../fixtures.js";

const LAMBDA_URL = "https://lambda.us-east-1.amazonaws.com";
const TLS_DIR = resolve(import.meta.dirname, "..", "..", "fixtures", "tls");
/** Self-signed, names 127.0.0.1: trusted only when a CA bundle names it. */
const LOCALHOST_CERT = join(TLS_DIR, "localhost.crt");
const LOCALHOST = {
  cert: readFileSync(LOCALHOST_CERT, "utf8"),
  key: readFileSync(join(TLS_DIR, "localhost.key"), "utf8"),
};
/** Another self-signed certificate: a bundle holding only it does not trust LOCALHOST. */
const OTHER_CERT = join(TLS_DIR, "other-ip.crt");

const answerOk = (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("ok");
};

/** GETs `/` of `url` through `handler`, reads the whole answer, and gives its status or the failure. */
async function get(
  handler: HttpHandler,
  url: string,
  options: { requestTimeout?: number } = {},
): Promise<number | unknown> {
  const { protocol, port } = new URL(url);
  try {
    const { response } = await handler.handle(
      new HttpRequest({ protocol, hostname: "127.0.0.1", port: Number(port), path: "/" }),
      options,
    );
    const body = response.body as IncomingMessage;
    body.resume();
    await once(body, "end");
    return response.statusCode;
  } catch (error) {
    return error;
  }
}

describe("describeProxyFor", () => {
  beforeEach(() => {
    withoutProxyEnvironment();
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

describe("deadlines", () => {
  it("waits longer than Lambda's 900 s maximum for an invocation", () => {
    expect(INVOKE_TIMEOUT_MS).toBeGreaterThan(900_000);
  });

  it("gives control-plane calls 30 s", () => {
    expect(CONTROL_PLANE_TIMEOUT_MS).toBe(30_000);
  });
});

describe("createAgents and createHttpHandler", () => {
  const servers: LocalServer[] = [];
  const handlers: HttpHandler[] = [];

  const serve = async (...args: Parameters<typeof startLocalServer>) => {
    const server = await startLocalServer(...args);
    servers.push(server);
    return server;
  };
  const handlerOn = (agents: Agents, requestTimeoutMs = CONTROL_PLANE_TIMEOUT_MS) => {
    const handler = createHttpHandler(agents, requestTimeoutMs);
    handlers.push(handler);
    return handler;
  };
  const direct = (verifySsl = true) => createAgents({ proxyUrl: undefined, verifySsl });

  beforeEach(() => {
    withoutProxyEnvironment();
    vi.stubEnv("AWS_CA_BUNDLE", "");
    vi.stubEnv("NODE_EXTRA_CA_CERTS", "");
  });

  afterEach(async () => {
    for (const handler of handlers.splice(0)) {
      handler.destroy();
    }
    await Promise.all(servers.splice(0).map((server) => server.close()));
    vi.unstubAllEnvs();
  });

  describe("the request timeout", () => {
    it("fails the call, rather than only warning, when the handler's deadline passes", async () => {
      // Prepare
      const silent = await serve();
      const handler = handlerOn(await direct(), 100);

      // Act
      const outcome = await get(handler, silent.url);

      // Assess
      expect(isRequestTimeout(outcome)).toBe(true);
    });

    it("takes a call's own deadline over the handler's", async () => {
      const silent = await serve();
      const handler = handlerOn(await direct(), CONTROL_PLANE_TIMEOUT_MS);

      const outcome = await get(handler, silent.url, { requestTimeout: 100 });

      expect(isRequestTimeout(outcome)).toBe(true);
      expect((outcome as Error).message).toContain("100 ms");
    });
  });

  describe("the answer size cap", () => {
    /** Reads the whole body of one GET through a handler capped at 1 KiB. */
    const readCapped = async (url: string) => {
      const handler = createHttpHandler(await direct(), CONTROL_PLANE_TIMEOUT_MS, 1024);
      handlers.push(handler);
      const { port } = new URL(url);
      const { response } = await handler.handle(
        new HttpRequest({
          protocol: "http:",
          hostname: "127.0.0.1",
          port: Number(port),
          path: "/",
        }),
      );
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of response.body as AsyncIterable<Buffer>) {
          chunks.push(chunk);
        }
        return Buffer.concat(chunks).byteLength;
      } catch (error) {
        return error;
      }
    };
    const answering = (bytes: number) => (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("x".repeat(bytes));
    };

    it("lets a body up to the cap through whole", async () => {
      const server = await serve(answering(1024));

      expect(await readCapped(server.url)).toBe(1024);
    });

    it("stops reading past the cap, saying the limit and the status", async () => {
      const server = await serve(answering(1025));

      const outcome = await readCapped(server.url);

      expect(outcome).toBeInstanceOf(ResponseTooLargeError);
      expect(outcome).toMatchObject({
        name: "ResponseTooLargeError",
        message: "The answer's body went past 1024 bytes; reading stopped there.",
        limit: 1024,
        status: 502,
      });
    });

    const declaring = (bytes: number) => (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(bytes) });
      res.end("x".repeat(bytes));
    };

    it("lets a body whose Content-Length is within the cap through whole (Node reads no more than it)", async () => {
      const server = await serve(declaring(1024));

      expect(await readCapped(server.url)).toBe(1024);
    });

    it("stops a body whose Content-Length is past the cap, as one sent without a length", async () => {
      const server = await serve(declaring(1025));

      expect(await readCapped(server.url)).toMatchObject({
        name: "ResponseTooLargeError",
        limit: 1024,
        status: 200,
      });
    });

    it("hands a reader each chunk as it arrived, never joined into a copy of them", async () => {
      // Four writes of 4 KiB, all sent before the client reads any of them.
      let sent!: () => void;
      const allSent = new Promise<void>((done) => {
        sent = done;
      });
      const server = await serve(async (_req: IncomingMessage, res: ServerResponse) => {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        for (let i = 0; i < 4; i++) {
          await new Promise((done) => res.write(Buffer.alloc(4096, 0x61 + i), done));
        }
        res.end(sent);
      });
      const handler = createHttpHandler(await direct(), CONTROL_PLANE_TIMEOUT_MS, 1024 * 1024);
      handlers.push(handler);
      const { response } = await handler.handle(
        new HttpRequest({
          protocol: "http:",
          hostname: "127.0.0.1",
          port: Number(new URL(server.url).port),
          path: "/",
        }),
      );
      await allSent;

      const sizes: number[] = [];
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        sizes.push(chunk.byteLength);
      }

      expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(16384);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(4096);
    });

    it("allows Lambda's 6 MB synchronous answer and 64 KB of headroom by default, no more", () => {
      expect(MAX_RESPONSE_BYTES).toBe(6 * 1024 * 1024 + 64 * 1024);
    });
  });

  describe("connections", () => {
    it("reuses one HTTPS connection across handlers on the same agents", async () => {
      // Prepare
      const server = await serve(answerOk, LOCALHOST);
      const agents = await direct(false);
      const lambda = handlerOn(agents);
      const sts = handlerOn(agents);

      // Act
      const statuses = [await get(lambda, server.url), await get(sts, server.url)];

      // Assess
      expect(statuses).toEqual([200, 200]);
      expect(server.connections()).toBe(1);
    });

    it("reuses one plain-HTTP connection straight to the host (keep-alive is off only through a proxy)", async () => {
      const server = await serve(answerOk);
      const handler = handlerOn(await direct());

      const statuses = [await get(handler, server.url), await get(handler, server.url)];

      expect(statuses).toEqual([200, 200]);
      expect(server.connections()).toBe(1);
    });
  });

  describe("one SDK handler a protocol, the https agent built on the first https request", () => {
    /** Kept-alive agents whose https agent, trusting any certificate, is built by a spy. */
    const spiedAgents = () => {
      const http = new HttpAgent({ keepAlive: true });
      const https = new HttpsAgent({ keepAlive: true, rejectUnauthorized: false });
      const buildHttps = vi.fn(() => https);
      return { agents: agentsOf(http, buildHttps), http, https, buildHttps };
    };
    /** The sockets an agent keeps open between requests. */
    const idleSockets = (agent: HttpAgent) =>
      Object.values(agent.freeSockets).flatMap((sockets) => sockets ?? []) as Socket[];

    it("never builds the https agent for plain-http requests", async () => {
      // Prepare
      const server = await serve(answerOk);
      const { agents, buildHttps } = spiedAgents();
      const handler = handlerOn(agents);

      // Act
      const statuses = [await get(handler, server.url), await get(handler, server.url)];

      // Assess
      expect(statuses).toEqual([200, 200]);
      expect(buildHttps).not.toHaveBeenCalled();
    });

    it("builds the https agent once, on the first https request, and sends every https request on it", async () => {
      // Prepare
      const server = await serve(answerOk, LOCALHOST);
      const { agents, https, buildHttps } = spiedAgents();
      const handler = handlerOn(agents);
      const built = buildHttps.mock.calls.length;

      // Act
      const statuses = [await get(handler, server.url), await get(handler, server.url)];

      // Assess
      expect(built).toBe(0);
      expect(statuses).toEqual([200, 200]);
      expect(buildHttps).toHaveBeenCalledTimes(1);
      expect(server.connections()).toBe(1);
      expect(idleSockets(https)).toHaveLength(1);
    });

    it("passes a changed request timeout to the handlers of both protocols", async () => {
      // Prepare: one request of each protocol builds both inner handlers first.
      const [plain, secure] = [await serve(answerOk), await serve(answerOk, LOCALHOST)];
      const [silentPlain, silentSecure] = [await serve(), await serve(undefined, LOCALHOST)];
      const handler = handlerOn(spiedAgents().agents, CONTROL_PLANE_TIMEOUT_MS);
      expect([await get(handler, plain.url), await get(handler, secure.url)]).toEqual([200, 200]);

      // Act
      handler.updateHttpClientConfig("requestTimeout", 100);
      const outcomes = [await get(handler, silentPlain.url), await get(handler, silentSecure.url)];

      // Assess
      expect(outcomes.map(isRequestTimeout)).toEqual([true, true]);
      expect((outcomes[1] as Error).message).toContain("100 ms");
    });

    it("builds a handler after a change with the changed options", async () => {
      const silent = await serve(undefined, LOCALHOST);
      const handler = handlerOn(spiedAgents().agents, CONTROL_PLANE_TIMEOUT_MS);

      handler.updateHttpClientConfig("requestTimeout", 100);

      expect(isRequestTimeout(await get(handler, silent.url))).toBe(true);
    });

    it("gives its options, as a copy, with any change", () => {
      // Prepare
      const handler = handlerOn(spiedAgents().agents, 1234);
      const before = handler.httpHandlerConfigs();
      before.requestTimeout = 1;

      // Act
      handler.updateHttpClientConfig("connectionTimeout", 500);

      // Assess
      expect(before.connectionTimeout).toBe(CONNECTION_TIMEOUT_MS);
      expect(handler.httpHandlerConfigs()).toEqual({
        connectionTimeout: 500,
        requestTimeout: 1234,
        throwOnRequestTimeout: true,
      });
    });

    it("closes both agents' sockets on destroy()", async () => {
      // Prepare
      const [plain, secure] = [await serve(answerOk), await serve(answerOk, LOCALHOST)];
      const { agents, http, https } = spiedAgents();
      const handler = createHttpHandler(agents, CONTROL_PLANE_TIMEOUT_MS);
      expect([await get(handler, plain.url), await get(handler, secure.url)]).toEqual([200, 200]);
      const open = [...idleSockets(http), ...idleSockets(https)];

      // Act
      handler.destroy();

      // Assess
      expect(open).toHaveLength(2);
      expect(open.map((socket) => socket.destroyed)).toEqual([true, true]);
    });

    it("leaves the https agent unbuilt on destroy() when no https request was sent", async () => {
      const server = await serve(answerOk);
      const { agents, http, buildHttps } = spiedAgents();
      const handler = createHttpHandler(agents, CONTROL_PLANE_TIMEOUT_MS);
      await get(handler, server.url);
      const open = idleSockets(http);

      handler.destroy();

      expect(open.map((socket) => socket.destroyed)).toEqual([true]);
      expect(buildHttps).not.toHaveBeenCalled();
    });
  });

  describe("TLS verification", () => {
    it("refuses a certificate nothing trusts, with a TLS error code", async () => {
      const server = await serve(answerOk, LOCALHOST);

      const outcome = await get(handlerOn(await direct()), server.url);

      expect(isTlsFailure(networkErrorCode(outcome))).toBe(true);
    });

    it("accepts any certificate with verify_ssl off", async () => {
      const server = await serve(answerOk, LOCALHOST);

      expect(await get(handlerOn(await direct(false)), server.url)).toBe(200);
    });

    it("trusts the certificates of AWS_CA_BUNDLE", async () => {
      // Prepare
      const server = await serve(answerOk, LOCALHOST);
      vi.stubEnv("AWS_CA_BUNDLE", LOCALHOST_CERT);

      // Act
      const status = await get(handlerOn(await direct()), server.url);

      // Assess
      expect(status).toBe(200);
    });

    it("also trusts NODE_EXTRA_CA_CERTS, which an AWS_CA_BUNDLE would otherwise shadow", async () => {
      const server = await serve(answerOk, LOCALHOST);
      vi.stubEnv("AWS_CA_BUNDLE", OTHER_CERT);
      vi.stubEnv("NODE_EXTRA_CA_CERTS", LOCALHOST_CERT);

      expect(await get(handlerOn(await direct()), server.url)).toBe(200);
    });

    it("refuses an unreadable AWS_CA_BUNDLE, naming it, as a fault of the machine (exit 1)", async () => {
      // Prepare
      const missing = join(tmpdir(), "no-such-ca-bundle.pem");
      vi.stubEnv("AWS_CA_BUNDLE", missing);

      // Act
      const error = await rejectedConnectorError(direct());

      // Assess
      expect(error.code).toBe("network_error");
      expect(error.exitCode).toBe(1);
      expect(error.field).toBeUndefined();
      expect(error.message).toBe(`The CA bundle ${missing} cannot be read.`);
      expect(error.hint).toContain("AWS_CA_BUNDLE");
    });
  });
});

describe("createStreamAgents", () => {
  let server: LocalServer | undefined;

  beforeEach(() => {
    withoutProxyEnvironment();
  });

  afterEach(async () => {
    vi.unstubAllEnvs();
    await server?.close();
    server = undefined;
  });

  /** 2 MB in writes of 100,000 bytes, each byte its offset mod 251: any read mixed up shows. */
  const BODY = Buffer.from(Array.from({ length: 2_000_000 }, (_, i) => i % 251));
  const answerBody = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { "content-type": "application/octet-stream" });
    for (let at = 0; at < BODY.byteLength; at += 100_000) {
      res.write(BODY.subarray(at, at + 100_000));
    }
    res.end();
  };

  /** The body of `/` of `url`, read through a handler on `agents`. */
  async function read(agents: Agents, url: string): Promise<Buffer> {
    const handler = createHttpHandler(agents, CONTROL_PLANE_TIMEOUT_MS, 4_000_000);
    try {
      const { protocol, port } = new URL(url);
      const { response } = await handler.handle(
        new HttpRequest({ protocol, hostname: "127.0.0.1", port: Number(port), path: "/" }),
      );
      const chunks: Buffer[] = [];
      for await (const chunk of response.body as IncomingMessage) {
        chunks.push(Buffer.from(chunk as Buffer));
      }
      return Buffer.concat(chunks);
    } finally {
      handler.destroy();
    }
  }

  it.each([
    ["http", undefined],
    ["https", LOCALHOST],
  ])("reads a body of many reads into one buffer a socket, intact (%s)", async (_, tls) => {
    server = await startLocalServer(answerBody, tls);

    const agents = createStreamAgents({ proxyUrl: undefined, verifySsl: false });

    expect(agents).toBeDefined();
    expect((await read(agents as Agents, server.url)).equals(BODY)).toBe(true);
  });

  it.each([
    ["the asset names a proxy", PROXY_URL, {}],
    ["HTTPS_PROXY is set", undefined, { HTTPS_PROXY: "http://env-proxy.example.com:8080" }],
  ])("leaves the run's own agents to serve when %s", (_, proxyUrl, env) => {
    for (const [name, value] of Object.entries(env)) {
      vi.stubEnv(name, value);
    }

    expect(createStreamAgents({ proxyUrl, verifySsl: true })).toBeUndefined();
  });
});
