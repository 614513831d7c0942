import type { ActionDefinition } from "./actionDefinition.js";
import { invokeFunctionAction } from "./invoke_function/invoke_function.js";

/**
 * Every action the connector offers, by id. The manifest generator and the entry
 * point both read this list, so an action added here is complete everywhere.
 */
export const ACTIONS: ReadonlyMap<string, ActionDefinition> = new Map(
  [invokeFunctionAction as unknown as ActionDefinition].map((action) => [action.name, action]),
);
