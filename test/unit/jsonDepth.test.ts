import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonNodesWithin } from "../../src/jsonDepth.js";

/** `levels` arrays nested in one another around `leaf`: the leaf lies `levels` down. */
function nestedArrays(levels: number, leaf: unknown = 1): unknown {
  let value: unknown = leaf;
  for (let i = 0; i < levels; i++) {
    value = [value];
  }
  return value;
}

/** The same, as objects: `{ "k": { "k": … leaf } }`. */
function nestedObjects(levels: number, leaf: unknown = 1): unknown {
  let value: unknown = leaf;
  for (let i = 0; i < levels; i++) {
    value = { k: value };
  }
  return value;
}

describe("jsonNodesWithin", () => {
  it("counts the value itself as level 0, so a scalar is within any depth", () => {
    expect(jsonNodesWithin("text", 0)).toBe(true);
    expect(jsonNodesWithin({}, 0)).toBe(true);
    expect(jsonNodesWithin([], 0)).toBe(true);
    expect(jsonNodesWithin([1], 0)).toBe(false);
  });

  it.each([
    ["arrays", nestedArrays],
    ["objects", nestedObjects],
  ])("puts a leaf n levels down within n, not within n - 1 (%s)", (_kind, nest) => {
    for (const levels of [1, 2, 7, 1000]) {
      expect(jsonNodesWithin(nest(levels), levels)).toBe(true);
      expect(jsonNodesWithin(nest(levels), levels - 1)).toBe(false);
    }
  });

  it("counts empty containers as nodes of their level, with nothing below them", () => {
    expect(jsonNodesWithin(nestedObjects(3, {}), 3)).toBe(true);
    expect(jsonNodesWithin(nestedObjects(3, {}), 2)).toBe(false);
    expect(jsonNodesWithin(nestedArrays(3, []), 3)).toBe(true);
  });

  it("walks a value nested far deeper than the stack allows, without recursion", () => {
    expect(jsonNodesWithin(nestedArrays(200_000), 200_000)).toBe(true);
    expect(jsonNodesWithin(nestedArrays(200_000), 1000)).toBe(false);
  });

  it("finds the deepest branch wherever it is among wide siblings", () => {
    const records = Array.from({ length: 5000 }, (_, i) => ({ id: i, tags: ["a", "b"] }));
    records[3210] = { id: 3210, tags: ["a", nestedArrays(5)] } as never;
    const value = { records };

    // records (1), a record (2), tags (3), the nested arrays (4..8), the leaf 9 down.
    expect(jsonNodesWithin(value, 9)).toBe(true);
    expect(jsonNodesWithin(value, 8)).toBe(false);
  });

  it("asks accept about every node, the value itself, containers and leaves", () => {
    const seen: unknown[] = [];
    const value = { a: [1, { b: "x" }], c: null };

    expect(jsonNodesWithin(value, 10, (node) => seen.push(node) > 0)).toBe(true);

    expect(seen).toHaveLength(6);
    expect(seen).toEqual(expect.arrayContaining([value, value.a, 1, value.a[1], "x", null]));
  });

  it("fails as soon as one node is refused, however deep", () => {
    const refuseInfinity = (node: unknown) => node !== Number.POSITIVE_INFINITY;

    expect(jsonNodesWithin({ a: [1, 2, { b: [3] }] }, 10, refuseInfinity)).toBe(true);
    expect(
      jsonNodesWithin({ a: [1, 2, { b: [Number.POSITIVE_INFINITY] }] }, 10, refuseInfinity),
    ).toBe(false);
    expect(jsonNodesWithin(Number.POSITIVE_INFINITY, 10, refuseInfinity)).toBe(false);
  });

  it("agrees with the depth JSON.parse builds, for any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const depth = depthOf(value);
        expect(jsonNodesWithin(value, depth)).toBe(true);
        if (depth > 0) {
          expect(jsonNodesWithin(value, depth - 1)).toBe(false);
        }
      }),
    );
  });
});

/** The deepest node's level, by recursion (the generated values are shallow). */
function depthOf(value: unknown): number {
  if (typeof value !== "object" || value === null) {
    return 0;
  }
  const children = Object.values(value);
  return children.length === 0 ? 0 : 1 + Math.max(...children.map(depthOf));
}
