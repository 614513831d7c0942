import type { ActionDefinition } from "./actionDefinition.js";
import { invokeFunctionAction } from "./invoke_function/invoke_function.js";
import { testConnectionAction } from "./test_connection/test_connection.js";

/**
 * Every action the connector offers, by id. The manifest generator and the entry
 * point both read this list, so an action added here is complete everywhere.
 */
export const ACTIONS: ReadonlyMap<string, ActionDefinition> = new Map(
  [invokeFunctionAction, testConnectionAction].map((action) => [action.name, action]),
);
