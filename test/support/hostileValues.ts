/**
 * Hostile values for property tests: what an attacker, a broken playbook or a careless
 * copy-paste can put in a Turbine document. Wrong types, numbers as strings and strings
 * as numbers, control characters and lone surrogates, very long and very deep values,
 * numbers past the double range, and prototype keys.
 */
import fc from "fast-check";
import { RawJson, withOwnKey } from "./jsonText.js";

/** How large "huge" values get; the full-size run keeps the default. */
export interface HostileSizes {
  /** Longest "very long" string, in characters. */
  longString: number;
  /** Deepest nesting, in levels. */
  depth: number;
  /** Most keys of a "many keys" object. */
  manyKeys: number;
}

export const DEFAULT_SIZES: HostileSizes = { longString: 200_000, depth: 20_000, manyKeys: 20_000 };

/** Characters that break naive text handling: C0/C1 controls, separators, BOM, lone surrogates. */
const NASTY_CHARACTERS = [
  "\u0000",
  "\u0007",
  "\b",
  "\t",
  "\n",
  "\r",
  "\u001b",
  "\u007f",
  "\u0085",
  "\u00a0",
  "\u200b",
  "\u2028",
  "\u2029",
  "\ufeff",
  "\ufffd",
  "\ud800",
  "\udfff",
  '"',
  "\\",
  "%",
  "%00",
  "é",
  "😀",
  "a",
  "Z",
  "0",
  "-",
  "/",
  ":",
  "@",
];

/** Text made of characters that break naive text handling, mixed with ordinary ones. */
export const nastyText: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...NASTY_CHARACTERS), { minLength: 1, maxLength: 24 })
  .map((parts) => parts.join(""));

/** Numbers written as strings, as a form field or a careless template produces them. */
export const numberAsString: fc.Arbitrary<string> = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true }).map(String),
  fc.constantFrom(
    "1e3",
    "0x10",
    " 42",
    "42 ",
    "+1",
    "-0",
    "NaN",
    "Infinity",
    "1_000",
    "٣",
    "1e400",
  ),
);

/** Numbers where strings (or booleans, or whole numbers) belong. */
export const stringAsNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, -1, 1.5, 2 ** 53 + 2, Number.MAX_VALUE, Number.MIN_VALUE, 1e21),
);

/** Number text that JSON.parse turns into something else: infinity, -0, a rounded integer. */
export const rawNumber: fc.Arbitrary<RawJson> = fc
  .constantFrom(
    "1e400",
    "-1e400",
    "1E+309",
    "1e-400",
    "-0",
    "123456789012345678901234567890",
    "9007199254740993",
    "0.1e1",
    "1e308",
  )
  .map((text) => new RawJson(text));

/** Objects that carry prototype-pollution keys as their own keys, at the top or nested. */
export const prototypeKeyed: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.constantFrom("__proto__", "constructor", "prototype"),
    fc.constantFrom<unknown>({ polluted: true }, { prototype: { polluted: true } }, "x", 1, null),
    fc.boolean(),
  )
  .map(([key, value, nested]) => {
    const inner = withOwnKey({}, key, value);
    return nested ? { level: inner } : inner;
  });

/** Wrong types for any field: booleans, numbers, null, arrays, objects, strings. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.boolean(),
  stringAsNumber,
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  fc.string({ maxLength: 12 }),
);

/** Blank values: what Turbine sends for an empty optional field, and their look-alikes. */
export const blank: fc.Arbitrary<unknown> = fc.constantFrom("", null, " ", "\t", "null", []);

/**
 * Values that are expensive to handle: very long strings, very deep arrays and objects,
 * objects with very many keys. Rare in the mix, bounded by `sizes`.
 */
export function hugeValue(sizes: HostileSizes = DEFAULT_SIZES): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc
      .integer({ min: 1_000, max: sizes.longString })
      .map((length) => `${"x".repeat(length - 8)}é\u0000\ud800"\\%/`),
    fc
      .tuple(fc.integer({ min: 500, max: sizes.depth }), fc.boolean())
      .map(([depth, arrays]) =>
        arrays
          ? new RawJson(`${"[".repeat(depth)}1${"]".repeat(depth)}`, `${depth} nested arrays`)
          : new RawJson(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`, `${depth} nested objects`),
      ),
    fc
      .integer({ min: 1_000, max: sizes.manyKeys })
      .map((count) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i]))),
  );
}

/** Any hostile value for a field, the expensive ones rare. */
export function hostileValue(sizes: HostileSizes = DEFAULT_SIZES): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: wrongType },
    { weight: 3, arbitrary: numberAsString },
    { weight: 3, arbitrary: stringAsNumber },
    { weight: 4, arbitrary: nastyText },
    { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
    { weight: 2, arbitrary: rawNumber },
    { weight: 2, arbitrary: prototypeKeyed },
    { weight: 2, arbitrary: blank },
    { weight: 1, arbitrary: hugeValue(sizes) },
  );
}

/** Keys nobody declared: misspellings, prototype keys, the explicit form's names, odd text. */
export const unknownKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "__proto__",
    "constructor",
    "prototype",
    "toString",
    "Region_Name",
    " region_name",
    "function-name",
    "ASSET_KEYS",
    "",
    "k".repeat(300),
  ),
  nastyText,
  fc.string({ minLength: 1, maxLength: 12 }),
);

/**
 * A hostile change of a document (inputs, an asset) that adds an unknown key with a
 * hostile value: one weighted choice of the changes an arbitrary makes.
 */
export function unknownKeyChange(sizes: HostileSizes) {
  return {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("unknown" as const),
      key: unknownKey,
      value: hostileValue(sizes),
    }),
  };
}
