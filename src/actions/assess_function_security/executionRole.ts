import type {
  GetPolicyCommandOutput,
  GetPolicyVersionCommandOutput,
  GetRolePolicyCommandOutput,
  ListAttachedRolePoliciesCommandOutput,
  ListRolePoliciesCommandOutput,
} from "@aws-sdk/client-iam";
import type { AwsCall } from "../../aws/call.js";
import type { Executor, SdkCommand } from "../../aws/executor.js";
import type { Severity } from "../assess_function_exposure/exposure.js";
import { matchesIamAction } from "../policyStatements.js";

/** The IAM reads the role check makes, declared for the executor and docs/iam. */
export const ROLE_READS = {
  listAttached: { service: "iam", operation: "ListAttachedRolePolicies", retry: "idempotent" },
  listInline: { service: "iam", operation: "ListRolePolicies", retry: "idempotent" },
  getInline: { service: "iam", operation: "GetRolePolicy", retry: "idempotent" },
  getPolicy: { service: "iam", operation: "GetPolicy", retry: "idempotent" },
  getVersion: { service: "iam", operation: "GetPolicyVersion", retry: "idempotent" },
} as const satisfies Record<string, AwsCall>;

/** One policy of the execution role, read. */
export interface RolePolicy {
  /** The policy's name (inline) or ARN (managed). */
  name: string;
  kind: "aws_managed" | "customer_managed" | "inline";
  /** The parsed policy document; undefined for an AWS-managed policy judged by name. */
  document: unknown;
}

/** What {@link readRolePolicies} could not read: the check is then incomplete. */
export interface UnreadPolicy {
  what: string;
  error: unknown;
}

/**
 * Every policy of the role `roleArn`: attached managed policies (AWS-managed ones by
 * name, customer-managed ones with their default version's document) and inline
 * policies with their documents. `read` runs each IAM call, recording a failure instead
 * of throwing; a failed read leaves its part out.
 */
export async function readRolePolicies(
  roleArn: string,
  executor: Executor,
  read: <T>(what: string, call: () => Promise<T>) => Promise<T | undefined>,
): Promise<RolePolicy[]> {
  const iam = await import("@aws-sdk/client-iam");
  const send = <T extends object>(call: AwsCall, command: SdkCommand) =>
    executor.send<T & { $metadata: object }>(call, command);
  // IAM takes the role's name, without its path.
  const role = roleArn;
  const roleName = roleArn.slice(roleArn.lastIndexOf("/") + 1);
  const attached = await read(`attached policies of role ${roleName}`, () =>
    collect(async (marker) => {
      const page = await send<ListAttachedRolePoliciesCommandOutput>(
        { ...ROLE_READS.listAttached, resource: role, target: `role ${roleName}` },
        new iam.ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker: marker }),
      );
      return {
        items: (page.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? ""),
        marker: page.IsTruncated ? page.Marker : undefined,
      };
    }),
  );
  const inline = await read(`inline policies of role ${roleName}`, () =>
    collect(async (marker) => {
      const page = await send<ListRolePoliciesCommandOutput>(
        { ...ROLE_READS.listInline, resource: role, target: `role ${roleName}` },
        new iam.ListRolePoliciesCommand({ RoleName: roleName, Marker: marker }),
      );
      return { items: page.PolicyNames ?? [], marker: page.IsTruncated ? page.Marker : undefined };
    }),
  );
  const policies: RolePolicy[] = [];
  for (const arn of attached ?? []) {
    if (/^arn:[^:]+:iam::aws:policy\//.test(arn)) {
      policies.push({ name: arn, kind: "aws_managed", document: undefined });
      continue;
    }
    const document = await read(`policy ${arn}`, () => managedPolicyDocument(iam, send, arn));
    if (document !== undefined) {
      policies.push({ name: arn, kind: "customer_managed", document });
    }
  }
  for (const name of inline ?? []) {
    const document = await read(`inline policy ${name} of role ${roleName}`, async () => {
      const answer = await send<GetRolePolicyCommandOutput>(
        { ...ROLE_READS.getInline, resource: role, target: `role ${roleName}` },
        new iam.GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }),
      );
      return parseDocument(answer.PolicyDocument);
    });
    if (document !== undefined) {
      policies.push({ name, kind: "inline", document });
    }
  }
  return policies;
}

/**
 * The role policies read once per role for many functions (a sweep's functions often
 * share a few execution roles): the first function's read is kept with the reads it
 * could not make, and every later function of that role gets the same policies and the
 * same failures, recorded through its own `read`. A read that was thrown (the sweep's
 * pool sends a throttled check again) is not kept: the next function reads the role anew.
 */
export class RolePolicyCache {
  private readonly entries = new Map<
    string,
    Promise<{ policies: RolePolicy[]; failures: { what: string; error: unknown }[] }>
  >();
  /** How many times the role's policies were read from IAM, by role ARN (for tests and the bench). */
  readonly reads = new Map<string, number>();

  async read(
    roleArn: string,
    executor: Executor,
    read: <T>(what: string, call: () => Promise<T>) => Promise<T | undefined>,
  ): Promise<RolePolicy[]> {
    const kept = this.entries.get(roleArn);
    if (kept !== undefined) {
      const { policies, failures } = await kept;
      for (const { what, error } of failures) {
        await read(what, () => Promise.reject(error));
      }
      return policies;
    }
    const failures: { what: string; error: unknown }[] = [];
    const recording = <T>(what: string, call: () => Promise<T>) =>
      read(what, () =>
        call().catch((error: unknown) => {
          failures.push({ what, error });
          throw error;
        }),
      );
    this.reads.set(roleArn, (this.reads.get(roleArn) ?? 0) + 1);
    const reading = readRolePolicies(roleArn, executor, recording).then((policies) => ({
      policies,
      failures,
    }));
    this.entries.set(roleArn, reading);
    try {
      return (await reading).policies;
    } catch (error) {
      this.entries.delete(roleArn);
      throw error;
    }
  }
}

/** A customer-managed policy's document: its default version's (GetPolicy, then GetPolicyVersion). */
async function managedPolicyDocument(
  iam: typeof import("@aws-sdk/client-iam"),
  send: <T extends object>(
    call: AwsCall,
    command: SdkCommand,
  ) => Promise<T & { $metadata: object }>,
  arn: string,
): Promise<unknown> {
  const policy = await send<GetPolicyCommandOutput>(
    { ...ROLE_READS.getPolicy, resource: arn, target: `policy ${arn}` },
    new iam.GetPolicyCommand({ PolicyArn: arn }),
  );
  const version = await send<GetPolicyVersionCommandOutput>(
    { ...ROLE_READS.getVersion, resource: arn, target: `policy ${arn}` },
    new iam.GetPolicyVersionCommand({
      PolicyArn: arn,
      VersionId: policy.Policy?.DefaultVersionId ?? "v1",
    }),
  );
  return parseDocument(version.PolicyVersion?.Document);
}

/** Most pages an IAM list is followed for: far past any role's 20 managed policies. */
const MAX_PAGES = 50;

async function collect(
  page: (marker: string | undefined) => Promise<{ items: string[]; marker: string | undefined }>,
): Promise<string[]> {
  const items: string[] = [];
  let marker: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const answer = await page(marker);
    items.push(...answer.items);
    if (answer.marker === undefined || answer.marker === marker) {
      return items;
    }
    marker = answer.marker;
  }
  throw new Error(`more than ${MAX_PAGES} pages`);
}

/** IAM returns policy documents URL-encoded. */
function parseDocument(text: string | undefined): unknown {
  if (text === undefined) {
    return {};
  }
  const decoded = text.trimStart().startsWith("{") ? text : decodeURIComponent(text);
  return JSON.parse(decoded) as unknown;
}

/** What one policy lets the role do that widens a compromise. */
export interface RoleRisk {
  severity: Severity;
  policy: string;
  what: string;
  why: string;
}

/** AWS-managed policies whose grant alone is a blast radius worth naming. */
const RISKY_MANAGED: Readonly<Record<string, { severity: Severity; why: string }>> = {
  AdministratorAccess: { severity: "high", why: "every action on every resource of the account" },
  PowerUserAccess: { severity: "high", why: "every action but IAM administration" },
  IAMFullAccess: { severity: "high", why: "any IAM change: it can make itself administrator" },
  AWSLambda_FullAccess: {
    severity: "high",
    why: "changing the code of every function and passing roles to them",
  },
  AmazonS3FullAccess: { severity: "medium", why: "reading and deleting every bucket" },
  SecretsManagerReadWrite: { severity: "medium", why: "reading every secret in Secrets Manager" },
  AmazonDynamoDBFullAccess: { severity: "medium", why: "reading and deleting every table" },
  AmazonEC2FullAccess: { severity: "medium", why: "every EC2 action, instances and networks" },
  AmazonSSMFullAccess: { severity: "medium", why: "running commands on managed instances" },
};

/** Actions that let a role raise its own privileges or reach other identities. */
const ESCALATION_ACTIONS: readonly string[] = [
  "iam:PassRole",
  "iam:PutRolePolicy",
  "iam:PutUserPolicy",
  "iam:PutGroupPolicy",
  "iam:AttachRolePolicy",
  "iam:AttachUserPolicy",
  "iam:AttachGroupPolicy",
  "iam:CreatePolicyVersion",
  "iam:SetDefaultPolicyVersion",
  "iam:CreateAccessKey",
  "iam:CreateLoginProfile",
  "iam:UpdateLoginProfile",
  "iam:UpdateAssumeRolePolicy",
  "lambda:UpdateFunctionCode",
  "lambda:UpdateFunctionConfiguration",
  "sts:AssumeRole",
];

/** Escalation actions that matter only on every resource (elsewhere they are ordinary). */
const ONLY_ON_ANY_RESOURCE = new Set([
  "lambda:updatefunctioncode",
  "lambda:updatefunctionconfiguration",
  "sts:assumerole",
]);

/**
 * The risks of the role's policies: risky AWS-managed policies by name, and in every
 * document Allow statements with `*` actions or resources, NotAction, and privilege
 * escalation actions.
 *
 * @example
 * ```ts
 * judgeRolePolicies([{ name: "arn:aws:iam::aws:policy/AdministratorAccess", kind: "aws_managed", document: undefined }]);
 * // [{ severity: "high", policy: "arn:aws:iam::aws:policy/AdministratorAccess", … }]
 * ```
 */
export function judgeRolePolicies(policies: RolePolicy[]): RoleRisk[] {
  return policies.flatMap((policy) => {
    if (policy.kind === "aws_managed") {
      const name = policy.name.split("/").at(-1) ?? "";
      const risky = RISKY_MANAGED[name];
      return risky === undefined
        ? []
        : [
            {
              severity: risky.severity,
              policy: policy.name,
              what: `The execution role has the AWS-managed policy ${name} attached.`,
              why: `Code running in the function can do what it allows: ${risky.why}.`,
            },
          ];
    }
    return statementsOf(policy.document).flatMap((statement) =>
      judgeRoleStatement(policy, statement),
    );
  });
}

interface RoleStatement {
  effect: string;
  actions: string[];
  notAction: boolean;
  resources: string[];
  conditioned: boolean;
}

function statementsOf(document: unknown): RoleStatement[] {
  const raw = (document as { Statement?: unknown } | null | undefined)?.Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list
    .filter((s): s is Record<string, unknown> => typeof s === "object" && s !== null)
    .map((s) => ({
      effect: typeof s.Effect === "string" ? s.Effect : "Allow",
      actions: strings(s.Action ?? s.NotAction),
      notAction: s.Action === undefined && s.NotAction !== undefined,
      resources: strings(s.Resource ?? (s.NotResource === undefined ? [] : ["*"])),
      conditioned: typeof s.Condition === "object" && s.Condition !== null,
    }));
}

function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((item): item is string => typeof item === "string");
}

function judgeRoleStatement(policy: RolePolicy, statement: RoleStatement): RoleRisk[] {
  if (statement.effect !== "Allow") {
    return [];
  }
  const label = `${policy.kind === "inline" ? "inline policy" : "policy"} ${policy.name}`;
  const anyResource = statement.resources.some((r) => r === "*");
  const note = statement.conditioned ? " (with a condition, not evaluated here)" : "";
  const risk = (severity: Severity, what: string, why: string): RoleRisk => ({
    severity: statement.conditioned && severity === "high" ? "medium" : severity,
    policy: policy.name,
    what: `${label} ${what}${note}.`,
    why,
  });
  if (statement.notAction) {
    return [
      risk(
        anyResource ? "high" : "medium",
        `allows every action but ${statement.actions.join(", ")} (NotAction)`,
        "NotAction with Allow grants everything not listed, including actions added to AWS later.",
      ),
    ];
  }
  if (statement.actions.some((a) => a === "*" || a === "*:*")) {
    return [
      risk(
        anyResource ? "high" : "medium",
        `allows every action (*) on ${anyResource ? "every resource" : statement.resources.join(", ")}`,
        "Code running in the function can do anything the account can there.",
      ),
    ];
  }
  return namedGrantRisks(statement, anyResource, risk);
}

/** What a statement of named actions risks: privilege escalation, whole services, writes everywhere. */
function namedGrantRisks(
  statement: RoleStatement,
  anyResource: boolean,
  risk: (severity: Severity, what: string, why: string) => RoleRisk,
): RoleRisk[] {
  const risks: RoleRisk[] = [];
  const escalations = ESCALATION_ACTIONS.filter(
    (action) =>
      statement.actions.some((pattern) => matchesIamAction(pattern, action)) &&
      (anyResource || !ONLY_ON_ANY_RESOURCE.has(action.toLowerCase())),
  );
  if (escalations.length > 0) {
    risks.push(
      risk(
        anyResource ? "high" : "medium",
        `allows ${escalations.join(", ")} on ${anyResource ? "every resource (*)" : statement.resources.join(", ")}`,
        "Privilege escalation: with these the function's code can grant itself or another identity more than this role has.",
      ),
    );
  }
  const wildcards = statement.actions.filter((a) => /^[a-z0-9-]+:\*$/i.test(a));
  if (anyResource && wildcards.length > 0) {
    risks.push(
      risk(
        "medium",
        `allows ${wildcards.join(", ")} on every resource (*)`,
        "Every action of those services on every resource of the account.",
      ),
    );
  } else if (anyResource && escalations.length === 0 && statement.actions.some(isWrite)) {
    risks.push(
      risk(
        "info",
        `allows ${statement.actions.filter(isWrite).join(", ")} on every resource (*)`,
        "Changes on every resource of those types, not only the function's own.",
      ),
    );
  }
  return risks;
}

function isWrite(action: string): boolean {
  return !/:(Get|List|Describe|Head|BatchGet)[A-Za-z*]*$/i.test(action);
}
