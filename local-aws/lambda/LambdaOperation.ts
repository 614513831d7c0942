/** The Lambda operations the endpoint serves, by the names AWS's API reference gives them. */
export const LAMBDA_OPERATIONS = [
  "Invoke",
  "GetFunction",
  "GetFunctionConfiguration",
  "GetAccountSettings",
  "ListFunctions",
  "CreateFunction",
  "DeleteFunction",
  "ListVersionsByFunction",
  "ListAliases",
  "GetPolicy",
  "AddPermission",
  "RemovePermission",
  "GetFunctionUrlConfig",
  "CreateFunctionUrlConfig",
  "UpdateFunctionUrlConfig",
  "DeleteFunctionUrlConfig",
  "GetFunctionConcurrency",
  "PutFunctionConcurrency",
  "DeleteFunctionConcurrency",
  "ListEventSourceMappings",
  "GetEventSourceMapping",
  "UpdateEventSourceMapping",
  "TagResource",
  "UntagResource",
  "ListTags",
  "PublishLayerVersion",
  "ListLayers",
  "ListLayerVersions",
  "GetLayerVersion",
  "DeleteLayerVersion",
  "GetAlias",
  "CreateAlias",
  "UpdateAlias",
  "DeleteAlias",
  "PublishVersion",
  "UpdateFunctionConfiguration",
  "UpdateFunctionCode",
  "GetFunctionEventInvokeConfig",
  "PutFunctionEventInvokeConfig",
  "DeleteFunctionEventInvokeConfig",
  "GetLayerVersionByArn",
  "GetFunctionRecursionConfig",
  "PutFunctionRecursionConfig",
  "GetProvisionedConcurrencyConfig",
  "DeleteProvisionedConcurrencyConfig",
  "CreateEventSourceMapping",
  "DeleteEventSourceMapping",
  "ListDurableExecutionsByFunction",
  "GetDurableExecution",
  "StopDurableExecution",
  "InvokeWithResponseStream",
  "GetFunctionCodeSigningConfig",
  "ListFunctionEventInvokeConfigs",
] as const;

/**
 * One Lambda operation the endpoint serves: what the request log calls `action` and what
 * a fault may target.
 *
 * @example
 * ```ts
 * const operation: LambdaOperation = "ListFunctions";
 * aws.faults.failNext(1, 503, { operation });
 * ```
 */
export type LambdaOperation = (typeof LAMBDA_OPERATIONS)[number];
