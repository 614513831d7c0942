import type { IncomingHttpHeaders } from "node:http";
import { headerValue } from "./headerValue.js";

const SCOPE_SERVICE = /Credential=[^/,]*\/\d{8}\/[^/,]*\/(?<service>[^/,]+)\//;
/** Lambda's REST API versions its paths by date: `/2015-03-31/functions/…`. */
const LAMBDA_PATH = /^\/\d{4}-\d{2}-\d{2}\//;

/**
 * Which service a request is for. The path decides first, as the endpoint's host name
 * would on AWS: Lambda's dated REST paths, or STS's query protocol at `/`. Any other path
 * goes by the signature's credential scope, as does EC2's query protocol at `/`. The chosen service then checks that the
 * scope names it, so a mismatch gets AWS's "Credential should be scoped to correct
 * service" answer.
 */
export function serviceOf(rawPath: string, headers: IncomingHttpHeaders): "lambda" | "sts" | "ec2" {
  if (LAMBDA_PATH.test(rawPath)) {
    return "lambda";
  }
  const scoped = SCOPE_SERVICE.exec(headerValue(headers, "authorization") ?? "")?.groups?.service;
  // EC2 speaks the query protocol at `/` too; only the scope tells it from STS.
  if (scoped === "ec2") {
    return "ec2";
  }
  if (rawPath === "/") {
    return "sts";
  }
  return scoped === "lambda" ? "lambda" : "sts";
}
