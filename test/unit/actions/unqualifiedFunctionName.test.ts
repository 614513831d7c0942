/**
 * The actions that apply to the whole function refuse a qualified function_name (a
 * version or alias that AWS would refuse) while validating the inputs, before any call.
 */
import { describe, expect, it } from "vitest";
import { loadAction } from "../../../src/actions/actionList.js";
import { InvalidInputError } from "../../../src/errors.js";
import { parseDocument } from "../../../src/validation.js";
import { thrownConnectorError } from "../../fixtures.js";

const QUALIFIED = [
  "enrich-indicator:live",
  "enrich-indicator:3",
  "123456789012:function:enrich-indicator:live",
  "arn:aws:lambda:us-east-1:123456789012:function:enrich-indicator:$LATEST",
];

/** Each action with the other inputs it requires, and why it refuses a qualifier. */
const WHOLE_FUNCTION_ACTIONS: [string, Record<string, unknown>, string][] = [
  ["list_aliases", {}, "aliases belong to the whole function"],
  ["list_versions_by_function", {}, "the list covers every version"],
  [
    "put_function_concurrency",
    { reserved_concurrent_executions: 0 },
    "reserved concurrency is set on the whole function",
  ],
  ["delete_function_concurrency", {}, "reserved concurrency is set on the whole function"],
  ["tag_function", { tags: { quarantine: "true" } }, "tags are set on the whole function"],
  ["untag_function", { tag_keys: ["quarantine"] }, "tags are set on the whole function"],
  ["assess_function_exposure", {}, "the assessment covers every alias and version"],
];

describe.each(WHOLE_FUNCTION_ACTIONS)("%s", (name, required, why) => {
  it.each(QUALIFIED)("refuses function_name %s, naming the field and why", async (qualified) => {
    const action = await loadAction(name);
    if (action === undefined) {
      throw new Error(`no action ${name}`);
    }

    const error = thrownConnectorError(() =>
      parseDocument(action.inputs, { function_name: qualified, ...required }, "inputs"),
    );

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe("function_name");
    expect(error.message).toContain(
      "function_name: must name the function without a version or alias",
    );
    expect(error.message).toContain(why);
  });

  it("takes the unqualified name and the unqualified ARN", async () => {
    const action = await loadAction(name);
    if (action === undefined) {
      throw new Error(`no action ${name}`);
    }

    for (const unqualified of [
      "enrich-indicator",
      "arn:aws:lambda:us-east-1:123456789012:function:enrich-indicator",
    ]) {
      expect(
        parseDocument(action.inputs, { function_name: unqualified, ...required }, "inputs"),
      ).toMatchObject({ function_name: unqualified });
    }
  });
});
