import {
  AddPermissionCommand,
  GetFunctionCommand,
  GetPolicyCommand,
  InvokeCommand,
  RemovePermissionCommand,
} from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import {
  DEMO_ACCOUNT_ID,
  DEMO_ROLE,
  DEMO_USER,
  INTRUDER_USER,
  PUBLIC_WEBHOOK,
} from "../../local-aws/defaultWorld.js";
import {
  ASSUME_RESPONDER_ROLE,
  INTRUDER_KEYS,
  lambdaClient,
  payloadOf,
  rejectionOf,
  roleClient,
  useLocalAws,
} from "./fixtures.js";

const ECHO_ARN = `arn:aws:lambda:us-east-1:${DEMO_ACCOUNT_ID}:function:echo`;
const ADMIN_ONLY_ARN = `arn:aws:lambda:us-east-1:${DEMO_ACCOUNT_ID}:function:admin-only`;

interface PolicyDocument {
  Version: string;
  Id: string;
  Statement: { Sid: string }[];
}

function sidsOf(policy: string | undefined): string[] {
  return (JSON.parse(policy ?? "{}") as PolicyDocument).Statement.map((statement) => statement.Sid);
}

describe("local AWS: a function's resource-based policy", () => {
  const aws = useLocalAws({}, { each: true });

  it("returns the policy as a JSON string with the function's RevisionId", async () => {
    // Prepare
    const lambda = lambdaClient(aws);

    // Act
    const policy = await lambda.send(new GetPolicyCommand({ FunctionName: PUBLIC_WEBHOOK.name }));
    const described = await lambda.send(
      new GetFunctionCommand({ FunctionName: PUBLIC_WEBHOOK.name }),
    );

    // Assess
    expect(JSON.parse(policy.Policy ?? "")).toEqual({
      Version: "2012-10-17",
      Id: "default",
      Statement: [
        {
          Sid: "public-invoke",
          Effect: "Allow",
          Principal: "*",
          Action: "lambda:InvokeFunction",
          Resource: PUBLIC_WEBHOOK.arn,
        },
        {
          Sid: "FunctionURLAllowPublicAccess",
          Effect: "Allow",
          Principal: "*",
          Action: "lambda:InvokeFunctionUrl",
          Resource: PUBLIC_WEBHOOK.arn,
          Condition: { StringEquals: { "lambda:FunctionUrlAuthType": "NONE" } },
        },
      ],
    });
    expect(policy.RevisionId).toBe(described.Configuration?.RevisionId);
  });

  it("answers 404 for a function without a policy, and for an unknown function", async () => {
    // Prepare
    const lambda = lambdaClient(aws, { maxAttempts: 1 });

    // Act
    const none = await rejectionOf(lambda.send(new GetPolicyCommand({ FunctionName: "echo" })));
    const unknown = await rejectionOf(lambda.send(new GetPolicyCommand({ FunctionName: "nope" })));

    // Assess
    expect(none).toMatchObject({
      name: "ResourceNotFoundException",
      message: "The resource you requested does not exist.",
      $metadata: { httpStatusCode: 404 },
    });
    expect(unknown).toMatchObject({
      name: "ResourceNotFoundException",
      message: `Function not found: arn:aws:lambda:us-east-1:${DEMO_ACCOUNT_ID}:function:nope`,
    });
  });

  it("adds statements as AWS writes them: service with source conditions, account root, URL auth type", async () => {
    // Prepare
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE);
    const before = await responder.send(new GetFunctionCommand({ FunctionName: "echo" }));

    // Act
    const s3 = await responder.send(
      new AddPermissionCommand({
        FunctionName: "echo",
        StatementId: "s3-invoke",
        Action: "lambda:InvokeFunction",
        Principal: "s3.amazonaws.com",
        SourceArn: "arn:aws:s3:::ir-drop",
        SourceAccount: DEMO_ACCOUNT_ID,
      }),
    );
    const account = await responder.send(
      new AddPermissionCommand({
        FunctionName: "echo",
        StatementId: "partner",
        Action: "lambda:GetFunction",
        Principal: "210987654321",
      }),
    );
    const url = await responder.send(
      new AddPermissionCommand({
        FunctionName: "echo",
        StatementId: "url",
        Action: "lambda:InvokeFunctionUrl",
        Principal: "*",
        FunctionUrlAuthType: "AWS_IAM",
      }),
    );
    const policy = await responder.send(new GetPolicyCommand({ FunctionName: "echo" }));

    // Assess
    expect(s3.$metadata.httpStatusCode).toBe(201);
    expect(JSON.parse(s3.Statement ?? "")).toEqual({
      Sid: "s3-invoke",
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: "lambda:InvokeFunction",
      Resource: ECHO_ARN,
      Condition: {
        StringEquals: { "AWS:SourceAccount": DEMO_ACCOUNT_ID },
        ArnLike: { "AWS:SourceArn": "arn:aws:s3:::ir-drop" },
      },
    });
    expect(JSON.parse(account.Statement ?? "")).toMatchObject({
      Principal: { AWS: "arn:aws:iam::210987654321:root" },
      Action: "lambda:GetFunction",
    });
    expect(JSON.parse(url.Statement ?? "")).toMatchObject({
      Principal: "*",
      Condition: { StringEquals: { "lambda:FunctionUrlAuthType": "AWS_IAM" } },
    });
    expect(sidsOf(policy.Policy)).toEqual(["s3-invoke", "partner", "url"]);
    expect(policy.RevisionId).not.toBe(before.Configuration?.RevisionId);
  });

  it("keeps a qualified statement in that alias's own policy", async () => {
    // Prepare
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE, { maxAttempts: 1 });

    // Act
    const added = await responder.send(
      new AddPermissionCommand({
        FunctionName: "echo",
        Qualifier: "live",
        StatementId: "events",
        Action: "lambda:InvokeFunction",
        Principal: "events.amazonaws.com",
      }),
    );
    const live = await responder.send(new GetPolicyCommand({ FunctionName: "echo:live" }));
    const unqualified = await rejectionOf(
      responder.send(new GetPolicyCommand({ FunctionName: "echo" })),
    );
    const unknownAlias = await rejectionOf(
      responder.send(
        new AddPermissionCommand({
          FunctionName: "echo",
          Qualifier: "staging",
          StatementId: "events",
          Action: "lambda:InvokeFunction",
          Principal: "events.amazonaws.com",
        }),
      ),
    );

    // Assess
    expect(JSON.parse(added.Statement ?? "").Resource).toBe(`${ECHO_ARN}:live`);
    expect(sidsOf(live.Policy)).toEqual(["events"]);
    expect(unqualified).toMatchObject({ name: "ResourceNotFoundException" });
    expect(unknownAlias).toMatchObject({
      name: "ResourceNotFoundException",
      message: `Function not found: ${ECHO_ARN}:staging`,
    });
  });

  it("refuses a taken statement ID with 409 and a stale RevisionId with 412, changing nothing", async () => {
    // Prepare
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE, { maxAttempts: 1 });
    const { RevisionId } = await responder.send(
      new GetPolicyCommand({ FunctionName: PUBLIC_WEBHOOK.name }),
    );
    await responder.send(
      new AddPermissionCommand({
        FunctionName: PUBLIC_WEBHOOK.name,
        StatementId: "partner",
        Action: "lambda:InvokeFunction",
        Principal: "210987654321",
        RevisionId,
      }),
    );

    // Act
    const taken = await rejectionOf(
      responder.send(
        new AddPermissionCommand({
          FunctionName: PUBLIC_WEBHOOK.name,
          StatementId: "public-invoke",
          Action: "lambda:InvokeFunction",
          Principal: "*",
        }),
      ),
    );
    const staleAdd = await rejectionOf(
      responder.send(
        new AddPermissionCommand({
          FunctionName: PUBLIC_WEBHOOK.name,
          StatementId: "another",
          Action: "lambda:InvokeFunction",
          Principal: "*",
          RevisionId,
        }),
      ),
    );
    const staleRemove = await rejectionOf(
      responder.send(
        new RemovePermissionCommand({
          FunctionName: PUBLIC_WEBHOOK.name,
          StatementId: "public-invoke",
          RevisionId,
        }),
      ),
    );
    const policy = await responder.send(
      new GetPolicyCommand({ FunctionName: PUBLIC_WEBHOOK.name }),
    );

    // Assess
    expect(taken).toMatchObject({
      name: "ResourceConflictException",
      message:
        "The statement id (public-invoke) provided already exists. Please provide a new statement id, or remove the existing statement.",
      $metadata: { httpStatusCode: 409 },
    });
    for (const stale of [staleAdd, staleRemove]) {
      expect(stale).toMatchObject({
        name: "PreconditionFailedException",
        $metadata: { httpStatusCode: 412 },
      });
    }
    expect(sidsOf(policy.Policy)).toEqual([
      "public-invoke",
      "FunctionURLAllowPublicAccess",
      "partner",
    ]);
  });

  it("removes a statement (204), 404 for one that is not there, and drops an emptied policy", async () => {
    // Prepare
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE, { maxAttempts: 1 });
    const remove = (sid: string) =>
      responder.send(
        new RemovePermissionCommand({ FunctionName: PUBLIC_WEBHOOK.name, StatementId: sid }),
      );

    // Act
    const removed = await remove("public-invoke");
    const after = await responder.send(new GetPolicyCommand({ FunctionName: PUBLIC_WEBHOOK.name }));
    const again = await rejectionOf(remove("public-invoke"));
    await remove("FunctionURLAllowPublicAccess");
    const emptied = await rejectionOf(
      responder.send(new GetPolicyCommand({ FunctionName: PUBLIC_WEBHOOK.name })),
    );

    // Assess
    expect(removed.$metadata.httpStatusCode).toBe(204);
    expect(sidsOf(after.Policy)).toEqual(["FunctionURLAllowPublicAccess"]);
    expect(again).toMatchObject({
      name: "ResourceNotFoundException",
      message: "Statement public-invoke is not found in resource policy.",
      $metadata: { httpStatusCode: 404 },
    });
    expect(emptied).toMatchObject({
      name: "ResourceNotFoundException",
      message: "The resource you requested does not exist.",
    });
  });

  it("lets a principal the function's policy allows invoke it without any identity policy", async () => {
    // Prepare
    const intruder = lambdaClient(aws, { credentials: INTRUDER_KEYS, maxAttempts: 1 });
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE);
    await responder.send(
      new AddPermissionCommand({
        FunctionName: "echo",
        StatementId: "intruder-may",
        Action: "lambda:InvokeFunction",
        Principal: INTRUDER_USER.arn,
      }),
    );

    // Act
    const publicCall = await intruder.send(
      new InvokeCommand({ FunctionName: PUBLIC_WEBHOOK.name, Payload: '{"ping":1}' }),
    );
    const granted = await intruder.send(new InvokeCommand({ FunctionName: "echo" }));
    const qualified = await rejectionOf(
      intruder.send(new InvokeCommand({ FunctionName: "echo:live" })),
    );
    const ungranted = await rejectionOf(
      intruder.send(new InvokeCommand({ FunctionName: "throws" })),
    );

    // Assess
    expect(payloadOf(publicCall.Payload)).toMatchObject({ accepted: true, event: { ping: 1 } });
    expect(granted.StatusCode).toBe(200);
    expect(aws.runCount(PUBLIC_WEBHOOK.name)).toBe(1);
    expect(aws.runCount("echo")).toBe(1);
    expect(qualified).toMatchObject({ name: "AccessDeniedException" });
    expect(ungranted).toMatchObject({ name: "AccessDeniedException" });
  });

  it("lets every session of a role the policy names invoke, but not the same account's root alone", async () => {
    // Prepare
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE);
    const invoker = await roleClient(aws, undefined, { maxAttempts: 1 });
    const intruder = lambdaClient(aws, { credentials: INTRUDER_KEYS, maxAttempts: 1 });
    for (const [sid, principal] of [
      ["invoker-role", DEMO_ROLE.arn],
      ["own-account", DEMO_ACCOUNT_ID],
    ] as const) {
      await responder.send(
        new AddPermissionCommand({
          FunctionName: "admin-only",
          StatementId: sid,
          Action: "lambda:InvokeFunction",
          Principal: principal,
        }),
      );
    }

    // Act
    const bySession = await invoker.send(new InvokeCommand({ FunctionName: "admin-only" }));
    const byIntruder = await rejectionOf(
      intruder.send(new InvokeCommand({ FunctionName: "admin-only" })),
    );

    // Assess
    expect(payloadOf(bySession.Payload)).toEqual({ rotated: true });
    expect(byIntruder).toMatchObject({
      name: "AccessDeniedException",
      message: `User: ${INTRUDER_USER.arn} is not authorized to perform: lambda:InvokeFunction on resource: ${ADMIN_ONLY_ARN} because no identity-based policy allows the lambda:InvokeFunction action`,
    });
  });

  it("does not let a service's statement (with its source conditions) in for a signed caller", async () => {
    // Prepare
    const responder = await roleClient(aws, ASSUME_RESPONDER_ROLE);
    await responder.send(
      new AddPermissionCommand({
        FunctionName: "admin-only",
        StatementId: "sns",
        Action: "lambda:InvokeFunction",
        Principal: "sns.amazonaws.com",
      }),
    );
    await responder.send(
      new AddPermissionCommand({
        FunctionName: "admin-only",
        StatementId: "anyone-from-bucket",
        Action: "lambda:InvokeFunction",
        Principal: "*",
        SourceArn: "arn:aws:s3:::ir-drop",
      }),
    );

    // Act
    const denied = await rejectionOf(
      lambdaClient(aws, { credentials: INTRUDER_KEYS, maxAttempts: 1 }).send(
        new InvokeCommand({ FunctionName: "admin-only" }),
      ),
    );

    // Assess
    expect(denied).toMatchObject({ name: "AccessDeniedException" });
    expect(aws.runCount("admin-only")).toBe(0);
  });

  it("lets an explicit Deny win, in the identity policy or in the function's policy", async () => {
    // Prepare
    const user = aws.world.users.find((candidate) => candidate.name === DEMO_USER.name);
    user?.policy.push({
      effect: "Deny",
      actions: ["lambda:InvokeFunction"],
      resources: [PUBLIC_WEBHOOK.arn],
    });
    const echo = aws.world.functions.find((fn) => fn.name === "echo");
    if (echo !== undefined) {
      echo.policies = {
        "": [
          {
            Sid: "no-connector",
            Effect: "Deny",
            Principal: { AWS: DEMO_USER.arn },
            Action: "lambda:InvokeFunction",
            Resource: ECHO_ARN,
          },
        ],
      };
    }
    const lambda = lambdaClient(aws, { maxAttempts: 1 });

    // Act
    const byIdentity = await rejectionOf(
      lambda.send(new InvokeCommand({ FunctionName: PUBLIC_WEBHOOK.name })),
    );
    const byResource = await rejectionOf(lambda.send(new InvokeCommand({ FunctionName: "echo" })));
    const otherAlias = await lambda.send(new InvokeCommand({ FunctionName: "echo:live" }));

    // Assess
    expect(byIdentity).toMatchObject({
      name: "AccessDeniedException",
      message: `User: ${DEMO_USER.arn} is not authorized to perform: lambda:InvokeFunction on resource: ${PUBLIC_WEBHOOK.arn} with an explicit deny in an identity-based policy`,
      $metadata: { httpStatusCode: 403 },
    });
    expect(byResource).toMatchObject({
      name: "AccessDeniedException",
      message: `User: ${DEMO_USER.arn} is not authorized to perform: lambda:InvokeFunction on resource: ${ECHO_ARN} with an explicit deny in a resource-based policy`,
    });
    expect(otherAlias.ExecutedVersion).toBe("2");
    expect(aws.runCount(PUBLIC_WEBHOOK.name)).toBe(0);
    expect(aws.runCount("echo", "$LATEST")).toBe(0);
  });
});
