import type { z } from "zod";
import type { AwsSession } from "../aws/awsSession.js";

/**
 * One action Turbine can call: its id, manifest texts, input and output schemas, and
 * what it does. The schemas are the single source of truth for `actions/<name>.yaml`.
 */
export interface ActionDefinition<
  I extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
> {
  /** The action id: snake_case, the manifest's file name and the entry's argument. */
  name: string;
  title: string;
  description: string;
  inputs: I;
  output: O;
  run(inputs: z.output<I>, session: AwsSession): Promise<z.input<O>>;
}

/**
 * Declares an action with its types checked against its schemas.
 *
 * @example
 * ```ts
 * export const pingAction = defineAction({ name: "ping", title: "Ping", description: "…",
 *   inputs: z.strictObject({}), output: z.object({ ok: z.boolean() }),
 *   run: async () => ({ ok: true }) });
 * ```
 */
export function defineAction<I extends z.ZodType, O extends z.ZodType>(
  definition: ActionDefinition<I, O>,
): ActionDefinition<I, O> {
  return definition;
}
