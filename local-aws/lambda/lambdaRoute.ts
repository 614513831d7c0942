import type { LambdaOperation } from "./LambdaOperation.js";

/** The operation a request's method and path name, and the function label when it has one. */
export type LambdaRoute =
  | { operation: "GetAccountSettings" | "ListFunctions" }
  | {
      operation: "Invoke" | "GetFunction" | "GetFunctionConfiguration";
      /** The `{FunctionName}` label, still URL-encoded. */
      encodedName: string;
    };

const FUNCTION_ROUTE =
  /^\/2015-03-31\/functions\/(?<name>[^/]+)(?<rest>\/invocations|\/configuration)?\/?$/;
/** The SDK sends `/2015-03-31/functions`, the API reference shows a trailing slash. */
const LIST_FUNCTIONS_ROUTE = /^\/2015-03-31\/functions\/?$/;
const ACCOUNT_SETTINGS_ROUTE = /^\/2016-08-19\/account-settings\/?$/;

/**
 * Which Lambda operation a request is, by its method and path, as Lambda's REST-JSON
 * bindings lay them out; undefined for a path or method the endpoint does not serve.
 *
 * @example
 * ```ts
 * lambdaRoute("POST", "/2015-03-31/functions/echo%3Alive/invocations");
 * // { operation: "Invoke", encodedName: "echo%3Alive" }
 * lambdaRoute("GET", "/2016-08-19/account-settings"); // { operation: "GetAccountSettings" }
 * ```
 */
export function lambdaRoute(method: string, rawPath: string): LambdaRoute | undefined {
  if (method === "GET" && ACCOUNT_SETTINGS_ROUTE.test(rawPath)) {
    return { operation: "GetAccountSettings" };
  }
  if (method === "GET" && LIST_FUNCTIONS_ROUTE.test(rawPath)) {
    return { operation: "ListFunctions" };
  }
  const match = FUNCTION_ROUTE.exec(rawPath)?.groups;
  if (match?.name === undefined) {
    return undefined;
  }
  const operation: LambdaOperation | undefined =
    match.rest === "/invocations" && method === "POST"
      ? "Invoke"
      : match.rest === undefined && method === "GET"
        ? "GetFunction"
        : match.rest === "/configuration" && method === "GET"
          ? "GetFunctionConfiguration"
          : undefined;
  return operation === undefined ? undefined : { operation, encodedName: match.name };
}
