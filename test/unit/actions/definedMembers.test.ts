import { describe, expect, it } from "vitest";
import { definedMembers } from "../../../src/actions/fields.js";

describe("definedMembers", () => {
  it("renames what the source sets and leaves out what it leaves unset", () => {
    const members = definedMembers(
      { handler: "app.handler", timeout: undefined, layers: ["arn:layer:1"] },
      { handler: "Handler", timeout: "Timeout", layers: "Layers" },
    );

    expect(members).toStrictEqual({ Handler: "app.handler", Layers: ["arn:layer:1"] });
  });

  it("keeps values that are set but falsy: 0, false and the empty string reach AWS", () => {
    const members = definedMembers(
      { retries: 0, enabled: false, description: "" },
      { retries: "MaximumRetryAttempts", enabled: "Enabled", description: "Description" },
    );

    expect(members).toStrictEqual({ MaximumRetryAttempts: 0, Enabled: false, Description: "" });
  });

  it("sends nothing the table does not name", () => {
    expect(definedMembers({ handler: "a", secret: "s" }, { handler: "Handler" })).toStrictEqual({
      Handler: "a",
    });
  });
});
