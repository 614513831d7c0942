import {
  GetFunctionRecursionConfigCommand,
  type GetFunctionRecursionConfigCommandOutput,
  GetFunctionUrlConfigCommand,
  type GetFunctionUrlConfigCommandOutput,
  GetPolicyCommand,
  type GetPolicyCommandOutput,
  ListAliasesCommand,
  ListEventSourceMappingsCommand,
  ListFunctionEventInvokeConfigsCommand,
  ListProvisionedConcurrencyConfigsCommand,
  ListVersionsByFunctionCommand,
} from "@aws-sdk/client-lambda";
import type { MetadataBearer } from "@smithy/types";
import type { AwsCall } from "../../aws/call.js";
import type { Executor, SdkCommand } from "../../aws/executor.js";
import { functionArnFor } from "../../aws/functionName.js";
import { ConnectorError } from "../../errors.js";
import { onFunction, parseJsonText } from "../fields.js";
import { MAX_ITEMS_LIMIT, pageMembers } from "../pagination.js";
import { isMissingFunction } from "../reads.js";

/** The function a snapshot is of: its name and the qualifier the inputs gave. */
export interface SnapshotTarget {
  function_name: string;
  qualifier?: string | undefined;
}

/** One part of the snapshot: what AWS answered, or why it could not be read. */
export type SnapshotPart =
  | { taken: true; value: unknown }
  | { taken: false; reason: { code: string; message: string } };

/** A read of one part: a single call, or a paginated walk of every page. */
interface PartRead {
  /** The part's key in the snapshot and in the output's `parts`. */
  part: string;
  call: AwsCall<SnapshotTarget>;
  read(executor: Executor, target: SnapshotTarget): Promise<unknown>;
}

/** Whether a ResourceNotFoundException means "nothing configured" rather than a missing function. */
function nothingConfigured(error: unknown): boolean {
  return (
    error instanceof ConnectorError &&
    error.awsErrorCode === "ResourceNotFoundException" &&
    !isMissingFunction(error.cause instanceof Error ? error.cause.message : "")
  );
}

const unqualified = (target: SnapshotTarget): SnapshotTarget => ({
  function_name: target.function_name,
});

/** A call on the function itself, unqualified: the listings refuse a qualified name. */
function onUnqualified(operation: string): AwsCall<SnapshotTarget> {
  return {
    operation,
    ...onFunction,
    resource: (inputs, where) => functionArnFor(inputs.function_name, where),
    target: (inputs) => onFunction.target(unqualified(inputs)),
    qualifier: "",
    retry: "idempotent",
  };
}

/** A single read; `absent` is what a "nothing configured" answer stands for. */
function single<Response extends MetadataBearer>(
  part: string,
  call: AwsCall<SnapshotTarget>,
  command: (target: SnapshotTarget) => SdkCommand,
  map: (response: Response) => unknown,
  absent?: unknown,
): PartRead {
  return {
    part,
    call,
    async read(executor, target) {
      try {
        return map(await executor.send<Response, SnapshotTarget>(call, command(target), target));
      } catch (error) {
        if (absent !== undefined && nothingConfigured(error)) {
          return absent;
        }
        throw error;
      }
    },
  };
}

/** A listing command of one function, paged by `Marker` and `MaxItems`. */
type ListingCommand = new (input: {
  FunctionName: string;
  Marker?: string;
  MaxItems?: number;
}) => SdkCommand;

/**
 * A paginated read whose answer lists its items under `member`, walked to the end. A
 * walk the executor cut short (an endpoint that never stops giving markers) fails the
 * part: a snapshot claims to be whole or says why not.
 */
function paged(part: string, operation: string, Command: ListingCommand, member: string): PartRead {
  const call = onUnqualified(operation);
  return {
    part,
    call,
    async read(executor, target) {
      const page = await executor.paginate<
        MetadataBearer & Record<string, unknown>,
        unknown,
        SnapshotTarget
      >(
        call,
        {
          command: (request) =>
            new Command({ FunctionName: target.function_name, ...pageMembers(request) }),
          items: (response) => (response[member] as unknown[] | undefined) ?? [],
          nextMarker: (response) => response.NextMarker as string | undefined,
          maxItems: MAX_ITEMS_LIMIT,
        },
        target,
      );
      if (page.truncated) {
        throw new ConnectorError(
          "endpoint_error",
          `${operation} did not finish: ${page.items.length} item(s) read before the walk stopped.`,
          { hint: "Take the evidence again; the part is left out rather than given half." },
        );
      }
      return page.items;
    },
  };
}

const onTarget = (operation: string): AwsCall<SnapshotTarget> => ({
  operation,
  ...onFunction,
  retry: "idempotent",
});

/**
 * Every part of the configuration snapshot besides GetFunction's own answer, each with
 * the call it needs. Reads the endpoint does not serve or the role may not make leave
 * their part out with the reason.
 */
export const SNAPSHOT_READS: readonly PartRead[] = [
  single<GetPolicyCommandOutput>(
    "resource_policy",
    onTarget("GetPolicy"),
    (target) =>
      new GetPolicyCommand({
        FunctionName: target.function_name,
        ...(target.qualifier === undefined ? {} : { Qualifier: target.qualifier }),
      }),
    (response) => ({
      revision_id: response.RevisionId ?? null,
      policy: parseJsonText(response.Policy) ?? null,
    }),
    { revision_id: null, policy: null },
  ),
  paged("versions", "ListVersionsByFunction", ListVersionsByFunctionCommand, "Versions"),
  paged("aliases", "ListAliases", ListAliasesCommand, "Aliases"),
  paged(
    "event_source_mappings",
    "ListEventSourceMappings",
    ListEventSourceMappingsCommand,
    "EventSourceMappings",
  ),
  paged(
    "provisioned_concurrency",
    "ListProvisionedConcurrencyConfigs",
    ListProvisionedConcurrencyConfigsCommand,
    "ProvisionedConcurrencyConfigs",
  ),
  paged(
    "event_invoke_configs",
    "ListFunctionEventInvokeConfigs",
    ListFunctionEventInvokeConfigsCommand,
    "FunctionEventInvokeConfigs",
  ),
  single<GetFunctionRecursionConfigCommandOutput>(
    "recursion_config",
    onUnqualified("GetFunctionRecursionConfig"),
    (target) => new GetFunctionRecursionConfigCommand({ FunctionName: target.function_name }),
    (response) => ({ recursive_loop: response.RecursiveLoop ?? null }),
  ),
];

/**
 * The function URL of the function and of each alias (a version never has one): read
 * one by one, since each answer is the URL's whole configuration.
 */
export async function readFunctionUrls(
  executor: Executor,
  target: SnapshotTarget,
  aliases: readonly string[],
): Promise<unknown[]> {
  const urls: unknown[] = [];
  for (const qualifier of [undefined, ...aliases]) {
    const where: SnapshotTarget =
      qualifier === undefined ? unqualified(target) : { ...unqualified(target), qualifier };
    try {
      const { $metadata: _, ...url } = await executor.send<
        GetFunctionUrlConfigCommandOutput,
        SnapshotTarget
      >(
        FUNCTION_URL_CALL,
        new GetFunctionUrlConfigCommand({
          FunctionName: where.function_name,
          ...(qualifier === undefined ? {} : { Qualifier: qualifier }),
        }),
        where,
      );
      urls.push({ qualifier: qualifier ?? null, ...url });
    } catch (error) {
      if (!nothingConfigured(error)) {
        throw error;
      }
    }
  }
  return urls;
}

/** GetFunctionUrlConfig, on the function or one alias. */
export const FUNCTION_URL_CALL = onTarget("GetFunctionUrlConfig");

/**
 * Reads `read` into a part: its value, or the reason it could not be taken. Only the
 * connector's own errors (AWS's refusals, unserved operations, network failures) are
 * reasons; anything else is a bug and propagates.
 */
export async function takePart(run: () => Promise<unknown>): Promise<SnapshotPart> {
  try {
    return { taken: true, value: await run() };
  } catch (error) {
    if (error instanceof ConnectorError) {
      return { taken: false, reason: { code: error.code, message: error.message } };
    }
    throw error;
  }
}
