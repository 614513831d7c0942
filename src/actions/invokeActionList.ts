import type { ActionDefinition } from "./defineAction.js";
import { invokeFunctionAction } from "./invoke_function/invoke_function.js";

/**
 * The action list of dist/invoke.cjs, the bundle the loader runs for invoke_function
 * alone (the build puts it in place of actionList.ts there): the invoke action imported
 * statically, so that the bundle holds only what an invoke runs. A bundle that reaches
 * an SDK client's package through a dynamic import evaluates the whole package on first
 * use (every command of client-lambda, every submodule of @smithy/core); a static
 * import lets the bundler keep only what is used, and the invoke's code cache shrinks
 * with it. Every other action runs from dist/connector.cjs, built from actionList.ts.
 */

/** The one action of this bundle. */
export const ACTION_NAMES: readonly string[] = [invokeFunctionAction.name];

/**
 * The invoke action when `name` is its name, else `undefined` (the loader never sends
 * another action here).
 *
 * @example
 * ```ts
 * const action = await loadAction("invoke_function");
 * ```
 */
export async function loadAction(name: string): Promise<ActionDefinition | undefined> {
  return name === invokeFunctionAction.name ? invokeFunctionAction : undefined;
}
