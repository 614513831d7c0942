import type { ActionDefinition } from "./defineAction.js";

/**
 * Every action by id, each loaded only when it runs: a run builds the schemas of its
 * own action, not of all 26. The eager list for the manifests and docs is
 * `registry.ts`; a test checks that both name the same actions.
 */
const LOADERS: Readonly<Record<string, () => Promise<unknown>>> = {
  add_permission: async () =>
    (await import("./add_permission/add_permission.js")).addPermissionAction,
  assess_function_exposure: async () =>
    (await import("./assess_function_exposure/assess_function_exposure.js"))
      .assessFunctionExposureAction,
  create_function: async () =>
    (await import("./create_function/create_function.js")).createFunctionAction,
  create_function_url_config: async () =>
    (await import("./create_function_url_config/create_function_url_config.js"))
      .createFunctionUrlConfigAction,
  delete_function: async () =>
    (await import("./delete_function/delete_function.js")).deleteFunctionAction,
  delete_function_concurrency: async () =>
    (await import("./delete_function_concurrency/delete_function_concurrency.js"))
      .deleteFunctionConcurrencyAction,
  delete_function_url_config: async () =>
    (await import("./delete_function_url_config/delete_function_url_config.js"))
      .deleteFunctionUrlConfigAction,
  delete_layer_version: async () =>
    (await import("./delete_layer_version/delete_layer_version.js")).deleteLayerVersionAction,
  get_account_settings: async () =>
    (await import("./get_account_settings/get_account_settings.js")).getAccountSettingsAction,
  get_function: async () => (await import("./get_function/get_function.js")).getFunctionAction,
  get_function_url_config: async () =>
    (await import("./get_function_url_config/get_function_url_config.js"))
      .getFunctionUrlConfigAction,
  get_policy: async () => (await import("./get_policy/get_policy.js")).getPolicyAction,
  invoke_function: async () =>
    (await import("./invoke_function/invoke_function.js")).invokeFunctionAction,
  list_aliases: async () => (await import("./list_aliases/list_aliases.js")).listAliasesAction,
  list_event_source_mappings: async () =>
    (await import("./list_event_source_mappings/list_event_source_mappings.js"))
      .listEventSourceMappingsAction,
  list_functions: async () =>
    (await import("./list_functions/list_functions.js")).listFunctionsAction,
  list_layer_versions: async () =>
    (await import("./list_layer_versions/list_layer_versions.js")).listLayerVersionsAction,
  list_layers: async () => (await import("./list_layers/list_layers.js")).listLayersAction,
  list_versions_by_function: async () =>
    (await import("./list_versions_by_function/list_versions_by_function.js"))
      .listVersionsByFunctionAction,
  publish_layer_version: async () =>
    (await import("./publish_layer_version/publish_layer_version.js")).publishLayerVersionAction,
  put_function_concurrency: async () =>
    (await import("./put_function_concurrency/put_function_concurrency.js"))
      .putFunctionConcurrencyAction,
  remove_permission: async () =>
    (await import("./remove_permission/remove_permission.js")).removePermissionAction,
  tag_function: async () => (await import("./tag_function/tag_function.js")).tagFunctionAction,
  test_connection: async () =>
    (await import("./test_connection/test_connection.js")).testConnectionAction,
  untag_function: async () =>
    (await import("./untag_function/untag_function.js")).untagFunctionAction,
  update_event_source_mapping: async () =>
    (await import("./update_event_source_mapping/update_event_source_mapping.js"))
      .updateEventSourceMappingAction,
  update_function_url_config: async () =>
    (await import("./update_function_url_config/update_function_url_config.js"))
      .updateFunctionUrlConfigAction,
};

/** The ids of every action, sorted. */
export const ACTION_NAMES: readonly string[] = Object.keys(LOADERS).sort();

/**
 * The definition of the action `name`, or `undefined` when there is none.
 *
 * @example
 * ```ts
 * const action = await loadAction("invoke_function");
 * ```
 */
export async function loadAction(name: string): Promise<ActionDefinition | undefined> {
  const load = Object.hasOwn(LOADERS, name) ? LOADERS[name] : undefined;
  return load === undefined ? undefined : ((await load()) as ActionDefinition);
}
