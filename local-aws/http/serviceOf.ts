import type { IncomingHttpHeaders } from "node:http";
import { headerValue } from "./headerValue.js";

const SCOPE_SERVICE = /Credential=[^/,]*\/\d{8}\/[^/,]*\/(?<service>[^/,]+)\//;
/** Lambda's REST API versions its paths by date: `/2015-03-31/functions/…`. */
const LAMBDA_PATH = /^\/\d{4}-\d{2}-\d{2}\//;

/**
 * Which service a request is for. The path decides first, as the endpoint's host name
 * would on AWS: Lambda's dated REST paths, or STS's query protocol at `/`. Any other path
 * goes by the signature's credential scope. The chosen service then checks that the
 * scope names it, so a mismatch gets AWS's "Credential should be scoped to correct
 * service" answer.
 */
export function serviceOf(rawPath: string, headers: IncomingHttpHeaders): "lambda" | "sts" {
  if (LAMBDA_PATH.test(rawPath)) {
    return "lambda";
  }
  if (rawPath === "/") {
    return "sts";
  }
  const scoped = SCOPE_SERVICE.exec(headerValue(headers, "authorization") ?? "")?.groups?.service;
  return scoped === "lambda" ? "lambda" : "sts";
}
