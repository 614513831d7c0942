import { createHash } from "node:crypto";
import { createServer, Agent as HttpAgent, type Server } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  openPackageDownload,
  PackageRefusedError,
  sourceOf,
} from "../../../src/aws/presignedDownload.js";
import { rejectedConnectorError } from "../../fixtures.js";

const PACKAGE = Buffer.from("PK\u0003\u0004 a small deployment package, 4 KiB of it ".repeat(64));
const LIMIT = 1024 * 1024;
const QUERY = "?X-Amz-Signature=0123456789abcdef&X-Amz-Credential=ASIAEXAMPLE";

/** Answers by path: each a way a download can go wrong. */
function answer(path: string, res: import("node:http").ServerResponse): void {
  switch (path) {
    case "/ok":
      res.writeHead(200, { "content-length": PACKAGE.length }).end(PACKAGE);
      return;
    case "/announces-too-much":
      res.writeHead(200, { "content-length": LIMIT + 1 });
      res.flushHeaders();
      return;
    case "/streams-too-much":
      res.writeHead(200);
      for (let sent = 0; sent <= LIMIT; sent += PACKAGE.length) {
        res.write(PACKAGE);
      }
      res.end();
      return;
    case "/short":
      res.writeHead(200, { "content-length": PACKAGE.length });
      res.write(PACKAGE.subarray(0, 100), () => res.destroy());
      return;
    case "/expired":
      res.writeHead(403).end("<Error><Code>AccessDenied</Code></Error>");
      return;
    default:
      res.writeHead(404).end();
  }
}

describe("openPackageDownload", () => {
  let server: Server;
  let base: string;
  const agents = { http: new HttpAgent(), https: new HttpsAgent() };

  beforeAll(async () => {
    server = createServer((req, res) => answer(new URL(req.url ?? "/", "http://x").pathname, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const open = (path: string, expectedBytes?: number, signal = AbortSignal.timeout(10_000)) =>
    openPackageDownload(`${base}${path}${QUERY}`, {
      agents,
      signal,
      maxBytes: LIMIT,
      expectedBytes,
      what: "the package of echo",
    });

  const drain = async (download: Awaited<ReturnType<typeof open>>) => {
    await pipeline(download.body, new Writable({ write: (_chunk, _encoding, done) => done() }));
    return download.digest();
  };

  it("hashes and counts the bytes as they stream", async () => {
    const download = await open("/ok", PACKAGE.length);

    const digest = await drain(download);

    expect(digest).toEqual({
      sha256Hex: createHash("sha256").update(PACKAGE).digest("hex"),
      sha256Base64: createHash("sha256").update(PACKAGE).digest("base64"),
      bytes: PACKAGE.length,
    });
    expect(download.source).toBe(`${base}/ok`);
  });

  it("refuses a size AWS announces over the limit before sending anything", async () => {
    const error = await rejectedConnectorError(open("/nothing-listens-here", LIMIT + 1));

    expect(error).toBeInstanceOf(PackageRefusedError);
    expect(error.code).toBe("payload_too_large");
  });

  it("refuses a Content-Length over the limit before reading the body", async () => {
    const error = await rejectedConnectorError(open("/announces-too-much"));

    expect(error.code).toBe("payload_too_large");
    expect(error.message).toContain(`${LIMIT + 1} bytes`);
    expect(error.message).not.toContain("X-Amz");
  });

  it("refuses a Content-Length that is not AWS's size", async () => {
    const error = await rejectedConnectorError(open("/ok", PACKAGE.length - 1));

    expect(error.message).toContain(`announces ${PACKAGE.length} bytes but AWS gave`);
  });

  it("stops a body without a length as soon as it passes the limit", async () => {
    const download = await open("/streams-too-much");

    const error = await rejectedConnectorError(drain(download));

    expect(error.code).toBe("payload_too_large");
  });

  it("fails a body cut short of its announced length", async () => {
    const download = await open("/short", PACKAGE.length);

    const error = await rejectedConnectorError(drain(download));

    expect(error.code).toBe("endpoint_error");
    expect(error.message).toContain(`of the ${PACKAGE.length} announced`);
  });

  it("names an expired URL as refused, without its query", async () => {
    const error = await rejectedConnectorError(open("/expired"));

    expect(error).toMatchObject({ code: "access_denied", httpStatus: 403 });
    expect(error.message).toContain(`${base}/expired answered HTTP 403`);
    expect(error.message).not.toContain("Signature");
  });

  it("names the deadline when the signal has already fired", async () => {
    const error = await rejectedConnectorError(open("/ok", undefined, AbortSignal.abort()));

    expect(error.code).toBe("request_timeout");
  });

  it("prints a URL without its query string", () => {
    expect(sourceOf(`https://bucket.s3.amazonaws.com/a/b.zip${QUERY}`)).toBe(
      "https://bucket.s3.amazonaws.com/a/b.zip",
    );
    expect(sourceOf("not a url")).toBe("(unparseable URL)");
  });
});
