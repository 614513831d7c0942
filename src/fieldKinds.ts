import { z } from "zod";

/**
 * The kinds of an output field, each with the one description the manifests publish for
 * it: a field of an output schema is its kind and what it means, written once. The JSON
 * Schema is the same as the chain it stands for (`field.nullableText(d)` is
 * `z.string().nullable().meta({ description: d })`).
 *
 * @example
 * ```ts
 * z.object({
 *   runtime: field.nullableText("null for container-image functions."),
 *   memory_size: field.nullableNumber("Memory in MB."),
 * });
 * ```
 */
export const field = {
  /** A string. */
  text: (description: string) => z.string().meta({ description }),
  /** A string, or null when AWS gave none or it does not apply. */
  nullableText: (description: string) => z.string().nullable().meta({ description }),
  /** A list of strings. */
  texts: (description: string) => z.array(z.string()).meta({ description }),
  /** true or false. */
  flag: (description: string) => z.boolean().meta({ description }),
  /** true, false or null (not known). */
  nullableFlag: (description: string) => z.boolean().nullable().meta({ description }),
  /** A number. */
  number: (description: string) => z.number().meta({ description }),
  /** A number, or null when AWS gave none. */
  nullableNumber: (description: string) => z.number().nullable().meta({ description }),
  /** A whole number (a count, a size, a status). */
  integer: (description: string) => z.number().int().meta({ description }),
  /** A whole number, or null. */
  nullableInteger: (description: string) => z.number().int().nullable().meta({ description }),
};
