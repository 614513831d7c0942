import { addPermissionAction } from "./add_permission/add_permission.js";
import { assessFunctionExposureAction } from "./assess_function_exposure/assess_function_exposure.js";
import { createFunctionAction } from "./create_function/create_function.js";
import { createFunctionUrlConfigAction } from "./create_function_url_config/create_function_url_config.js";
import type { ActionDefinition } from "./defineAction.js";
import { deleteFunctionAction } from "./delete_function/delete_function.js";
import { deleteFunctionConcurrencyAction } from "./delete_function_concurrency/delete_function_concurrency.js";
import { deleteFunctionUrlConfigAction } from "./delete_function_url_config/delete_function_url_config.js";
import { deleteLayerVersionAction } from "./delete_layer_version/delete_layer_version.js";
import { getAccountSettingsAction } from "./get_account_settings/get_account_settings.js";
import { getFunctionAction } from "./get_function/get_function.js";
import { getFunctionUrlConfigAction } from "./get_function_url_config/get_function_url_config.js";
import { getPolicyAction } from "./get_policy/get_policy.js";
import { invokeFunctionAction } from "./invoke_function/invoke_function.js";
import { listAliasesAction } from "./list_aliases/list_aliases.js";
import { listEventSourceMappingsAction } from "./list_event_source_mappings/list_event_source_mappings.js";
import { listFunctionsAction } from "./list_functions/list_functions.js";
import { listLayerVersionsAction } from "./list_layer_versions/list_layer_versions.js";
import { listLayersAction } from "./list_layers/list_layers.js";
import { listVersionsByFunctionAction } from "./list_versions_by_function/list_versions_by_function.js";
import { publishLayerVersionAction } from "./publish_layer_version/publish_layer_version.js";
import { putFunctionConcurrencyAction } from "./put_function_concurrency/put_function_concurrency.js";
import { removePermissionAction } from "./remove_permission/remove_permission.js";
import { tagFunctionAction } from "./tag_function/tag_function.js";
import { testConnectionAction } from "./test_connection/test_connection.js";
import { untagFunctionAction } from "./untag_function/untag_function.js";
import { updateEventSourceMappingAction } from "./update_event_source_mapping/update_event_source_mapping.js";
import { updateFunctionUrlConfigAction } from "./update_function_url_config/update_function_url_config.js";

/** Which part of an incident response an action serves; the README groups them so. */
export type ActionGroup = "run" | "inspect" | "contain" | "provision";

/**
 * Every action the connector offers, by id, in the order the docs list them. The
 * manifest generator and the entry point both read this list, so an action added here
 * is complete everywhere.
 */
const GROUPS: ReadonlyArray<readonly [ActionGroup, readonly unknown[]]> = [
  ["run", [invokeFunctionAction, testConnectionAction]],
  [
    "inspect",
    [
      listFunctionsAction,
      getFunctionAction,
      listVersionsByFunctionAction,
      listAliasesAction,
      getPolicyAction,
      getFunctionUrlConfigAction,
      getAccountSettingsAction,
      listEventSourceMappingsAction,
      assessFunctionExposureAction,
      listLayersAction,
      listLayerVersionsAction,
    ],
  ],
  [
    "contain",
    [
      putFunctionConcurrencyAction,
      deleteFunctionConcurrencyAction,
      removePermissionAction,
      addPermissionAction,
      updateFunctionUrlConfigAction,
      deleteFunctionUrlConfigAction,
      createFunctionUrlConfigAction,
      updateEventSourceMappingAction,
      tagFunctionAction,
      untagFunctionAction,
      deleteFunctionAction,
    ],
  ],
  ["provision", [createFunctionAction, publishLayerVersionAction, deleteLayerVersionAction]],
];

// Each definition is typed by its own schemas; the entry only needs the common shape.
const entries = GROUPS.flatMap(([group, actions]) =>
  (actions as ActionDefinition[]).map((action) => ({ group, action })),
);

/** Every action by id. */
export const ACTIONS: ReadonlyMap<string, ActionDefinition> = new Map(
  entries.map(({ action }) => [action.name, action]),
);

/** The group of every action, by id. */
export const ACTION_GROUPS: ReadonlyMap<string, ActionGroup> = new Map(
  entries.map(({ group, action }) => [action.name, group]),
);
