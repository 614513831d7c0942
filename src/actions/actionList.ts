import type { ActionDefinition } from "./defineAction.js";

/** Which part of an incident response an action serves; the README groups them so. */
export type ActionGroup = "run" | "inspect" | "contain" | "provision" | "recover";

/** One action the connector offers: its id, its group, and how to load its definition. */
export interface ActionEntry {
  /** The action id: snake_case, its folder, file and manifest name, the entry's argument. */
  name: string;
  group: ActionGroup;
  /** Loads the action's module: a run loads its own action only, not all of them. */
  load: () => Promise<ActionDefinition>;
}

/**
 * Every action the connector offers, in the order the docs list them. The entry point,
 * the manifest generator and the tests all read this list, so an action added here is
 * complete everywhere. The imports stay literal so that the bundler splits each action
 * into its own chunk.
 */
export const ACTION_LIST: readonly ActionEntry[] = [
  {
    name: "invoke_function",
    group: "run",
    load: async () => (await import("./invoke_function/invoke_function.js")).invokeFunctionAction,
  },
  {
    name: "test_connection",
    group: "run",
    load: async () => (await import("./test_connection/test_connection.js")).testConnectionAction,
  },
  {
    name: "invoke_function_batch",
    group: "run",
    load: async () =>
      (await import("./invoke_function_batch/invoke_function_batch.js")).invokeFunctionBatchAction,
  },
  {
    name: "invoke_function_stream",
    group: "run",
    load: async () =>
      (await import("./invoke_function_stream/invoke_function_stream.js"))
        .invokeFunctionStreamAction,
  },
  {
    name: "list_functions",
    group: "inspect",
    load: async () => (await import("./list_functions/list_functions.js")).listFunctionsAction,
  },
  {
    name: "get_function",
    group: "inspect",
    load: async () => (await import("./get_function/get_function.js")).getFunctionAction,
  },
  {
    name: "list_versions_by_function",
    group: "inspect",
    load: async () =>
      (await import("./list_versions_by_function/list_versions_by_function.js"))
        .listVersionsByFunctionAction,
  },
  {
    name: "list_aliases",
    group: "inspect",
    load: async () => (await import("./list_aliases/list_aliases.js")).listAliasesAction,
  },
  {
    name: "get_policy",
    group: "inspect",
    load: async () => (await import("./get_policy/get_policy.js")).getPolicyAction,
  },
  {
    name: "get_function_url_config",
    group: "inspect",
    load: async () =>
      (await import("./get_function_url_config/get_function_url_config.js"))
        .getFunctionUrlConfigAction,
  },
  {
    name: "get_account_settings",
    group: "inspect",
    load: async () =>
      (await import("./get_account_settings/get_account_settings.js")).getAccountSettingsAction,
  },
  {
    name: "list_event_source_mappings",
    group: "inspect",
    load: async () =>
      (await import("./list_event_source_mappings/list_event_source_mappings.js"))
        .listEventSourceMappingsAction,
  },
  {
    name: "assess_function_exposure",
    group: "inspect",
    load: async () =>
      (await import("./assess_function_exposure/assess_function_exposure.js"))
        .assessFunctionExposureAction,
  },
  {
    name: "list_layers",
    group: "inspect",
    load: async () => (await import("./list_layers/list_layers.js")).listLayersAction,
  },
  {
    name: "list_layer_versions",
    group: "inspect",
    load: async () =>
      (await import("./list_layer_versions/list_layer_versions.js")).listLayerVersionsAction,
  },
  {
    name: "assess_function_security",
    group: "inspect",
    load: async () =>
      (await import("./assess_function_security/assess_function_security.js"))
        .assessFunctionSecurityAction,
  },
  {
    name: "acquire_function_evidence",
    group: "inspect",
    load: async () =>
      (await import("./acquire_function_evidence/acquire_function_evidence.js"))
        .acquireFunctionEvidenceAction,
  },
  {
    name: "sweep_functions",
    group: "inspect",
    load: async () => (await import("./sweep_functions/sweep_functions.js")).sweepFunctionsAction,
  },
  {
    name: "put_function_concurrency",
    group: "contain",
    load: async () =>
      (await import("./put_function_concurrency/put_function_concurrency.js"))
        .putFunctionConcurrencyAction,
  },
  {
    name: "delete_function_concurrency",
    group: "contain",
    load: async () =>
      (await import("./delete_function_concurrency/delete_function_concurrency.js"))
        .deleteFunctionConcurrencyAction,
  },
  {
    name: "remove_permission",
    group: "contain",
    load: async () =>
      (await import("./remove_permission/remove_permission.js")).removePermissionAction,
  },
  {
    name: "add_permission",
    group: "contain",
    load: async () => (await import("./add_permission/add_permission.js")).addPermissionAction,
  },
  {
    name: "update_function_url_config",
    group: "contain",
    load: async () =>
      (await import("./update_function_url_config/update_function_url_config.js"))
        .updateFunctionUrlConfigAction,
  },
  {
    name: "delete_function_url_config",
    group: "contain",
    load: async () =>
      (await import("./delete_function_url_config/delete_function_url_config.js"))
        .deleteFunctionUrlConfigAction,
  },
  {
    name: "create_function_url_config",
    group: "contain",
    load: async () =>
      (await import("./create_function_url_config/create_function_url_config.js"))
        .createFunctionUrlConfigAction,
  },
  {
    name: "update_event_source_mapping",
    group: "contain",
    load: async () =>
      (await import("./update_event_source_mapping/update_event_source_mapping.js"))
        .updateEventSourceMappingAction,
  },
  {
    name: "tag_function",
    group: "contain",
    load: async () => (await import("./tag_function/tag_function.js")).tagFunctionAction,
  },
  {
    name: "untag_function",
    group: "contain",
    load: async () => (await import("./untag_function/untag_function.js")).untagFunctionAction,
  },
  {
    name: "delete_function",
    group: "contain",
    load: async () => (await import("./delete_function/delete_function.js")).deleteFunctionAction,
  },
  {
    name: "create_function",
    group: "provision",
    load: async () => (await import("./create_function/create_function.js")).createFunctionAction,
  },
  {
    name: "publish_layer_version",
    group: "provision",
    load: async () =>
      (await import("./publish_layer_version/publish_layer_version.js")).publishLayerVersionAction,
  },
  {
    name: "delete_layer_version",
    group: "provision",
    load: async () =>
      (await import("./delete_layer_version/delete_layer_version.js")).deleteLayerVersionAction,
  },
  {
    name: "publish_version",
    group: "recover",
    load: async () => (await import("./publish_version/publish_version.js")).publishVersionAction,
  },
  {
    name: "get_alias",
    group: "recover",
    load: async () => (await import("./get_alias/get_alias.js")).getAliasAction,
  },
  {
    name: "create_alias",
    group: "recover",
    load: async () => (await import("./create_alias/create_alias.js")).createAliasAction,
  },
  {
    name: "update_alias",
    group: "recover",
    load: async () => (await import("./update_alias/update_alias.js")).updateAliasAction,
  },
  {
    name: "delete_alias",
    group: "recover",
    load: async () => (await import("./delete_alias/delete_alias.js")).deleteAliasAction,
  },
  {
    name: "get_function_event_invoke_config",
    group: "recover",
    load: async () =>
      (await import("./get_function_event_invoke_config/get_function_event_invoke_config.js"))
        .getFunctionEventInvokeConfigAction,
  },
  {
    name: "put_function_event_invoke_config",
    group: "recover",
    load: async () =>
      (await import("./put_function_event_invoke_config/put_function_event_invoke_config.js"))
        .putFunctionEventInvokeConfigAction,
  },
  {
    name: "delete_function_event_invoke_config",
    group: "recover",
    load: async () =>
      (await import("./delete_function_event_invoke_config/delete_function_event_invoke_config.js"))
        .deleteFunctionEventInvokeConfigAction,
  },
  {
    name: "update_function_configuration",
    group: "recover",
    load: async () =>
      (await import("./update_function_configuration/update_function_configuration.js"))
        .updateFunctionConfigurationAction,
  },
  {
    name: "update_function_code",
    group: "recover",
    load: async () =>
      (await import("./update_function_code/update_function_code.js")).updateFunctionCodeAction,
  },
  {
    name: "quarantine_execution_role",
    group: "recover",
    load: async () =>
      (await import("./quarantine_execution_role/quarantine_execution_role.js"))
        .quarantineExecutionRoleAction,
  },
  {
    name: "release_execution_role",
    group: "recover",
    load: async () =>
      (await import("./release_execution_role/release_execution_role.js"))
        .releaseExecutionRoleAction,
  },
  {
    name: "create_event_source_mapping",
    group: "recover",
    load: async () =>
      (await import("./create_event_source_mapping/create_event_source_mapping.js"))
        .createEventSourceMappingAction,
  },
  {
    name: "delete_event_source_mapping",
    group: "recover",
    load: async () =>
      (await import("./delete_event_source_mapping/delete_event_source_mapping.js"))
        .deleteEventSourceMappingAction,
  },
  {
    name: "get_function_recursion_config",
    group: "recover",
    load: async () =>
      (await import("./get_function_recursion_config/get_function_recursion_config.js"))
        .getFunctionRecursionConfigAction,
  },
  {
    name: "put_function_recursion_config",
    group: "recover",
    load: async () =>
      (await import("./put_function_recursion_config/put_function_recursion_config.js"))
        .putFunctionRecursionConfigAction,
  },
  {
    name: "get_provisioned_concurrency_config",
    group: "recover",
    load: async () =>
      (await import("./get_provisioned_concurrency_config/get_provisioned_concurrency_config.js"))
        .getProvisionedConcurrencyConfigAction,
  },
  {
    name: "delete_provisioned_concurrency_config",
    group: "recover",
    load: async () =>
      (
        await import(
          "./delete_provisioned_concurrency_config/delete_provisioned_concurrency_config.js"
        )
      ).deleteProvisionedConcurrencyConfigAction,
  },
  {
    name: "list_durable_executions",
    group: "recover",
    load: async () =>
      (await import("./list_durable_executions/list_durable_executions.js"))
        .listDurableExecutionsAction,
  },
  {
    name: "stop_durable_execution",
    group: "recover",
    load: async () =>
      (await import("./stop_durable_execution/stop_durable_execution.js"))
        .stopDurableExecutionAction,
  },
];

/** The ids of every action, sorted. */
export const ACTION_NAMES: readonly string[] = ACTION_LIST.map(({ name }) => name).sort();

/**
 * The definition of the action `name`, or `undefined` when there is none.
 *
 * @example
 * ```ts
 * const action = await loadAction("invoke_function");
 * ```
 */
export async function loadAction(name: string): Promise<ActionDefinition | undefined> {
  return ACTION_LIST.find((action) => action.name === name)?.load();
}

/**
 * Every action with its group, loaded, in the list's order: for the manifests, the
 * docs and the tests, which need them all.
 *
 * @example
 * ```ts
 * for (const { action, group } of await loadActions()) console.log(group, action.iamActions);
 * ```
 */
export async function loadActions(): Promise<{ action: ActionDefinition; group: ActionGroup }[]> {
  return Promise.all(ACTION_LIST.map(async ({ group, load }) => ({ action: await load(), group })));
}
