import {
  DeleteRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import {
  DEMO_EXECUTION_ROLE,
  DEMO_FUNCTION_ROLES,
  DEMO_MANAGED_POLICIES,
  DEMO_RESPONDER_ROLE,
} from "../../local-aws/defaultWorld.js";
import {
  ASSUME_DEMO_ROLE,
  ASSUME_RESPONDER_ROLE,
  INTRUDER_KEYS,
  iamClient,
  rejectionOf,
  roleCredentials,
  signRequest,
  useLocalAws,
} from "./fixtures.js";

const DENY_ALL = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }],
});

describe("local AWS: IAM roles and their policies", () => {
  const aws = useLocalAws();

  it("describes an execution role with its path, ID and URL-encoded trust policy", async () => {
    // Act
    const { Role } = await iamClient(aws).send(
      new GetRoleCommand({ RoleName: "enrich-indicator-role" }),
    );

    // Assess
    expect(Role?.Arn).toBe(DEMO_FUNCTION_ROLES["enrich-indicator"]);
    expect(Role?.Path).toBe("/service-role/");
    expect(Role?.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(Role?.CreateDate?.toISOString()).toBe("2025-01-01T00:00:00.000Z");
    expect(Role?.MaxSessionDuration).toBe(3600);
    expect(Role?.AssumeRolePolicyDocument).toMatch(/^%7B%22Version%22/);
    expect(JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? ""))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: ["lambda.amazonaws.com"] },
          Action: "sts:AssumeRole",
        },
      ],
    });
    const record = aws.requests.at(-1);
    expect(record).toMatchObject({ service: "iam", action: "GetRole", status: 200 });
  });

  it("prints the ExternalId condition of a role that trusts a user", async () => {
    // Act
    const { Role } = await iamClient(aws).send(
      new GetRoleCommand({ RoleName: DEMO_RESPONDER_ROLE.name }),
    );

    // Assess
    const trust = JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? ""));
    expect(trust.Statement[0].Condition).toEqual({
      StringEquals: { "sts:ExternalId": DEMO_RESPONDER_ROLE.externalId },
    });
    expect(Role?.Arn).toBe(DEMO_RESPONDER_ROLE.arn);
  });

  it("answers NoSuchEntity for a role that does not exist, and ValidationError for a bad name", async () => {
    // Act
    const missing = await rejectionOf(
      iamClient(aws).send(new GetRoleCommand({ RoleName: "no-such-role" })),
    );
    const malformed = await rejectionOf(
      iamClient(aws).send(new GetRoleCommand({ RoleName: "bad name!" })),
    );

    // Assess
    expect(missing.name).toBe("NoSuchEntityException");
    expect(missing.message).toBe("The role with name no-such-role cannot be found.");
    expect((missing.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(404);
    expect(malformed.name).toBe("ValidationError");
    expect(malformed.message).toContain("at 'roleName' failed to satisfy constraint");
  });

  it("lists attached managed policies a page at a time with an opaque marker", async () => {
    // Act
    const iam = iamClient(aws);
    const first = await iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: DEMO_EXECUTION_ROLE.name, MaxItems: 2 }),
    );
    const rest = await iam.send(
      new ListAttachedRolePoliciesCommand({
        RoleName: DEMO_EXECUTION_ROLE.name,
        MaxItems: 2,
        Marker: first.Marker,
      }),
    );
    const edited = await rejectionOf(
      iam.send(
        new ListAttachedRolePoliciesCommand({
          RoleName: DEMO_EXECUTION_ROLE.name,
          Marker: `${first.Marker}x`,
        }),
      ),
    );

    // Assess
    expect(first.IsTruncated).toBe(true);
    expect(first.AttachedPolicies).toEqual([
      {
        PolicyName: "AWSLambdaBasicExecutionRole",
        PolicyArn: DEMO_MANAGED_POLICIES.basicExecution,
      },
      { PolicyName: "AWSLambdaVPCAccessExecutionRole", PolicyArn: DEMO_MANAGED_POLICIES.vpcAccess },
    ]);
    expect(rest.IsTruncated).toBe(false);
    expect(rest.Marker).toBeUndefined();
    expect(rest.AttachedPolicies).toEqual([
      { PolicyName: "webhook-forwarding", PolicyArn: DEMO_MANAGED_POLICIES.webhookForwarding },
    ]);
    expect(edited.name).toBe("ValidationError");
  });

  it("reads a managed policy and each of its versions, the default marked", async () => {
    // Act
    const iam = iamClient(aws);
    const { Policy } = await iam.send(
      new GetPolicyCommand({ PolicyArn: DEMO_MANAGED_POLICIES.webhookForwarding }),
    );
    const v1 = await iam.send(
      new GetPolicyVersionCommand({
        PolicyArn: DEMO_MANAGED_POLICIES.webhookForwarding,
        VersionId: "v1",
      }),
    );
    const v2 = await iam.send(
      new GetPolicyVersionCommand({
        PolicyArn: DEMO_MANAGED_POLICIES.webhookForwarding,
        VersionId: "v2",
      }),
    );
    const v9 = await rejectionOf(
      iam.send(
        new GetPolicyVersionCommand({
          PolicyArn: DEMO_MANAGED_POLICIES.webhookForwarding,
          VersionId: "v9",
        }),
      ),
    );
    const unknown = await rejectionOf(
      iam.send(new GetPolicyCommand({ PolicyArn: "arn:aws:iam::123456789012:policy/nothing" })),
    );

    // Assess
    expect(Policy).toMatchObject({
      PolicyName: "webhook-forwarding",
      Path: "/",
      DefaultVersionId: "v2",
      AttachmentCount: 1,
      IsAttachable: true,
    });
    expect(v1.PolicyVersion?.IsDefaultVersion).toBe(false);
    expect(v2.PolicyVersion?.IsDefaultVersion).toBe(true);
    expect(JSON.parse(decodeURIComponent(v2.PolicyVersion?.Document ?? "")).Statement).toEqual([
      { Effect: "Allow", Action: ["sqs:*", "s3:*"], Resource: "*" },
    ]);
    expect(v9.name).toBe("NoSuchEntityException");
    expect(unknown.message).toBe(
      "Policy arn:aws:iam::123456789012:policy/nothing does not exist or is not attachable.",
    );
  });

  it("counts AWS's managed policy's attachments across the roles", async () => {
    // Act
    const { Policy } = await iamClient(aws).send(
      new GetPolicyCommand({ PolicyArn: DEMO_MANAGED_POLICIES.basicExecution }),
    );

    // Assess
    expect(Policy?.Path).toBe("/service-role/");
    expect(Policy?.AttachmentCount).toBe(Object.keys(DEMO_FUNCTION_ROLES).length + 1);
  });

  it("puts, reads, lists and deletes an inline policy for a responder", async () => {
    // Prepare
    const iam = iamClient(aws, {
      credentials: await roleCredentials(aws, ASSUME_RESPONDER_ROLE),
    });
    const role = { RoleName: "echo-role" };

    // Act
    await iam.send(
      new PutRolePolicyCommand({ ...role, PolicyName: "quarantine", PolicyDocument: DENY_ALL }),
    );
    const listed = await iam.send(new ListRolePoliciesCommand(role));
    const read = await iam.send(new GetRolePolicyCommand({ ...role, PolicyName: "quarantine" }));
    await iam.send(new DeleteRolePolicyCommand({ ...role, PolicyName: "quarantine" }));
    const after = await iam.send(new ListRolePoliciesCommand(role));
    const again = await rejectionOf(
      iam.send(new DeleteRolePolicyCommand({ ...role, PolicyName: "quarantine" })),
    );

    // Assess
    expect(listed.PolicyNames).toEqual(["quarantine"]);
    expect(listed.IsTruncated).toBe(false);
    // RFC 3986 percent-encoding, as IAM's: even `*` is escaped.
    expect(read.PolicyDocument).toContain("%22Action%22%3A%22%2A%22");
    expect(decodeURIComponent(read.PolicyDocument ?? "")).toBe(DENY_ALL);
    expect(after.PolicyNames).toEqual([]);
    expect(again.name).toBe("NoSuchEntityException");
    expect(again.message).toBe("The role policy with name quarantine cannot be found.");
  });

  it("refuses a malformed policy document and one past the role's size limit", async () => {
    // Prepare
    const iam = iamClient(aws, {
      credentials: await roleCredentials(aws, ASSUME_RESPONDER_ROLE),
    });
    const big = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Deny", Action: "*", Resource: "*", Sid: "x".repeat(10300) }],
    });

    // Act
    const malformed = await rejectionOf(
      iam.send(
        new PutRolePolicyCommand({
          RoleName: "throws-role",
          PolicyName: "broken",
          PolicyDocument: '{"Statement":[{"Action":"*"}]}',
        }),
      ),
    );
    const tooBig = await rejectionOf(
      iam.send(
        new PutRolePolicyCommand({
          RoleName: "throws-role",
          PolicyName: "big",
          PolicyDocument: big,
        }),
      ),
    );

    // Assess
    expect(malformed.name).toBe("MalformedPolicyDocumentException");
    expect(tooBig.name).toBe("LimitExceededException");
    expect(aws.world.roles.find((role) => role.name === "throws-role")?.inlinePolicies).toEqual({});
  });

  it("checks the caller's identity policy before saying whether the role exists", async () => {
    // Prepare
    const invoker = iamClient(aws, { credentials: await roleCredentials(aws, ASSUME_DEMO_ROLE) });
    const responder = iamClient(aws, {
      credentials: await roleCredentials(aws, ASSUME_RESPONDER_ROLE),
    });
    const put = (roleName: string) =>
      new PutRolePolicyCommand({ RoleName: roleName, PolicyName: "q", PolicyDocument: DENY_ALL });

    // Act
    const byInvoker = await rejectionOf(invoker.send(put("echo-role")));
    const ownRole = await rejectionOf(responder.send(put(DEMO_RESPONDER_ROLE.name)));
    const byIntruder = await rejectionOf(
      iamClient(aws, { credentials: INTRUDER_KEYS }).send(new GetRoleCommand({ RoleName: "x" })),
    );

    // Assess
    expect(byInvoker.name).toBe("AccessDenied");
    expect(byInvoker.message).toBe(
      `User: arn:aws:sts::123456789012:assumed-role/TurbineLambdaInvoker/local-aws-test is not authorized to perform: iam:PutRolePolicy on resource: ${DEMO_FUNCTION_ROLES.echo} because no identity-based policy allows the iam:PutRolePolicy action`,
    );
    expect((byInvoker.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(403);
    expect(ownRole.name).toBe("AccessDenied");
    expect(byIntruder.message).toContain(
      "iam:GetRole on resource: arn:aws:iam::123456789012:role/x",
    );
    expect(aws.world.roles.find((role) => role.name === "echo-role")?.inlinePolicies).toEqual({});
  });

  it("checks the signature for IAM's scope, and injects the faults aimed at IAM", async () => {
    // Prepare
    const wrongSecret = iamClient(aws, {
      credentials: { accessKeyId: INTRUDER_KEYS.accessKeyId, secretAccessKey: "not-the-secret" },
    });
    aws.faults.failNext(1, 500, { service: "iam", operation: "GetRole" });
    const unsigned = await fetch(`${aws.url}/`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=GetRole&RoleName=echo-role&Version=2010-05-08",
    });

    // Act
    const mismatch = await rejectionOf(wrongSecret.send(new GetRoleCommand({ RoleName: "x" })));
    const failed = await rejectionOf(
      iamClient(aws).send(new GetRoleCommand({ RoleName: "echo-role" })),
    );
    const signed = await signRequest(aws, {
      method: "POST",
      path: "/",
      service: "iam",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=ListUsers&Version=2010-05-08",
    });
    const unknownAction = await fetch(signed.url, signed.init);

    // Assess
    expect(mismatch.name).toBe("SignatureDoesNotMatch");
    expect(failed.name).toBe("ServiceFailureException");
    expect(unsigned.status).toBe(403);
    expect(unknownAction.status).toBe(400);
    expect(await unknownAction.text()).toContain("<Code>InvalidAction</Code>");
  });
});
