import type { ActionDefinition } from "./defineAction.js";
import { getAccountSettingsAction } from "./get_account_settings/get_account_settings.js";
import { invokeFunctionAction } from "./invoke_function/invoke_function.js";
import { listFunctionsAction } from "./list_functions/list_functions.js";
import { testConnectionAction } from "./test_connection/test_connection.js";

/**
 * Every action the connector offers, by id. The manifest generator and the entry
 * point both read this list, so an action added here is complete everywhere.
 */
export const ACTIONS: ReadonlyMap<string, ActionDefinition> = new Map(
  [invokeFunctionAction, testConnectionAction, getAccountSettingsAction, listFunctionsAction].map(
    (action) => [action.name, action as unknown as ActionDefinition],
  ),
);
