import { describe, expect, it } from "vitest";
import { ACTION_LIST, ACTION_NAMES, loadAction } from "../../../src/actions/actionList.js";

describe("the action list", () => {
  it.each(ACTION_LIST.map((entry) => [entry.name, entry] as const))(
    "loads %s as the definition of that name",
    async (name, entry) => {
      const action = await entry.load();

      expect(action.name).toBe(name);
      expect(await loadAction(name)).toBe(action);
    },
  );

  it("names each action once, and ACTION_NAMES sorts them", () => {
    const names = ACTION_LIST.map(({ name }) => name);

    expect(new Set(names).size).toBe(names.length);
    expect(ACTION_NAMES).toEqual([...names].sort());
  });

  it.each(["", "invoke_lambda", "toString", "__proto__", "constructor"])(
    "knows no action %j",
    async (name) => {
      expect(await loadAction(name)).toBeUndefined();
    },
  );
});
