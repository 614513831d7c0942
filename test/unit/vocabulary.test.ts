/**
 * The output vocabulary, asserted over every action in ACTION_LIST (so an action added
 * later is held to it too), on the JSON Schemas the manifests publish:
 *
 * - every key is snake_case and has a description;
 * - a timestamp (`format: date-time`, from `timestampOutput`) is named `last_modified` or
 *   `*_at`, and a key named like a timestamp is one;
 * - a list of items is named by the plural of the item; a paginated output has `count`,
 *   `truncated` and `next_marker` together;
 * - one concept has one name: the synonyms in {@link SYNONYMS} are refused, and objects
 *   of the same shape are held by the same noun (`function`, `functions[]`,
 *   `latest_function`), wherever they appear;
 * - a change action has `changed` and `undo`, and `previous_state_known` comes with
 *   `previous` and `previous_state_error`;
 * - no generated `__schemaN` definitions and no safe-integer bounds in any manifest.
 */
import { describe, expect, it } from "vitest";
import { buildManifests } from "../../scripts/lib/manifests.js";
import { type SchemaKey, type SchemaProperty, schemaKeys } from "../../scripts/lib/schemaKeys.js";
import { isoTimestamp } from "../../src/actions/fields.js";

const manifests = await buildManifests("0.0.0");
const ACTIONS = manifests
  .filter((manifest) => manifest.content.schema === "action/1")
  .map((manifest) => ({
    name: String(manifest.content.name),
    output: manifest.content.output as SchemaProperty,
    keys: schemaKeys(manifest.content.output as SchemaProperty),
  }));

/** Names refused in outputs, with the one the vocabulary uses for the same concept. */
const SYNONYMS: Record<string, string> = {
  configuration: "function",
  config: "function",
  mapping: "event_source_mapping",
  mappings: "event_source_mappings",
  trigger: "event_source_mapping",
  triggers: "event_source_mappings",
  reserved_concurrency: "reserved_concurrent_executions",
  concurrency: "reserved_concurrent_executions",
  created: "created_at",
  creation_time: "created_at",
  created_date: "created_at",
  last_modified_time: "last_modified",
  updated: "last_modified",
  items: "the plural of the item",
  results: "the plural of the item",
  marker: "next_marker",
  total: "count",
  previous_state: "previous",
  previous_values: "previous",
  removed: "changed",
  revision: "revision_id",
};

/** Keys that name the vocabulary's own fixed terms rather than a list of items. */
const FIXED_TERMS = new Set(["undo", "previous"]);

const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const TIMESTAMP_NAME = /^last_modified$|_at$/;
const TIMESTAMP_LIKE = /(^|_)(at|time|date|timestamp|created|modified|updated)$/;

/** The singular of a list's name: `aliases` → `alias`, `event_source_mappings` → `…_mapping`. */
function singular(name: string): string {
  if (name.endsWith("ies")) {
    return `${name.slice(0, -3)}y`;
  }
  if (/(s|x|ch|sh)es$/.test(name)) {
    return name.slice(0, -2);
  }
  return name.endsWith("s") ? name.slice(0, -1) : name;
}

/** The object a key holds (itself, or a list's item), when it has properties. */
function heldObject(key: SchemaKey): { noun: string; keys: string[] } | undefined {
  const isList = key.property.type === "array";
  const object = isList ? key.property.items : key.property;
  const properties = object?.anyOf?.find((o) => o.type === "object")?.properties;
  const keys = Object.keys(object?.properties ?? properties ?? {});
  return keys.length === 0 ? undefined : { noun: isList ? singular(key.key) : key.key, keys };
}

/** Whether two nouns name the same thing: equal, or one qualifies the other (`latest_x`). */
function sameNoun(a: string, b: string): boolean {
  return a === b || a.endsWith(`_${b}`) || b.endsWith(`_${a}`);
}

function each<T>(pick: (action: (typeof ACTIONS)[number]) => T[]) {
  return ACTIONS.map((action) => [action.name, pick(action)] as const);
}

describe("the output vocabulary, over every action's output schema", () => {
  it("covers every action", () => {
    expect(ACTIONS.length).toBeGreaterThanOrEqual(27);
    for (const action of ACTIONS) {
      expect(action.keys.length, action.name).toBeGreaterThan(0);
    }
  });

  it.each(each((a) => a.keys))("%s: every key is snake_case", (_name, keys) => {
    expect(keys.filter((k) => !SNAKE_CASE.test(k.key)).map((k) => k.path)).toEqual([]);
  });

  it.each(each((a) => a.keys))("%s: every key is documented", (_name, keys) => {
    expect(
      keys.filter((k) => (k.property.description ?? "").trim() === "").map((k) => k.path),
    ).toEqual([]);
  });

  it.each(each((a) => a.keys))(
    "%s: timestamps are ISO 8601 outputs named last_modified or *_at, and only they are",
    (_name, keys) => {
      const timestamps = keys.filter((k) => k.property.format === "date-time");
      const misnamed = timestamps.filter((k) => !TIMESTAMP_NAME.test(k.key)).map((k) => k.path);
      const untyped = keys
        .filter((k) => TIMESTAMP_LIKE.test(k.key) && k.property.format !== "date-time")
        .map((k) => k.path);

      expect({ misnamed, untyped }).toEqual({ misnamed: [], untyped: [] });
    },
  );

  it.each(each((a) => a.keys))("%s: uses no refused synonym", (_name, keys) => {
    const refused = keys
      .filter((k) => SYNONYMS[k.key] !== undefined)
      .map((k) => `${k.path} (say ${SYNONYMS[k.key]})`);

    expect(refused).toEqual([]);
  });

  it.each(each((a) => a.keys))(
    "%s: a list of items is named by the plural of the item",
    (_name, keys) => {
      const lists = keys.filter(
        (k) =>
          k.property.type === "array" && heldObject(k) !== undefined && !FIXED_TERMS.has(k.key),
      );

      expect(lists.filter((k) => singular(k.key) === k.key).map((k) => k.path)).toEqual([]);
    },
  );

  it.each(ACTIONS.map((action) => [action.name, action.output] as const))(
    "%s: count, truncated and next_marker come together, with one list they count",
    (_name, output) => {
      const top = Object.keys(output.properties ?? {});
      const paging = ["count", "truncated", "next_marker"].filter((key) => top.includes(key));
      if (paging.length === 0) {
        expect(top).not.toContain("marker");
        return;
      }
      const lists = top.filter((key) => output.properties?.[key]?.type === "array");

      expect(paging).toEqual(["count", "truncated", "next_marker"]);
      expect(lists).toHaveLength(1);
      expect(output.properties?.count?.description).toContain(lists[0]);
    },
  );

  it.each(ACTIONS.map((action) => [action.name, action.output] as const))(
    "%s: a change action says whether it changed anything and how to undo it",
    (_name, output) => {
      const top = Object.keys(output.properties ?? {});
      if (top.includes("changed")) {
        expect(top).toContain("undo");
      }
      if (top.includes("previous_state_known")) {
        expect(top).toEqual(expect.arrayContaining(["previous", "previous_state_error"]));
      }
      if (top.includes("undo")) {
        expect(top).toContain("changed");
      }
    },
  );

  it("holds objects of one shape under one noun, in every action", () => {
    const held = ACTIONS.flatMap((action) =>
      action.keys
        .filter((k) => !FIXED_TERMS.has(k.key))
        .flatMap((k) => {
          const object = heldObject(k);
          return object === undefined || object.keys.length < 3
            ? []
            : [{ ...object, where: `${action.name} ${k.path}` }];
        }),
    );
    const clashes: string[] = [];
    for (const a of held) {
      for (const b of held) {
        const [small, large] = a.keys.length <= b.keys.length ? [a, b] : [b, a];
        const contained = small.keys.every((key) => large.keys.includes(key));
        // The same shape, or most of one: the same concept, which needs the same noun.
        if (contained && small.keys.length * 3 >= large.keys.length * 2) {
          if (!sameNoun(a.noun, b.noun)) {
            clashes.push(`${a.where} (${a.noun}) ~ ${b.where} (${b.noun})`);
          }
        }
      }
    }

    expect([...new Set(clashes)]).toEqual([]);
  });

  it("singularizes the vocabulary's plurals", () => {
    expect(
      ["aliases", "event_source_mappings", "policies", "functions", "statuses"].map(singular),
    ).toEqual(["alias", "event_source_mapping", "policy", "function", "status"]);
  });
});

describe("the generated manifests", () => {
  const text = JSON.stringify(manifests.map((manifest) => manifest.content));

  it("name every shared definition (no __schemaN)", () => {
    expect(text).not.toMatch(/__schema\d/);
  });

  it("carry no safe-integer bounds", () => {
    expect(text).not.toContain(String(Number.MAX_SAFE_INTEGER));
  });
});

describe("isoTimestamp", () => {
  it.each([
    ["2026-02-27T09:14:03.000+0000", "2026-02-27T09:14:03.000Z"],
    ["2026-02-27T09:14:03.5+01:00", "2026-02-27T08:14:03.500Z"],
    ["2026-02-27T09:14:03Z", "2026-02-27T09:14:03.000Z"],
    [new Date(Date.UTC(2026, 1, 27, 9, 14, 3)), "2026-02-27T09:14:03.000Z"],
    ["yesterday", null],
    ["2026-02-27", null],
    ["2026-13-45T99:99:99Z", null],
    [undefined, null],
  ])("writes %s as %s", (value, expected) => {
    expect(isoTimestamp(value)).toBe(expected);
  });
});
