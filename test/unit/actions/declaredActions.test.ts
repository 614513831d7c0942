import {
  CreateFunctionCommand,
  GetPolicyCommand,
  LambdaClient,
  type LambdaServiceException,
  RemovePermissionCommand,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ACTION_LIST } from "../../../src/actions/actionList.js";
import { addPermissionAction } from "../../../src/actions/add_permission/add_permission.js";
import { createAliasAction } from "../../../src/actions/create_alias/create_alias.js";
import { createEventSourceMappingAction } from "../../../src/actions/create_event_source_mapping/create_event_source_mapping.js";
import { createFunctionAction } from "../../../src/actions/create_function/create_function.js";
import { createFunctionUrlConfigAction } from "../../../src/actions/create_function_url_config/create_function_url_config.js";
import type { ActionDefinition } from "../../../src/actions/defineAction.js";
import { deleteAliasAction } from "../../../src/actions/delete_alias/delete_alias.js";
import { deleteEventSourceMappingAction } from "../../../src/actions/delete_event_source_mapping/delete_event_source_mapping.js";
import { deleteFunctionAction } from "../../../src/actions/delete_function/delete_function.js";
import { deleteFunctionConcurrencyAction } from "../../../src/actions/delete_function_concurrency/delete_function_concurrency.js";
import { deleteFunctionEventInvokeConfigAction } from "../../../src/actions/delete_function_event_invoke_config/delete_function_event_invoke_config.js";
import { deleteFunctionUrlConfigAction } from "../../../src/actions/delete_function_url_config/delete_function_url_config.js";
import { deleteLayerVersionAction } from "../../../src/actions/delete_layer_version/delete_layer_version.js";
import { deleteProvisionedConcurrencyConfigAction } from "../../../src/actions/delete_provisioned_concurrency_config/delete_provisioned_concurrency_config.js";
import { getAccountSettingsAction } from "../../../src/actions/get_account_settings/get_account_settings.js";
import { getAliasAction } from "../../../src/actions/get_alias/get_alias.js";
import { getFunctionAction } from "../../../src/actions/get_function/get_function.js";
import { getFunctionEventInvokeConfigAction } from "../../../src/actions/get_function_event_invoke_config/get_function_event_invoke_config.js";
import { getFunctionRecursionConfigAction } from "../../../src/actions/get_function_recursion_config/get_function_recursion_config.js";
import { getFunctionUrlConfigAction } from "../../../src/actions/get_function_url_config/get_function_url_config.js";
import { getPolicyAction } from "../../../src/actions/get_policy/get_policy.js";
import { getProvisionedConcurrencyConfigAction } from "../../../src/actions/get_provisioned_concurrency_config/get_provisioned_concurrency_config.js";
import { listAliasesAction } from "../../../src/actions/list_aliases/list_aliases.js";
import { listDurableExecutionsAction } from "../../../src/actions/list_durable_executions/list_durable_executions.js";
import { listEventSourceMappingsAction } from "../../../src/actions/list_event_source_mappings/list_event_source_mappings.js";
import { listFunctionsAction } from "../../../src/actions/list_functions/list_functions.js";
import { listLayerVersionsAction } from "../../../src/actions/list_layer_versions/list_layer_versions.js";
import { listLayersAction } from "../../../src/actions/list_layers/list_layers.js";
import { listVersionsByFunctionAction } from "../../../src/actions/list_versions_by_function/list_versions_by_function.js";
import { putFunctionConcurrencyAction } from "../../../src/actions/put_function_concurrency/put_function_concurrency.js";
import { putFunctionEventInvokeConfigAction } from "../../../src/actions/put_function_event_invoke_config/put_function_event_invoke_config.js";
import { putFunctionRecursionConfigAction } from "../../../src/actions/put_function_recursion_config/put_function_recursion_config.js";
import { removePermissionAction } from "../../../src/actions/remove_permission/remove_permission.js";
import { stopDurableExecutionAction } from "../../../src/actions/stop_durable_execution/stop_durable_execution.js";
import { tagFunctionAction } from "../../../src/actions/tag_function/tag_function.js";
import { untagFunctionAction } from "../../../src/actions/untag_function/untag_function.js";
import { updateAliasAction } from "../../../src/actions/update_alias/update_alias.js";
import { updateEventSourceMappingAction } from "../../../src/actions/update_event_source_mapping/update_event_source_mapping.js";
import { updateFunctionUrlConfigAction } from "../../../src/actions/update_function_url_config/update_function_url_config.js";
import type { SdkCommand } from "../../../src/aws/executor.js";
import { Executor } from "../../../src/aws/executor.js";
import { InvalidInputError } from "../../../src/errors.js";
import { parseDocument } from "../../../src/validation.js";
import {
  ACCOUNT_ID,
  accessDenied,
  FUNCTION_ARN,
  FUNCTION_NAME,
  fakeTime,
  functionNotFound,
  HANDLER_ZIP_BASE64,
  keysAsset,
  LAYER_ARN,
  LAYER_NAME,
  lambdaServiceError,
  MAPPING_UUID,
  REGION,
  REQUEST_ID,
  rejectedConnectorError,
  resourceNotFound,
  thrownConnectorError,
  validAsset,
} from "../../fixtures.js";

const lambdaMock = mockClient(LambdaClient);

/** An action made of declared calls; of its read before the change, these tests need the command. */
type DeclaredAction = ActionDefinition & { before?: { command: (inputs: never) => SdkCommand } };

/** What one declared action is expected to do when AWS refuses it, and which inputs it refuses. */
interface DeclaredCase {
  action: DeclaredAction;
  /** Valid inputs; every AWS answer below is to a run with them. */
  inputs: Record<string, unknown>;
  /** The IAM action of each call, in the order the action sends them. */
  iamActions: readonly string[];
  /** The resource IAM checks those calls on. */
  on: string;
  /**
   * What a not-found answer to the first call is about (`Function …`) and the inputs the
   * hint says to check; absent for calls about no one thing (ListFunctions).
   */
  notFound?: { what: string; check: string };
  /** Invalid inputs, each with the field the refusal names and, where it matters, what it says. */
  refuses: ReadonlyArray<readonly [Record<string, unknown>, string, string?]>;
  /** AWS's answer to the read before the change, when an empty one means "nothing to change". */
  before?: Record<string, unknown>;
  /** The calls are always on a version or alias: the hint then has the qualified-ARN rule. */
  qualified?: boolean;
}

const MAPPING_ARN = `arn:aws:lambda:${REGION}:*:event-source-mapping:${MAPPING_UUID}`;
/** A trigger for add_permission: S3 may invoke the function for one bucket of one account. */
const S3_TRIGGER = {
  function_name: FUNCTION_ARN,
  statement_id: "s3-trigger",
  principal: "s3.amazonaws.com",
  source_arn: "arn:aws:s3:::incoming-artifacts",
  source_account: ACCOUNT_ID,
};
const aboutFunction = {
  what: `Function ${FUNCTION_ARN}`,
  check: "function_name and qualifier",
} as const;

/** A row for an action on one function: run on it by ARN, which IAM checks and a not-found names. */
function functionCase(
  action: DeclaredAction,
  iamActions: readonly string[],
  refuses: DeclaredCase["refuses"],
  inputs: Record<string, unknown> = {},
): DeclaredCase {
  const run = { function_name: FUNCTION_ARN, ...inputs };
  return { action, inputs: run, iamActions, on: FUNCTION_ARN, notFound: aboutFunction, refuses };
}

/** The cases, one row a declared action: a new action adds its row here. */
const CASES: readonly DeclaredCase[] = [
  {
    action: listFunctionsAction,
    inputs: {},
    iamActions: ["lambda:ListFunctions"],
    on: "*",
    refuses: [
      [{ max_items: 0 }, "max_items"],
      [{ max_items: 10_001 }, "max_items"],
      [{ max_items: 2.5 }, "max_items"],
      [{ marker: "" }, "marker"],
      [{ runtime: 12 }, "runtime"],
      [{ modified_since: "yesterday" }, "modified_since", "ISO 8601 time"],
      [{ modified_since: "0h" }, "modified_since"],
    ],
  },
  functionCase(
    getFunctionAction,
    ["lambda:GetFunction"],
    [
      [{}, "function_name"],
      [{ function_name: "enrich indicator" }, "function_name"],
      [{ function_name: FUNCTION_NAME, qualifier: "live alias" }, "qualifier"],
      [
        { function_name: FUNCTION_NAME, include_environment_values: "yes" },
        "include_environment_values",
      ],
      [{ function_name: FUNCTION_NAME, show_secrets: true }, "show_secrets"],
    ],
  ),
  functionCase(
    listVersionsByFunctionAction,
    ["lambda:ListVersionsByFunction"],
    [
      [{}, "function_name"],
      [{ function_name: FUNCTION_NAME, max_items: 0 }, "max_items"],
      [{ function_name: FUNCTION_NAME, marker: "" }, "marker"],
    ],
  ),
  functionCase(
    listAliasesAction,
    ["lambda:ListAliases"],
    [
      [{ function_name: FUNCTION_NAME, function_version: "live" }, "function_version"],
      [{ function_name: FUNCTION_NAME, max_items: 10_001 }, "max_items"],
      [{ function_version: "3" }, "function_name"],
    ],
  ),
  functionCase(
    getPolicyAction,
    ["lambda:GetPolicy"],
    [
      [{ function_name: "" }, "function_name"],
      [{ function_name: FUNCTION_NAME, qualifier: "" }, "qualifier"],
    ],
  ),
  functionCase(
    getFunctionUrlConfigAction,
    ["lambda:GetFunctionUrlConfig"],
    [[{ function_name: FUNCTION_NAME, qualifier: "live/blue" }, "qualifier"]],
  ),
  {
    action: getAccountSettingsAction,
    inputs: {},
    iamActions: ["lambda:GetAccountSettings"],
    on: "*",
    refuses: [[{ function_name: "x" }, "function_name"]],
  },
  {
    action: listEventSourceMappingsAction,
    inputs: { function_name: FUNCTION_ARN },
    iamActions: ["lambda:ListEventSourceMappings"],
    // IAM checks ListEventSourceMappings on no ARN.
    on: "*",
    notFound: { what: `Function ${FUNCTION_ARN}`, check: "function_name" },
    refuses: [[{ function_name: FUNCTION_NAME, max_items: 0 }, "max_items"]],
  },
  {
    action: listLayersAction,
    inputs: {},
    iamActions: ["lambda:ListLayers"],
    on: "*",
    refuses: [[{ max_items: 0 }, "max_items"]],
  },
  {
    action: listLayerVersionsAction,
    inputs: { layer_name: LAYER_NAME },
    iamActions: ["lambda:ListLayerVersions"],
    on: `arn:aws:lambda:${REGION}:*:layer:${LAYER_NAME}:*`,
    notFound: { what: `Layer ${LAYER_NAME}`, check: "layer_name" },
    refuses: [
      [{}, "layer_name"],
      [{ layer_name: "shared libs" }, "layer_name"],
      [{ layer_name: "x".repeat(141) }, "layer_name"],
    ],
  },
  functionCase(
    putFunctionConcurrencyAction,
    ["lambda:GetFunctionConcurrency", "lambda:PutFunctionConcurrency"],
    [
      [{ function_name: FUNCTION_NAME }, "reserved_concurrent_executions"],
      [
        { function_name: FUNCTION_NAME, reserved_concurrent_executions: -1 },
        "reserved_concurrent_executions",
      ],
      [
        { function_name: FUNCTION_NAME, reserved_concurrent_executions: 2.5 },
        "reserved_concurrent_executions",
      ],
      [
        { function_name: FUNCTION_NAME, reserved_concurrent_executions: "0" },
        "reserved_concurrent_executions",
      ],
      [{ reserved_concurrent_executions: 0 }, "function_name"],
    ],
    { reserved_concurrent_executions: 0 },
  ),
  functionCase(
    deleteFunctionConcurrencyAction,
    ["lambda:GetFunctionConcurrency", "lambda:DeleteFunctionConcurrency"],
    [
      [
        { function_name: FUNCTION_NAME, reserved_concurrent_executions: 0 },
        "reserved_concurrent_executions",
      ],
    ],
  ),
  {
    ...functionCase(
      removePermissionAction,
      ["lambda:GetPolicy", "lambda:RemovePermission"],
      [
        [{ function_name: FUNCTION_NAME }, "statement_id"],
        [{ function_name: FUNCTION_NAME, statement_id: "public invoke" }, "statement_id"],
        [
          { function_name: FUNCTION_NAME, statement_id: "public-invoke", revision_id: "" },
          "revision_id",
        ],
      ],
      { statement_id: "public-invoke" },
    ),
    // The statement is there when read, so the removal is sent.
    before: {
      Policy: JSON.stringify({
        Statement: [
          {
            Sid: "public-invoke",
            Effect: "Allow",
            Principal: "*",
            Action: "lambda:InvokeFunction",
          },
        ],
      }),
    },
  },
  functionCase(
    addPermissionAction,
    ["lambda:GetPolicy", "lambda:AddPermission"],
    [
      [{ ...S3_TRIGGER, principal: undefined }, "principal"],
      [{ ...S3_TRIGGER, action: "InvokeFunction" }, "action"],
      [{ ...S3_TRIGGER, source_account: "12345" }, "source_account"],
      [{ ...S3_TRIGGER, function_url_auth_type: "PUBLIC" }, "function_url_auth_type"],
      [{ ...S3_TRIGGER, statement_id: "s3 trigger" }, "statement_id"],
    ],
    S3_TRIGGER,
  ),
  functionCase(
    updateFunctionUrlConfigAction,
    ["lambda:GetFunctionUrlConfig", "lambda:UpdateFunctionUrlConfig"],
    [
      [{ function_name: FUNCTION_NAME }, "auth_type"],
      [{ function_name: FUNCTION_NAME, auth_type: "PUBLIC" }, "auth_type"],
      [
        { function_name: FUNCTION_NAME, auth_type: "AWS_IAM", cors: { max_age: 90_000 } },
        "cors.max_age",
      ],
      [
        { function_name: FUNCTION_NAME, auth_type: "AWS_IAM", cors: { origins: ["*"] } },
        "cors.origins",
      ],
    ],
    { auth_type: "AWS_IAM" },
  ),
  functionCase(
    createFunctionUrlConfigAction,
    ["lambda:GetFunctionUrlConfig", "lambda:CreateFunctionUrlConfig"],
    [
      [{ function_name: FUNCTION_NAME }, "auth_type"],
      [{ function_name: FUNCTION_NAME, auth_type: "PUBLIC" }, "auth_type"],
      [{ function_name: FUNCTION_NAME, auth_type: "NONE", invoke_mode: "FAST" }, "invoke_mode"],
    ],
    { auth_type: "AWS_IAM" },
  ),
  functionCase(
    deleteFunctionUrlConfigAction,
    ["lambda:GetFunctionUrlConfig", "lambda:DeleteFunctionUrlConfig"],
    [[{ function_name: FUNCTION_NAME, auth_type: "NONE" }, "auth_type"]],
  ),
  {
    action: updateEventSourceMappingAction,
    inputs: { uuid: MAPPING_UUID, enabled: false },
    iamActions: ["lambda:GetEventSourceMapping", "lambda:UpdateEventSourceMapping"],
    on: MAPPING_ARN,
    notFound: { what: `Event source mapping ${MAPPING_UUID}`, check: "uuid and enabled" },
    refuses: [
      [{ enabled: false }, "uuid"],
      [{ uuid: "indicators-queue", enabled: false }, "uuid"],
      [{ uuid: MAPPING_UUID }, "enabled"],
      [{ uuid: MAPPING_UUID, enabled: "false" }, "enabled"],
    ],
  },
  functionCase(
    tagFunctionAction,
    ["lambda:GetFunction", "lambda:TagResource"],
    [
      [{ function_name: FUNCTION_NAME }, "tags"],
      [{ function_name: FUNCTION_NAME, tags: {} }, "tags"],
      [{ function_name: FUNCTION_NAME, tags: ["quarantine"] }, "tags"],
      [{ function_name: FUNCTION_NAME, tags: { quarantine: true } }, "tags.quarantine"],
      [
        { function_name: FUNCTION_NAME, tags: { case: "x".repeat(257) } },
        "tags.case",
        "tags.case: tag values are at most 256 characters",
      ],
      [
        { function_name: FUNCTION_NAME, tags: { ["k".repeat(129)]: "v" } },
        `tags.${"k".repeat(129)}`,
      ],
    ],
    { tags: { quarantine: "true" } },
  ),
  functionCase(
    untagFunctionAction,
    ["lambda:GetFunction", "lambda:UntagResource"],
    [
      [{ function_name: FUNCTION_NAME }, "tag_keys"],
      [{ function_name: FUNCTION_NAME, tag_keys: [] }, "tag_keys"],
      [{ function_name: FUNCTION_NAME, tag_keys: "quarantine" }, "tag_keys"],
      [{ function_name: FUNCTION_NAME, tag_keys: ["quarantine", ""] }, "tag_keys.1"],
    ],
    { tag_keys: ["quarantine"] },
  ),
  functionCase(
    deleteFunctionAction,
    ["lambda:GetFunction", "lambda:DeleteFunction"],
    [
      [
        { function_name: FUNCTION_NAME, confirm_function_name: "enrich-indicators" },
        "confirm_function_name",
        "confirm_function_name: must equal function_name",
      ],
      [
        { function_name: FUNCTION_NAME, confirm_function_name: FUNCTION_ARN },
        "confirm_function_name",
        "confirm_function_name: must equal function_name",
      ],
      [
        { function_name: FUNCTION_NAME },
        "confirm_function_name",
        "confirm_function_name: is required",
      ],
    ],
    { confirm_function_name: FUNCTION_ARN },
  ),
  {
    action: deleteLayerVersionAction,
    inputs: { layer_name: LAYER_ARN, version_number: 3 },
    iamActions: ["lambda:GetLayerVersion", "lambda:DeleteLayerVersion"],
    on: `${LAYER_ARN}:*`,
    notFound: { what: `Layer ${LAYER_ARN} version 3`, check: "layer_name and version_number" },
    refuses: [
      [{ layer_name: LAYER_NAME }, "version_number"],
      [{ layer_name: LAYER_NAME, version_number: 0 }, "version_number"],
      [{ layer_name: LAYER_NAME, version_number: "3" }, "version_number"],
      [{ version_number: 3 }, "layer_name"],
    ],
  },
  {
    action: getAliasAction,
    inputs: { function_name: FUNCTION_ARN, alias_name: "live" },
    iamActions: ["lambda:GetAlias"],
    on: FUNCTION_ARN,
    notFound: {
      what: `Alias live of function ${FUNCTION_ARN}`,
      check: "function_name and alias_name",
    },
    refuses: [
      [{ function_name: FUNCTION_NAME }, "alias_name"],
      [{ function_name: FUNCTION_NAME, alias_name: "42" }, "alias_name"],
      [{ function_name: FUNCTION_NAME, alias_name: "live alias" }, "alias_name"],
    ],
  },
  {
    action: createAliasAction,
    inputs: { function_name: FUNCTION_ARN, alias_name: "known-good", function_version: "1" },
    iamActions: ["lambda:GetAlias", "lambda:CreateAlias"],
    on: FUNCTION_ARN,
    refuses: [
      [{ function_name: FUNCTION_NAME, alias_name: "known-good" }, "function_version"],
      [
        { function_name: FUNCTION_NAME, alias_name: "known-good", function_version: "live" },
        "function_version",
      ],
      [
        {
          function_name: FUNCTION_NAME,
          alias_name: "known-good",
          function_version: "2",
          routing_weights: { "1": 1.5 },
        },
        "routing_weights.1",
      ],
    ],
  },
  {
    action: updateAliasAction,
    inputs: { function_name: FUNCTION_ARN, alias_name: "live", function_version: "1" },
    iamActions: ["lambda:GetAlias", "lambda:UpdateAlias"],
    on: FUNCTION_ARN,
    refuses: [
      [{ function_name: FUNCTION_NAME, alias_name: "live" }, "function_version"],
      [
        {
          function_name: FUNCTION_NAME,
          alias_name: "live",
          routing_weights: { "1": 0.1, "2": 0.1 },
        },
        "routing_weights",
        "at most one other version",
      ],
      [
        { function_name: FUNCTION_NAME, alias_name: "live", function_version: "1", revision_id: 3 },
        "revision_id",
      ],
    ],
    // The alias points elsewhere when read, so the update is sent.
    before: { Name: "live", FunctionVersion: "2" },
  },
  {
    action: deleteAliasAction,
    inputs: { function_name: FUNCTION_ARN, alias_name: "live" },
    iamActions: ["lambda:GetAlias", "lambda:DeleteAlias"],
    on: FUNCTION_ARN,
    refuses: [
      [
        { function_name: FUNCTION_NAME, alias_name: "live", function_version: "1" },
        "function_version",
      ],
    ],
    // The alias is there when read, so the deletion is sent.
    before: { Name: "live", FunctionVersion: "2" },
  },
  functionCase(
    getFunctionEventInvokeConfigAction,
    ["lambda:GetFunctionEventInvokeConfig"],
    [[{ function_name: FUNCTION_NAME, qualifier: "live alias" }, "qualifier"]],
  ),
  functionCase(
    putFunctionEventInvokeConfigAction,
    ["lambda:GetFunctionEventInvokeConfig", "lambda:PutFunctionEventInvokeConfig"],
    [
      [{ function_name: FUNCTION_NAME, maximum_retry_attempts: 3 }, "maximum_retry_attempts"],
      [
        { function_name: FUNCTION_NAME, maximum_event_age_in_seconds: 30 },
        "maximum_event_age_in_seconds",
      ],
      [
        { function_name: FUNCTION_NAME, on_success_destination: "https://exfil.example.com" },
        "on_success_destination",
      ],
    ],
    { maximum_retry_attempts: 0 },
  ),
  {
    ...functionCase(
      deleteFunctionEventInvokeConfigAction,
      ["lambda:GetFunctionEventInvokeConfig", "lambda:DeleteFunctionEventInvokeConfig"],
      [[{ function_name: FUNCTION_NAME, maximum_retry_attempts: 0 }, "maximum_retry_attempts"]],
    ),
    // Settings are there when read, so the deletion is sent.
    before: { MaximumRetryAttempts: 1 },
  },
  {
    action: createEventSourceMappingAction,
    inputs: {
      function_name: FUNCTION_ARN,
      event_source_arn: `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:indicator-intake`,
    },
    iamActions: ["lambda:ListEventSourceMappings", "lambda:CreateEventSourceMapping"],
    on: "*",
    refuses: [
      [{ function_name: FUNCTION_ARN }, "event_source_arn"],
      [{ function_name: FUNCTION_ARN, event_source_arn: "indicator-intake" }, "event_source_arn"],
      [
        {
          function_name: FUNCTION_ARN,
          event_source_arn: "arn:aws:sqs:us-east-1:1:q",
          batch_size: 0,
        },
        "batch_size",
      ],
      [
        {
          function_name: FUNCTION_ARN,
          event_source_arn: "arn:aws:sqs:us-east-1:1:q",
          starting_position: "NOW",
        },
        "starting_position",
      ],
    ],
  },
  {
    action: deleteEventSourceMappingAction,
    inputs: { uuid: MAPPING_UUID },
    iamActions: ["lambda:GetEventSourceMapping", "lambda:DeleteEventSourceMapping"],
    on: MAPPING_ARN,
    refuses: [
      [{}, "uuid"],
      [{ uuid: "indicators-queue" }, "uuid"],
    ],
  },
  functionCase(
    getFunctionRecursionConfigAction,
    ["lambda:GetFunctionRecursionConfig"],
    [[{}, "function_name"]],
  ),
  functionCase(
    putFunctionRecursionConfigAction,
    ["lambda:GetFunctionRecursionConfig", "lambda:PutFunctionRecursionConfig"],
    [
      [{ function_name: FUNCTION_NAME }, "recursive_loop"],
      [{ function_name: FUNCTION_NAME, recursive_loop: "Stop" }, "recursive_loop"],
    ],
    { recursive_loop: "Allow" },
  ),
  {
    action: getProvisionedConcurrencyConfigAction,
    inputs: { function_name: FUNCTION_ARN, qualifier: "live" },
    iamActions: ["lambda:GetProvisionedConcurrencyConfig"],
    on: `${FUNCTION_ARN}:live`,
    qualified: true,
    refuses: [
      [{ function_name: FUNCTION_NAME }, "qualifier"],
      [{ function_name: FUNCTION_NAME, qualifier: "$LATEST" }, "qualifier"],
    ],
  },
  {
    action: deleteProvisionedConcurrencyConfigAction,
    inputs: { function_name: FUNCTION_ARN, qualifier: "live" },
    iamActions: [
      "lambda:GetProvisionedConcurrencyConfig",
      "lambda:DeleteProvisionedConcurrencyConfig",
    ],
    on: `${FUNCTION_ARN}:live`,
    qualified: true,
    refuses: [[{ qualifier: "live" }, "function_name"]],
  },
  functionCase(
    listDurableExecutionsAction,
    ["lambda:ListDurableExecutionsByFunction"],
    [
      [{ function_name: FUNCTION_NAME, status: "running" }, "status"],
      [{ function_name: FUNCTION_NAME, max_items: 0 }, "max_items"],
    ],
  ),
  {
    action: stopDurableExecutionAction,
    inputs: {
      durable_execution_arn: `${FUNCTION_ARN}:$LATEST/durable-execution/enrich-batch/3f1c9a52`,
    },
    iamActions: ["lambda:GetDurableExecution", "lambda:StopDurableExecution"],
    on: `${FUNCTION_ARN}:$LATEST`,
    before: { Status: "RUNNING" },
    refuses: [
      [{}, "durable_execution_arn"],
      [{ durable_execution_arn: FUNCTION_ARN }, "durable_execution_arn"],
      [
        {
          durable_execution_arn: `${FUNCTION_ARN}:$LATEST/durable-execution/enrich-batch/3f1c9a52`,
          reason: "x".repeat(257),
        },
        "reason",
      ],
    ],
  },
];

/** The answer AWS gives to the calls before the refused one: an empty success. */
const SUCCESS = { $metadata: { httpStatusCode: 200, requestId: REQUEST_ID } };

/** The two ways AWS words a refusal: naming the action and resource, or not (then the declaration must). */
const REFUSALS: ReadonlyArray<
  readonly [string, (iamAction: string, resource: string) => LambdaServiceException]
> = [
  ["naming the action and resource", accessDenied],
  ["naming neither", () => lambdaServiceError("AccessDeniedException", "Access denied", 403)],
];

describe("declared actions", () => {
  let executor: Executor;

  beforeEach(() => {
    lambdaMock.reset();
    executor = new Executor(validAsset(keysAsset), fakeTime());
  });

  afterEach(() => {
    executor.destroy();
  });

  function run(row: DeclaredCase): Promise<unknown> {
    return row.action.run(z.parse(row.action.inputs, row.inputs), executor);
  }

  /**
   * The row, asked to fail closed when its read of the state before is refused: by
   * default a change action contains without that read (previous_state_known: false).
   */
  function requiringPreviousState(row: DeclaredCase): DeclaredCase {
    const shape = (row.action.inputs as { shape?: Record<string, unknown> }).shape ?? {};
    return "require_previous_state" in shape
      ? { ...row, inputs: { ...row.inputs, require_previous_state: true } }
      : row;
  }

  it("has one row for every action declared as calls, and no other", async () => {
    const actions = await Promise.all(ACTION_LIST.map((entry) => entry.load()));
    const declared = actions.filter((action) => "call" in action);

    expect(CASES.map((row) => row.action.name).sort()).toEqual(
      declared.map((action) => action.name).sort(),
    );
  });

  describe("across actions", () => {
    it("gives a qualified call the qualified-ARN rule when access is denied", async () => {
      const arn = `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:${FUNCTION_NAME}:live`;
      lambdaMock.on(GetPolicyCommand).rejects(accessDenied("lambda:GetPolicy", arn));

      const error = await rejectedConnectorError(
        getPolicyAction.run(
          getPolicyAction.inputs.parse({ function_name: FUNCTION_NAME, qualifier: "live" }),
          executor,
        ),
      );

      expect(error.hint).toContain(`Grant lambda:GetPolicy on exactly ${arn}`);
      expect(error.hint).toContain("a qualified call needs the qualified ARN");
    });

    it("names the action AWS refused, when an operation needs more than its own (iam:PassRole)", async () => {
      const role = `arn:aws:iam::${ACCOUNT_ID}:role/triage-helper-exec`;
      lambdaMock.on(CreateFunctionCommand).rejects(accessDenied("iam:PassRole", role));

      const error = await rejectedConnectorError(
        createFunctionAction.run(
          createFunctionAction.inputs.parse({
            function_name: "triage-helper",
            runtime: "python3.12",
            handler: "app.handler",
            execution_role_arn: role,
            zip_file_base64: HANDLER_ZIP_BASE64,
          }),
          executor,
        ),
      );

      expect(error.message).toContain(`may not call iam:PassRole on ${role}`);
      expect(error.hint).toContain(`Grant iam:PassRole on exactly ${role}`);
    });

    it("says the statement was not found, not the function, when the function exists", async () => {
      // The statement was there when read, and gone by the time of the removal.
      lambdaMock.on(GetPolicyCommand).resolves({
        Policy:
          '{"Statement":[{"Sid":"gone","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction"}]}',
        RevisionId: "r1",
        $metadata: { requestId: REQUEST_ID },
      });
      lambdaMock.on(RemovePermissionCommand).rejects(resourceNotFound());

      const error = await rejectedConnectorError(
        removePermissionAction.run(
          removePermissionAction.inputs.parse({
            function_name: FUNCTION_NAME,
            statement_id: "gone",
          }),
          executor,
        ),
      );

      expect(error.code).toBe("not_found");
      expect(error.message).toContain(
        `RemovePermission found nothing for function ${FUNCTION_NAME}`,
      );
      expect(error.message).not.toContain("was not found");
      expect(error.hint).toContain("statement_id");
    });

    it("names only the inputs that identify the function when it is not found", async () => {
      lambdaMock.rejectsOnce(resourceNotFound());

      const error = await rejectedConnectorError(
        putFunctionConcurrencyAction.run(
          putFunctionConcurrencyAction.inputs.parse({
            function_name: FUNCTION_NAME,
            reserved_concurrent_executions: 0,
          }),
          executor,
        ),
      );

      expect(error.hint).toContain("Check function_name and qualifier");
      expect(error.hint).not.toContain("reserved_concurrent_executions");
    });
  });

  describe.each(CASES)("$action.name", (row) => {
    it("lists the IAM actions of its calls for the least-privilege policies", () => {
      expect(row.action.iamActions).toEqual(row.iamActions);
    });

    describe.each(REFUSALS)("when AWS refuses a call, %s", (_wording, refusal) => {
      it.each(row.iamActions.map((iamAction, index) => [iamAction, index] as const))(
        "names %s and the resource IAM checks it on",
        async (iamAction, index) => {
          // Prepare: the calls before the refused one succeed.
          lambdaMock.rejects(refusal(iamAction, row.on));
          const inputs = z.parse(row.action.inputs, row.inputs) as never;
          if (index > 0 && row.action.before !== undefined) {
            const before = row.action.before.command(inputs).constructor as never;
            lambdaMock.on(before).resolves({ ...SUCCESS, ...row.before });
          }

          // Act
          const refusedRead = index === 0 && row.action.before !== undefined;
          const error = await rejectedConnectorError(
            run(refusedRead ? requiringPreviousState(row) : row),
          );

          // Assess
          expect(error.code).toBe("access_denied");
          expect(error.message).toContain(`may not call ${iamAction} on ${row.on}`);
          expect(error.hint).toContain(`Grant ${iamAction} on exactly ${row.on} `);
          // No qualifier was given, so the hint has no rule about qualified ARNs.
          if (row.qualified !== true) {
            expect(error.hint).not.toContain("qualifier");
          }
          expect(error.toErrorLine()).toMatchObject({ http_status: 403, request_id: REQUEST_ID });
          expect(lambdaMock.calls()).toHaveLength(index + 1);
        },
      );
    });

    const { notFound } = row;
    if (notFound !== undefined) {
      it("fails as not_found, naming what is missing and the region, and sends nothing more", async () => {
        lambdaMock.rejects(
          notFound.what.startsWith("Function ") ? functionNotFound() : resourceNotFound(),
        );

        const error = await rejectedConnectorError(run(row));

        expect(error).toMatchObject({
          code: "not_found",
          awsErrorCode: "ResourceNotFoundException",
        });
        expect(error.message).toContain(`${notFound.what} was not found in region ${REGION}`);
        expect(error.hint).toContain(`Check ${notFound.check}, that region_name`);
        expect(lambdaMock.calls()).toHaveLength(1);
      });
    }

    it.each(row.refuses)("refuses %j, naming %s", (raw, field, says) => {
      const error = thrownConnectorError(() => parseDocument(row.action.inputs, raw, "inputs"));

      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.field).toBe(field);
      expect(error.message).toContain(says ?? field);
    });
  });
});
