import type { IncomingHttpHeaders } from "node:http";
import { headerValue } from "./headerValue.js";

const SCOPE_SERVICE = /Credential=[^/,]*\/\d{8}\/[^/,]*\/(?<service>[^/,]+)\//;
/** Lambda's REST API versions its paths by date: `/2015-03-31/functions/…`. */
const LAMBDA_PATH = /^\/\d{4}-\d{2}-\d{2}\//;

/**
 * Which service a request is for. The path decides first, as the endpoint's host name
 * would on AWS: Lambda's dated REST paths, or the query protocol at `/`, which is STS's
 * unless the signature's credential scope names IAM or EC2 (on AWS their host names tell
 * them apart). Any other path goes by that scope. The chosen service then checks that the
 * scope names it, so a mismatch gets AWS's "Credential should be scoped to correct
 * service" answer.
 */
export function serviceOf(
  rawPath: string,
  headers: IncomingHttpHeaders,
): "lambda" | "sts" | "iam" | "ec2" {
  if (LAMBDA_PATH.test(rawPath)) {
    return "lambda";
  }
  const scoped = SCOPE_SERVICE.exec(headerValue(headers, "authorization") ?? "")?.groups?.service;
  // IAM, EC2 and STS share the query protocol at `/`; only the scope tells them apart here.
  if (scoped === "iam" || scoped === "ec2") {
    return scoped;
  }
  if (rawPath === "/") {
    return "sts";
  }
  return scoped === "lambda" ? "lambda" : "sts";
}
