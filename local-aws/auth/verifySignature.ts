import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import type { HttpRequest, QueryParameterBag } from "@smithy/types";
import { headerValue } from "../http/headerValue.js";
import { parseAuthorization, type SignatureParts } from "./parseAuthorization.js";

/** A request as it arrived, before any decoding of its path. */
export interface ReceivedRequest {
  method: string;
  /** The path exactly as sent (still percent-encoded), without the query. */
  rawPath: string;
  /** The query string as sent, without the `?`. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function queryBag(rawQuery: string): QueryParameterBag {
  const bag: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    const existing = bag[key];
    bag[key] = existing === undefined ? value : [...[existing].flat(), value];
  }
  return bag;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Recomputes a request's SigV4 signature with the caller's secret and compares it with
 * the one the caller sent. The request is rebuilt from exactly the headers the caller
 * listed as signed (any other header may have been added on the way, by a proxy or the
 * HTTP stack), and signed at the caller's own `X-Amz-Date`, so the two computations see
 * the same canonical request.
 */
export async function verifySignature(
  request: ReceivedRequest,
  parts: SignatureParts,
  secretAccessKey: string,
  signingDate: Date,
): Promise<boolean> {
  const headers: Record<string, string> = {};
  for (const name of parts.signedHeaders) {
    const value = headerValue(request.headers, name);
    if (value === undefined) {
      return false;
    }
    headers[name] = value;
  }
  // The signer trusts a signed x-amz-content-sha256 as the body's hash; AWS checks it.
  const declaredHash = headers["x-amz-content-sha256"];
  if (
    declaredHash !== undefined &&
    declaredHash !== "UNSIGNED-PAYLOAD" &&
    declaredHash !== createHash("sha256").update(request.body).digest("hex")
  ) {
    return false;
  }
  const signer = new SignatureV4({
    service: parts.scope.service,
    region: parts.scope.region,
    // No session token here: when the caller signed one it is among the copied headers,
    // and when it did not, the signer must not add it.
    credentials: { accessKeyId: parts.accessKeyId, secretAccessKey },
    sha256: Sha256,
    applyChecksum: false,
  });
  const unsigned: HttpRequest = {
    method: request.method,
    protocol: "http:",
    hostname: "localhost",
    path: request.rawPath,
    query: queryBag(request.rawQuery),
    headers,
    body: request.body,
  };
  const signed = await signer.sign(unsigned, {
    signingDate,
    signableHeaders: new Set(parts.signedHeaders),
  });
  const ours = parseAuthorization(signed.headers.authorization ?? "");
  return (
    ours.ok &&
    ours.parts.signedHeaders.join(";") === parts.signedHeaders.join(";") &&
    sameText(ours.parts.signature, parts.signature)
  );
}
