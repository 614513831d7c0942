import { describe, expect, it } from "vitest";
import {
  judgeRolePolicies,
  type RolePolicy,
  RolePolicyCache,
} from "../../../../src/actions/assess_function_security/executionRole.js";
import type { Executor } from "../../../../src/aws/executor.js";
import { ConnectorError } from "../../../../src/errors.js";

/** An inline policy with one statement. */
function inline(statement: Record<string, unknown>): RolePolicy {
  return {
    name: "inline-grant",
    kind: "inline",
    document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", ...statement }] },
  };
}

function managed(name: string): RolePolicy {
  return { name: `arn:aws:iam::aws:policy/${name}`, kind: "aws_managed", document: undefined };
}

describe("judgeRolePolicies", () => {
  it.each([
    ["AdministratorAccess", "high"],
    ["PowerUserAccess", "high"],
    ["IAMFullAccess", "high"],
    ["AWSLambda_FullAccess", "high"],
    ["AmazonS3FullAccess", "medium"],
  ])("names the AWS-managed %s: %s", (name, severity) => {
    expect(judgeRolePolicies([managed(name)])).toMatchObject([
      { severity, policy: `arn:aws:iam::aws:policy/${name}` },
    ]);
  });

  it("does not flag AWSLambdaBasicExecutionRole", () => {
    expect(judgeRolePolicies([managed("service-role/AWSLambdaBasicExecutionRole")])).toEqual([]);
  });

  it.each([
    ["every action on every resource", { Action: "*", Resource: "*" }, "high", "every action (*)"],
    [
      "every action on one bucket",
      { Action: "*", Resource: "arn:aws:s3:::b/*" },
      "medium",
      "every action",
    ],
    ["NotAction", { NotAction: "iam:*", Resource: "*" }, "high", "NotAction"],
    ["iam:PassRole on *", { Action: "iam:PassRole", Resource: "*" }, "high", "iam:PassRole"],
    [
      "iam:PassRole on one role",
      { Action: "iam:PassRole", Resource: "arn:aws:iam::123456789012:role/x" },
      "medium",
      "iam:PassRole",
    ],
    ["iam:Put*Policy", { Action: "iam:Put*", Resource: "*" }, "high", "iam:PutRolePolicy"],
    ["iam:Attach*", { Action: "iam:Attach*", Resource: "*" }, "high", "iam:AttachRolePolicy"],
    [
      "iam:CreateAccessKey",
      { Action: "iam:CreateAccessKey", Resource: "*" },
      "high",
      "iam:CreateAccessKey",
    ],
    [
      "lambda:UpdateFunctionCode on *",
      { Action: "lambda:UpdateFunctionCode", Resource: "*" },
      "high",
      "lambda:UpdateFunctionCode",
    ],
    ["sts:AssumeRole on *", { Action: "sts:AssumeRole", Resource: "*" }, "high", "sts:AssumeRole"],
    ["a service's every action on *", { Action: "sqs:*", Resource: "*" }, "medium", "sqs:*"],
    [
      "iam:PassRole on * under a condition",
      {
        Action: "iam:PassRole",
        Resource: "*",
        Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } },
      },
      "medium",
      "not evaluated",
    ],
  ])("finds %s", (_case, statement, severity, what) => {
    const [risk] = judgeRolePolicies([inline(statement)]);

    expect(risk?.severity).toBe(severity);
    expect(risk?.what).toContain(what);
  });

  it.each([
    [
      "lambda:UpdateFunctionCode on its own function",
      {
        Action: "lambda:UpdateFunctionCode",
        Resource: "arn:aws:lambda:us-east-1:123456789012:function:self",
      },
    ],
    [
      "sts:AssumeRole on one role",
      { Action: "sts:AssumeRole", Resource: "arn:aws:iam::123456789012:role/reader" },
    ],
    ["reads on *", { Action: ["ec2:DescribeSubnets", "s3:GetObject"], Resource: "*" }],
    ["a Deny of everything", { Effect: "Deny", Action: "*", Resource: "*" }],
  ])("does not flag %s", (_case, statement) => {
    expect(judgeRolePolicies([inline(statement)])).toEqual([]);
  });

  it("rates writes on every resource info, naming them", () => {
    expect(
      judgeRolePolicies([
        inline({ Action: ["logs:PutLogEvents", "logs:GetLogEvents"], Resource: "*" }),
      ]),
    ).toMatchObject([
      { severity: "info", what: expect.stringContaining("logs:PutLogEvents on every resource") },
    ]);
  });
  it("reads a Statement that is one object, and an Effect left out as Allow", () => {
    const policy: RolePolicy = {
      name: "arn:aws:iam::123456789012:policy/ops",
      kind: "customer_managed",
      document: { Statement: { Action: "*", Resource: "*" } },
    };

    expect(judgeRolePolicies([policy])).toEqual([
      {
        severity: "high",
        policy: policy.name,
        what: "policy arn:aws:iam::123456789012:policy/ops allows every action (*) on every resource.",
        why: "Code running in the function can do anything the account can there.",
      },
    ]);
  });

  it("finds nothing in a document without statements, or with statements that are not objects", () => {
    const documents = [{ Version: "2012-10-17" }, { Statement: ["*", null, 7] }, null];

    const risks = documents.map((document) =>
      judgeRolePolicies([{ name: "odd", kind: "inline", document }]),
    );

    expect(risks).toEqual([[], [], []]);
  });

  it("takes NotResource as every resource", () => {
    expect(
      judgeRolePolicies([inline({ Action: "*", NotResource: "arn:aws:s3:::audit/*" })]),
    ).toMatchObject([
      { severity: "high", what: expect.stringContaining("every action (*) on every resource") },
    ]);
  });

  it("rates NotAction on named resources medium, listing what it leaves out", () => {
    const risks = judgeRolePolicies([
      inline({ NotAction: ["iam:*", 42], Resource: "arn:aws:s3:::reports/*" }),
    ]);

    expect(risks).toMatchObject([
      {
        severity: "medium",
        what: "inline policy inline-grant allows every action but iam:* (NotAction).",
      },
    ]);
  });
});

describe("RolePolicyCache", () => {
  const roleArn = "arn:aws:iam::123456789012:role/service-role/shared-role";
  /** An executor whose IAM answers one attached managed policy and no inline policy. */
  function fakeIam(answer: (command: string) => unknown) {
    const sent: string[] = [];
    const executor = {
      send: async (_call: unknown, command: { constructor: { name: string } }) => {
        const name = command.constructor.name;
        sent.push(name);
        const result = answer(name);
        if (result instanceof Error) {
          throw result;
        }
        return result;
      },
    } as unknown as Executor;
    return { executor, sent };
  }
  const answers = (name: string) =>
    name === "ListAttachedRolePoliciesCommand"
      ? { AttachedPolicies: [{ PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }] }
      : { PolicyNames: [] };
  /** A tolerant read like the assessment's: a failure is recorded, not thrown. */
  function recorder() {
    const failed: string[] = [];
    const read = async <T>(what: string, call: () => Promise<T>) => {
      try {
        return await call();
      } catch {
        failed.push(what);
        return undefined;
      }
    };
    return { failed, read };
  }

  it("reads a role shared by many functions from IAM once, and gives each the same policies", async () => {
    const { executor, sent } = fakeIam(answers);
    const cache = new RolePolicyCache();
    const all = await Promise.all(
      [1, 2, 3].map(() => cache.read(roleArn, executor, recorder().read)),
    );
    expect(sent).toEqual(["ListAttachedRolePoliciesCommand", "ListRolePoliciesCommand"]);
    expect(cache.reads.get(roleArn)).toBe(1);
    for (const policies of all) {
      expect(policies).toEqual([
        {
          name: "arn:aws:iam::aws:policy/AdministratorAccess",
          kind: "aws_managed",
          document: undefined,
        },
      ]);
    }
  });

  it("records a read IAM refused for every function of the role, not only the first", async () => {
    const denied = new ConnectorError("access_denied", "not authorized to ListRolePolicies", {
      hint: "Allow iam:ListRolePolicies.",
    });
    const { executor, sent } = fakeIam((name) =>
      name === "ListRolePoliciesCommand" ? denied : answers(name),
    );
    const cache = new RolePolicyCache();
    const first = recorder();
    const second = recorder();
    await cache.read(roleArn, executor, first.read);
    await cache.read(roleArn, executor, second.read);
    expect(first.failed).toEqual(["inline policies of role shared-role"]);
    expect(second.failed).toEqual(first.failed);
    expect(sent).toHaveLength(2);
  });

  it("keeps nothing of a read that was thrown (a throttle the sweep sends again)", async () => {
    let throttle = true;
    const { executor, sent } = fakeIam((name) =>
      throttle && name === "ListAttachedRolePoliciesCommand"
        ? new ConnectorError("throttled", "Rate exceeded", { hint: "Wait." })
        : answers(name),
    );
    const cache = new RolePolicyCache();
    const rethrowing = <T>(_what: string, call: () => Promise<T>) => call();
    await expect(cache.read(roleArn, executor, rethrowing)).rejects.toMatchObject({
      code: "throttled",
    });
    throttle = false;
    await expect(cache.read(roleArn, executor, rethrowing)).resolves.toHaveLength(1);
    expect(cache.reads.get(roleArn)).toBe(2);
    expect(sent.filter((name) => name === "ListAttachedRolePoliciesCommand")).toHaveLength(2);
  });
});
