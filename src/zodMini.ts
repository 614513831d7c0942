/**
 * zod's functional API (`zod/mini`), in which the schemas on invoke_function's path are
 * written: the asset, the shared input and output fields, and invoke_function's own.
 * They are the same schemas as classic zod's (one core: they nest in classic schemas,
 * and give the same JSON Schema and issues), without classic's methods. The run of
 * invoke_function, from dist/invoke.cjs, evaluates no classic zod at all: classic's
 * module and the schemas built with it cost its start ~8 ms of the ~100 (scripts/build.mjs
 * fails the build if classic zod reaches that bundle).
 *
 * Messages are English, as classic zod sets them on first use: the validation layer
 * shows zod's own wording where a schema gives none.
 */
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";

z.config(en());

export { z };

/**
 * `schema` with `meta` (title, description, examples, format…) for the manifests: a copy
 * registered in zod's global registry, as classic zod's `.meta()` makes it.
 *
 * @example
 * ```ts
 * withMeta(z.optional(z.string()), { title: "Qualifier", description: "A version or alias." });
 * ```
 */
export function withMeta<T extends z.core.$ZodType>(schema: T, meta: z.core.GlobalMeta): T {
  const copy = z.clone(schema);
  z.globalRegistry.add(copy, meta);
  return copy;
}
