import type { LambdaOperation } from "./LambdaOperation.js";

/** The operation a request's method and path name, and the path's labels. */
export interface LambdaRoute {
  operation: LambdaOperation;
  /** The path's labels by the model's names (`FunctionName`, `UUID`, …), still URL-encoded. */
  labels: Record<string, string>;
}

/**
 * Lambda's REST bindings, as its model lays them out: method, path template, operation.
 * Each API version prefix is part of the path, as on AWS: the concurrency calls alone
 * use two different ones.
 */
const BINDINGS: [method: string, template: string, operation: LambdaOperation][] = [
  ["GET", "/2016-08-19/account-settings", "GetAccountSettings"],
  ["GET", "/2015-03-31/functions", "ListFunctions"],
  ["POST", "/2015-03-31/functions", "CreateFunction"],
  ["GET", "/2015-03-31/functions/{FunctionName}", "GetFunction"],
  ["DELETE", "/2015-03-31/functions/{FunctionName}", "DeleteFunction"],
  ["GET", "/2015-03-31/functions/{FunctionName}/configuration", "GetFunctionConfiguration"],
  ["POST", "/2015-03-31/functions/{FunctionName}/invocations", "Invoke"],
  ["GET", "/2015-03-31/functions/{FunctionName}/versions", "ListVersionsByFunction"],
  ["GET", "/2015-03-31/functions/{FunctionName}/aliases", "ListAliases"],
  ["GET", "/2015-03-31/functions/{FunctionName}/policy", "GetPolicy"],
  ["POST", "/2015-03-31/functions/{FunctionName}/policy", "AddPermission"],
  ["DELETE", "/2015-03-31/functions/{FunctionName}/policy/{StatementId}", "RemovePermission"],
  ["GET", "/2021-10-31/functions/{FunctionName}/url", "GetFunctionUrlConfig"],
  ["POST", "/2021-10-31/functions/{FunctionName}/url", "CreateFunctionUrlConfig"],
  ["PUT", "/2021-10-31/functions/{FunctionName}/url", "UpdateFunctionUrlConfig"],
  ["DELETE", "/2021-10-31/functions/{FunctionName}/url", "DeleteFunctionUrlConfig"],
  ["GET", "/2019-09-30/functions/{FunctionName}/concurrency", "GetFunctionConcurrency"],
  ["PUT", "/2017-10-31/functions/{FunctionName}/concurrency", "PutFunctionConcurrency"],
  ["DELETE", "/2017-10-31/functions/{FunctionName}/concurrency", "DeleteFunctionConcurrency"],
  ["GET", "/2015-03-31/event-source-mappings", "ListEventSourceMappings"],
  ["GET", "/2015-03-31/event-source-mappings/{UUID}", "GetEventSourceMapping"],
  ["PUT", "/2015-03-31/event-source-mappings/{UUID}", "UpdateEventSourceMapping"],
  ["POST", "/2017-03-31/tags/{Resource}", "TagResource"],
  ["DELETE", "/2017-03-31/tags/{Resource}", "UntagResource"],
  ["GET", "/2017-03-31/tags/{Resource}", "ListTags"],
  ["GET", "/2018-10-31/layers", "ListLayers"],
  ["POST", "/2018-10-31/layers/{LayerName}/versions", "PublishLayerVersion"],
  ["GET", "/2018-10-31/layers/{LayerName}/versions", "ListLayerVersions"],
  ["GET", "/2018-10-31/layers/{LayerName}/versions/{VersionNumber}", "GetLayerVersion"],
  ["DELETE", "/2018-10-31/layers/{LayerName}/versions/{VersionNumber}", "DeleteLayerVersion"],
  ["GET", "/2015-03-31/functions/{FunctionName}/aliases/{Name}", "GetAlias"],
  ["POST", "/2015-03-31/functions/{FunctionName}/aliases", "CreateAlias"],
  ["PUT", "/2015-03-31/functions/{FunctionName}/aliases/{Name}", "UpdateAlias"],
  ["DELETE", "/2015-03-31/functions/{FunctionName}/aliases/{Name}", "DeleteAlias"],
  ["POST", "/2015-03-31/functions/{FunctionName}/versions", "PublishVersion"],
  ["PUT", "/2015-03-31/functions/{FunctionName}/configuration", "UpdateFunctionConfiguration"],
  ["PUT", "/2015-03-31/functions/{FunctionName}/code", "UpdateFunctionCode"],
  [
    "GET",
    "/2019-09-25/functions/{FunctionName}/event-invoke-config",
    "GetFunctionEventInvokeConfig",
  ],
  [
    "PUT",
    "/2019-09-25/functions/{FunctionName}/event-invoke-config",
    "PutFunctionEventInvokeConfig",
  ],
  [
    "DELETE",
    "/2019-09-25/functions/{FunctionName}/event-invoke-config",
    "DeleteFunctionEventInvokeConfig",
  ],
  ["GET", "/2024-08-31/functions/{FunctionName}/recursion-config", "GetFunctionRecursionConfig"],
  ["PUT", "/2024-08-31/functions/{FunctionName}/recursion-config", "PutFunctionRecursionConfig"],
  [
    "GET",
    "/2019-09-30/functions/{FunctionName}/provisioned-concurrency",
    "GetProvisionedConcurrencyConfig",
  ],
  [
    "DELETE",
    "/2019-09-30/functions/{FunctionName}/provisioned-concurrency",
    "DeleteProvisionedConcurrencyConfig",
  ],
  ["POST", "/2015-03-31/event-source-mappings", "CreateEventSourceMapping"],
  ["DELETE", "/2015-03-31/event-source-mappings/{UUID}", "DeleteEventSourceMapping"],
  [
    "GET",
    "/2025-12-01/functions/{FunctionName}/durable-executions",
    "ListDurableExecutionsByFunction",
  ],
  ["GET", "/2025-12-01/durable-executions/{DurableExecutionArn}", "GetDurableExecution"],
  ["POST", "/2025-12-01/durable-executions/{DurableExecutionArn}/stop", "StopDurableExecution"],
  [
    "POST",
    "/2021-11-15/functions/{FunctionName}/response-streaming-invocations",
    "InvokeWithResponseStream",
  ],
  [
    "GET",
    "/2020-06-30/functions/{FunctionName}/code-signing-config",
    "GetFunctionCodeSigningConfig",
  ],
  [
    "GET",
    "/2019-09-25/functions/{FunctionName}/event-invoke-config/list",
    "ListFunctionEventInvokeConfigs",
  ],
];

/** A template as a pattern: each `{Label}` takes one path segment; a trailing slash is allowed. */
function compile(template: string): RegExp {
  const body = template.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)");
  return new RegExp(`^${body}/?$`);
}

const ROUTES = BINDINGS.map(([method, template, operation]) => ({
  method,
  pattern: compile(template),
  operation,
}));

/**
 * Which Lambda operation a request is, by its method and path, as Lambda's REST-JSON
 * bindings lay them out; undefined for a path or method the endpoint does not serve.
 * (The SDK sends `/2015-03-31/functions`, the API reference shows a trailing slash: both
 * are accepted.)
 *
 * @example
 * ```ts
 * lambdaRoute("POST", "/2015-03-31/functions/echo%3Alive/invocations");
 * // { operation: "Invoke", labels: { FunctionName: "echo%3Alive" } }
 * lambdaRoute("GET", "/2016-08-19/account-settings"); // { operation: "GetAccountSettings", labels: {} }
 * ```
 */
export function lambdaRoute(
  method: string,
  rawPath: string,
  rawQuery = "",
): LambdaRoute | undefined {
  // GetLayerVersionByArn shares ListLayers' path; its query tells them apart.
  if (
    method === "GET" &&
    /^\/2018-10-31\/layers\/?$/.test(rawPath) &&
    new URLSearchParams(rawQuery).get("find") === "LayerVersion"
  ) {
    return { operation: "GetLayerVersionByArn", labels: {} };
  }
  for (const route of ROUTES) {
    const match = route.method === method ? route.pattern.exec(rawPath) : null;
    if (match !== null) {
      return { operation: route.operation, labels: { ...match.groups } };
    }
  }
  return undefined;
}
