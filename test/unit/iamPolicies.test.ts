import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { type ActionGroup, loadActions } from "../../src/actions/actionList.js";

/** Every declared action, loaded, with its group. */
const ACTIONS = await loadActions();

const IAM_DIR = resolve(import.meta.dirname, "..", "..", "docs", "iam");

/** Every action a policy file allows, over all its statements. */
function allowedActions(file: string): string[] {
  const policy = JSON.parse(readFileSync(resolve(IAM_DIR, file), "utf8")) as {
    Statement: { Effect: string; Action: string | string[] }[];
  };
  const actions = policy.Statement.filter((s) => s.Effect === "Allow").flatMap((s) =>
    Array.isArray(s.Action) ? s.Action : [s.Action],
  );
  return [...new Set(actions)].sort();
}

/** The IAM actions the actions of these groups declare they need. */
function neededBy(groups: readonly ActionGroup[]): string[] {
  const needed = ACTIONS.filter(({ group }) => groups.includes(group)).flatMap(
    ({ action }) => action.iamActions,
  );
  return [...new Set(needed)].sort();
}

describe("the least-privilege policies in docs/iam", () => {
  it.each([
    ["readonly-policy.json", ["inspect"]],
    ["responder-policy.json", ["inspect", "contain"]],
  ] as const)("%s allows exactly what the %j actions declare, nothing more", (file, groups) => {
    expect(allowedActions(file)).toEqual(neededBy(groups));
  });
});
