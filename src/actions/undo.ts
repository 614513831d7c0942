import { z } from "zod";
import { errorOutput, field } from "../outputFields.js";
import { flagInput, type JsonValue } from "./fields.js";

/** One action, with its exact inputs, that a playbook runs to restore a state. */
export const undoStepSchema = z.object({
  action: field.text("The action to run, e.g. add_permission."),
  inputs: z
    .record(z.string(), z.json())
    .meta({ description: "Its inputs, exactly as the action takes them." }),
});

/** One undo step. */
export type UndoStep = z.output<typeof undoStepSchema>;

/**
 * The `undo` output of a change action: the steps that put back what the change
 * altered, in order.
 */
export function undoSchema(whenEmpty: string) {
  return z.array(undoStepSchema).meta({
    description: `The actions, in order, with their exact inputs, that restore the state before the change. Empty when nothing changed${whenEmpty === "" ? "" : `, or ${whenEmpty}`}.`,
  });
}

/** The `changed` output of a change action. */
export const changedSchema = field.flag(
  "Whether this run changed anything: false when the state asked for was already in place (a re-run is safe).",
);

/**
 * An undo step for `action`; inputs that are `undefined` are left out, as the action
 * would leave them unset.
 *
 * @example
 * ```ts
 * undoStep("delete_function_concurrency", { function_name: "enrich-indicator" });
 * // { action: "delete_function_concurrency", inputs: { function_name: "enrich-indicator" } }
 * ```
 */
export function undoStep(
  action: string,
  inputs: Readonly<Record<string, JsonValue | undefined>>,
): UndoStep {
  const kept: Record<string, JsonValue> = {};
  for (const [name, value] of Object.entries(inputs)) {
    if (value !== undefined) {
      kept[name] = value;
    }
  }
  return { action, inputs: kept };
}

/**
 * The `previous` output of a change action: the one thing it changes (`key`), as it was
 * (`whenNone` says what null means there), or null as a whole when the read before failed.
 */
export function previousSchema<K extends string, S extends z.ZodType>(
  key: K,
  schema: S,
  whenNone: string,
) {
  const shape = { [key]: schema.nullable().meta({ description: whenNone }) } as Record<
    K,
    z.ZodNullable<S>
  >;
  return z
    .object(shape)
    .nullable()
    .meta({ description: "The state before the change; null when it could not be read." });
}

/** The input that makes a change fail closed when the state before cannot be read. */
export const requirePreviousStateInput = flagInput(
  "Require Previous State",
  "Fail, changing nothing, when the state before cannot be read (its read is denied). By default the change is made anyway, and previous_state_known says the state before is unknown: a containment is never blocked by a missing read permission.",
);

/** The outputs that say whether the state before was read. */
export const previousStateFields = {
  previous_state_known: field.flag(
    "false when the read of the state before was denied and the change was made anyway: previous is then null and undo holds only what needs no state before.",
  ),
  previous_state_error: z
    .nullable(errorOutput("What the read's error said."))
    .meta({ description: "Why the state before is unknown; null when it was read." }),
};
