import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../src/errors.js";
import { parseInputText } from "../../../src/turbine/parseInputText.js";
import { thrownConnectorError } from "../../fixtures.js";

describe("parseInputText", () => {
  it.each([
    ["empty", ""],
    ["blank", "  \n\t"],
  ])("takes %s input as {}", (_label, text) => {
    expect(parseInputText(text)).toEqual({});
  });

  it("keeps large but finite numbers and ordinary keys as they are", () => {
    expect(parseInputText('{"payload": {"n": 1e308, "proto": 1, "id": "__proto__"}}')).toEqual({
      payload: { n: 1e308, proto: 1, id: "__proto__" },
    });
  });

  it.each([
    ["a flat field", '{"payload": {"n": 1e400}}', "payload.n"],
    ["the explicit form", '{"inputs": {"payload": [1, -1E999]}}', "payload[1]"],
    ["309 digits", `{"payload": ${"9".repeat(309)}}`, "payload"],
  ])("refuses a number that would become infinity, in %s, naming %s", (_label, text, field) => {
    const error = thrownConnectorError(() => parseInputText(text));

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ code: "invalid_input", field, exitCode: 2 });
    expect(error.message).toContain("infinity");
  });

  it.each([
    ["at the top", '{"__proto__": {"polluted": true}}', "__proto__"],
    [
      "deep in a payload",
      '{"inputs": {"payload": {"a": [{"__proto__": 1}]}}}',
      "payload.a[0].__proto__",
    ],
  ])("refuses a __proto__ key %s instead of dropping it, naming %s", (_label, text, field) => {
    const error = thrownConnectorError(() => parseInputText(text));

    expect(error).toMatchObject({ code: "invalid_input", field });
    expect(error.hint).toContain("Nothing was sent");
  });

  it("walks a document nested thousands deep without overflowing the stack", () => {
    const depth = 20_000;
    const text = `{"payload": ${"[".repeat(depth)}1e400${"]".repeat(depth)}}`;

    const error = thrownConnectorError(() => parseInputText(text));

    expect(error.field).toMatch(/^payload(\[0\])+$/);
  });

  it("says stdin is not JSON, exit 2", () => {
    expect(thrownConnectorError(() => parseInputText("{nope"))).toMatchObject({
      code: "usage",
      message: "Standard input is not valid JSON.",
    });
  });
});
