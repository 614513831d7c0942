import { describe, expect, it } from "vitest";
import * as full from "../../../src/actions/actionList.js";
import { ACTION_NAMES, loadAction } from "../../../src/actions/invokeActionList.js";

/** dist/invoke.cjs's action list: the invoke action, the same definition as the full list's. */
describe("the invoke bundle's action list", () => {
  it("loads invoke_function as the full list does", async () => {
    expect(ACTION_NAMES).toEqual(["invoke_function"]);
    expect(await loadAction("invoke_function")).toBe(await full.loadAction("invoke_function"));
  });

  it.each(["", "get_function", "test_connection", "toString", "__proto__"])(
    "knows no action %j",
    async (name) => {
      expect(await loadAction(name)).toBeUndefined();
    },
  );
});
