import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { type ActionGroup, loadActions } from "../../src/actions/actionList.js";

/** Every declared action, loaded, with its group. */
const ACTIONS = await loadActions();

const ROOT = resolve(import.meta.dirname, "..", "..");
const IAM_DIR = resolve(ROOT, "docs", "iam");

interface Statement {
  Effect: string;
  Action: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

function statements(file: string): Statement[] {
  return (JSON.parse(readFileSync(resolve(IAM_DIR, file), "utf8")) as { Statement: Statement[] })
    .Statement;
}

/** Every action a policy file allows, over all its statements. */
function allowedActions(file: string): string[] {
  const actions = statements(file)
    .filter((s) => s.Effect === "Allow")
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
  return [...new Set(actions)].sort();
}

/** The IAM actions the actions of these groups declare they need, less what `except` removes. */
function neededBy(groups: readonly ActionGroup[], except: (iam: string) => boolean = () => false) {
  const needed = ACTIONS.filter(({ group }) => groups.includes(group))
    .flatMap(({ action }) => action.iamActions)
    .filter((iam) => !except(iam));
  return [...new Set(needed)].sort();
}

/**
 * STS calls are the credential side's, not the role's: GetCallerIdentity needs no grant,
 * and AssumeRole is granted to the user that assumes the role (user-policy.json).
 */
const stsCall = (iam: string) => iam.startsWith("sts:");

/** Each permission policy in docs/iam, and what it must allow: exactly that, nothing more. */
const PERMISSION_POLICIES: ReadonlyArray<readonly [file: string, allows: () => string[]]> = [
  ["readonly-policy.json", () => neededBy(["inspect"])],
  ["responder-policy.json", () => neededBy(["inspect", "contain"])],
  ["provisioning-policy.json", () => neededBy(["provision"])],
  ["recover-policy.json", () => neededBy(["recover"])],
  ["role-permission-policy.json", () => neededBy(["run"], stsCall)],
  ["direct-keys-policy.json", () => neededBy(["run"], stsCall)],
  ["user-policy.json", () => ["sts:AssumeRole"]],
];

/** The role's trust policy: not a permission policy, checked for what it must say. */
const TRUST_POLICY = "trust-policy.json";

describe("the least-privilege policies in docs/iam", () => {
  it.each(PERMISSION_POLICIES)("%s allows exactly what it serves, nothing more", (file, allows) => {
    expect(allowedActions(file)).toEqual(allows());
  });

  it("the trust policy lets one principal assume the role, only with the external ID", () => {
    const [trust, ...others] = statements(TRUST_POLICY);

    expect(others).toEqual([]);
    expect(trust).toMatchObject({ Effect: "Allow", Action: "sts:AssumeRole" });
    expect(trust?.Principal).toEqual({ AWS: expect.stringMatching(/^arn:aws:iam::\d{12}:user\//) });
    expect(trust?.Condition?.StringEquals?.["sts:ExternalId"]).toEqual(expect.any(String));
  });

  it("checks every policy file there is, and the README's AWS setup names each", () => {
    const files = readdirSync(IAM_DIR).sort();
    const readme = readFileSync(resolve(ROOT, "README.md"), "utf8");
    const setup = readme.slice(readme.indexOf("## AWS setup"), readme.indexOf("## The asset"));

    expect(files).toEqual([...PERMISSION_POLICIES.map(([file]) => file), TRUST_POLICY].sort());
    for (const file of files) {
      expect(setup, `README's AWS setup should name ${file}`).toContain(`(docs/iam/${file})`);
    }
  });
});
