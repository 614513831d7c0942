import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
} from "@aws-sdk/client-lambda";
import type { AwsCall } from "../aws/call.js";
import type { SdkCommand } from "../aws/executor.js";
import { functionMembers, onFunction } from "./fields.js";

/** The inputs every read of one function takes. */
export interface FunctionInputs {
  function_name: string;
  qualifier?: string | undefined;
}

/**
 * A read of one function (and qualifier) that several actions make: as their call, or
 * as the read before their change. An action spreads it and adds its own mapping.
 *
 * @example
 * ```ts
 * call: { ...getFunction, output: (response: GetFunctionCommandOutput) => ({ … }) },
 * before: { ...getFunction, read: (response: GetFunctionCommandOutput) => response.Tags ?? {} },
 * ```
 */
export interface FunctionRead extends AwsCall<FunctionInputs> {
  command: (inputs: FunctionInputs) => SdkCommand;
}

/** The read `operation`, sent as `Command` on the inputs' function and qualifier. */
function functionRead(
  operation: string,
  Command: new (input: { FunctionName: string; Qualifier?: string }) => SdkCommand,
): FunctionRead {
  return {
    operation,
    ...onFunction,
    retry: "idempotent",
    command: (inputs) => new Command(functionMembers(inputs)),
  };
}

/** GetFunction: configuration, code, tags and reserved concurrency. */
export const getFunction = functionRead("GetFunction", GetFunctionCommand);

/** GetFunctionConfiguration: the configuration and state alone. */
export const getFunctionConfiguration = functionRead(
  "GetFunctionConfiguration",
  GetFunctionConfigurationCommand,
);

/** GetPolicy: the resource-based policy; see {@link unlessFunctionMissing} for a function without one. */
export const getPolicy = functionRead("GetPolicy", GetPolicyCommand);

/** GetFunctionUrlConfig: the function URL; see {@link unlessFunctionMissing} for a function without one. */
export const getFunctionUrlConfig = functionRead(
  "GetFunctionUrlConfig",
  GetFunctionUrlConfigCommand,
);

/**
 * Lambda answers GetPolicy on a function without a policy with ResourceNotFoundException
 * "The resource you requested does not exist."; a missing function says "Function not found".
 */
export function isMissingFunction(awsMessage: string): boolean {
  return /function not found/i.test(awsMessage);
}

/**
 * The `absent` of a read whose ResourceNotFoundException means "nothing configured" (no
 * policy, no URL): `nothing` then, while a missing function stays a failure.
 *
 * @example
 * ```ts
 * before: { ...getFunctionUrlConfig, read: describeUrl, absent: unlessFunctionMissing(() => NO_URL) },
 * ```
 */
export function unlessFunctionMissing<Inputs, T>(
  nothing: (inputs: Inputs) => T,
): (inputs: Inputs, awsMessage: string) => T | undefined {
  return (inputs, awsMessage) => (isMissingFunction(awsMessage) ? undefined : nothing(inputs));
}
