import type { z } from "zod";
import { changedSchema, previousStateFields, type UndoStep, undoSchema } from "./undo.js";

/*
 * What a change action declares besides its own fields, in one import: the
 * `require_previous_state` input, the outputs that say what changed and how to undo it
 * (`changeOutputs`), and the undo step builder.
 */
export type { MappedOutput } from "./defineAction.js";
export {
  changedSchema,
  previousSchema,
  previousStateFields,
  requirePreviousStateInput,
  type UndoStep,
  undoSchema,
  undoStep,
} from "./undo.js";

/**
 * The outputs every change action ends with: `changed`, `previous` (the state before, in
 * the shape of the matching read), `undo` and whether the state before was read.
 *
 * @param previous the schema of the state before, nullable: null when it was not read.
 * @param undoWhenEmpty when `undo` is empty besides "nothing changed" ("" for never).
 */
export function changeOutputs<Previous extends z.ZodType>(
  previous: Previous,
  undoWhenEmpty: string,
) {
  return {
    changed: changedSchema,
    previous,
    undo: undoSchema(undoWhenEmpty),
    ...previousStateFields,
  };
}

/**
 * The change outputs of a change made without reading the state before: it changed (as
 * far as anyone can tell), and nothing is known to undo.
 */
export function unknownPrevious(): { changed: true; previous: null; undo: UndoStep[] } {
  return { changed: true, previous: null, undo: [] };
}
