import { describe, expect, it } from "vitest";
import { suggest } from "../../src/suggest.js";

const ACTIONS = ["invoke_function", "list_functions", "get_function", "get_policy"];

describe("suggest", () => {
  it.each([
    ["invoke_functon", "invoke_function"],
    ["invoke_fucntion", "invoke_function"],
    ["list_function", "list_functions"],
    ["get_polcy", "get_policy"],
  ])("takes %s for a typo of %s", (word, meant) => {
    expect(suggest(word, ACTIONS)).toBe(meant);
  });

  it.each([
    ["a different word", "delete_layer"],
    ["an empty word", ""],
    ["a word too long to be a typo", "x".repeat(10_000)],
  ])("suggests nothing for %s", (_, word) => {
    expect(suggest(word, ACTIONS)).toBeUndefined();
  });

  it("suggests nothing without candidates", () => {
    expect(suggest("invoke", [])).toBeUndefined();
  });

  it("allows one edit in a short word and no more", () => {
    expect(suggest("ab", ["ac"])).toBe("ac");
    expect(suggest("ab", ["cd"])).toBeUndefined();
  });
});
