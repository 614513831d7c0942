import { describe, expect, it } from "vitest";
import { ACTION_NAMES, loadAction } from "../../../src/actions/catalog.js";
import { ACTIONS } from "../../../src/actions/registry.js";

describe("the lazy action catalog", () => {
  it("names exactly the actions of the registry", () => {
    expect([...ACTION_NAMES]).toEqual([...ACTIONS.keys()].sort());
  });

  it.each([...ACTIONS.keys()])("loads %s as the registry's own definition", async (name) => {
    expect(await loadAction(name)).toBe(ACTIONS.get(name));
  });

  it.each(["", "invoke_lambda", "toString", "__proto__", "constructor"])(
    "knows no action %j",
    async (name) => {
      expect(await loadAction(name)).toBeUndefined();
    },
  );
});
