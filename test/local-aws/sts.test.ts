import { InvokeCommand } from "@aws-sdk/client-lambda";
import {
  AssumeRoleCommand,
  type AssumeRoleCommandInput,
  GetCallerIdentityCommand,
} from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ROLE, INTRUDER_USER } from "../../local-aws/defaultWorld.js";
import { type LocalAws, startLocalAws } from "../../local-aws/LocalAws.js";
import { manualClock } from "../fixtures.js";
import {
  ASSUME_DEMO_ROLE,
  INTRUDER_KEYS,
  lambdaClient,
  rejectionOf,
  stsClient,
  useLocalAws,
} from "./fixtures.js";

const SESSION_ARN = "arn:aws:sts::123456789012:assumed-role/TurbineLambdaInvoker/local-aws-test";

async function assumeDemoRole(aws: LocalAws, overrides: Partial<AssumeRoleCommandInput> = {}) {
  const { Credentials } = await stsClient(aws).send(
    new AssumeRoleCommand({ ...ASSUME_DEMO_ROLE, ...overrides }),
  );
  return {
    accessKeyId: Credentials?.AccessKeyId ?? "",
    secretAccessKey: Credentials?.SecretAccessKey ?? "",
    sessionToken: Credentials?.SessionToken ?? "",
    expiration: Credentials?.Expiration ?? new Date(0),
  };
}

describe("local AWS: STS AssumeRole", () => {
  const aws = useLocalAws();

  it("issues temporary credentials for a trusted caller with the right ExternalId", async () => {
    // Prepare
    const sts = stsClient(aws);
    const assumedBefore = aws.assumeRoleCount();

    // Act
    const result = await sts.send(new AssumeRoleCommand(ASSUME_DEMO_ROLE));

    // Assess
    expect(result.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(result.Credentials?.SecretAccessKey).toHaveLength(40);
    expect(result.Credentials?.SessionToken?.length).toBeGreaterThan(100);
    const lifetime = (result.Credentials?.Expiration?.getTime() ?? 0) - Date.now();
    expect(lifetime).toBeGreaterThan(3590_000);
    expect(lifetime).toBeLessThanOrEqual(3601_000);
    expect(result.AssumedRoleUser?.Arn).toBe(SESSION_ARN);
    expect(result.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z0-9]{17}:local-aws-test$/);
    expect(result.$metadata.requestId).toBe(aws.requests.at(-1)?.requestId);
    expect(aws.assumeRoleCount()).toBe(assumedBefore + 1);
  });

  it("lets the session's credentials call STS and Lambda as the assumed role", async () => {
    // Prepare
    const session = await assumeDemoRole(aws);
    const { expiration: _, ...credentials } = session;

    // Act
    const identity = await stsClient(aws, { credentials }).send(new GetCallerIdentityCommand({}));
    const invoked = await lambdaClient(aws, { credentials }).send(
      new InvokeCommand({ FunctionName: "echo" }),
    );
    const denied = await rejectionOf(
      lambdaClient(aws, { credentials }).send(new InvokeCommand({ FunctionName: "admin-only" })),
    );

    // Assess
    expect(identity.Arn).toBe(SESSION_ARN);
    expect(identity.UserId).toMatch(/^AROA[A-Z0-9]{17}:local-aws-test$/);
    expect(invoked.StatusCode).toBe(200);
    expect(denied.message).toBe(
      `User: ${SESSION_ARN} is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:123456789012:function:admin-only because no identity-based policy allows the lambda:InvokeFunction action`,
    );
    expect(aws.requests.at(-2)).toMatchObject({
      action: "Invoke",
      accessKeyId: session.accessKeyId,
      principalArn: SESSION_ARN,
    });
  });

  it("refuses session keys sent without their session token", async () => {
    // Prepare
    const { accessKeyId, secretAccessKey } = await assumeDemoRole(aws);

    // Act
    const error = await rejectionOf(
      stsClient(aws, { credentials: { accessKeyId, secretAccessKey } }).send(
        new GetCallerIdentityCommand({}),
      ),
    );

    // Assess
    expect(error.name).toBe("InvalidClientTokenId");
  });

  it("denies a caller the trust policy does not name, as AWS words it", async () => {
    // Prepare
    const sts = stsClient(aws, { credentials: INTRUDER_KEYS });
    const assumedBefore = aws.assumeRoleCount();

    // Act
    const error = await rejectionOf(sts.send(new AssumeRoleCommand(ASSUME_DEMO_ROLE)));

    // Assess
    expect(error).toMatchObject({
      name: "AccessDenied",
      message: `User: ${INTRUDER_USER.arn} is not authorized to perform: sts:AssumeRole on resource: ${DEMO_ROLE.arn}`,
      $metadata: { httpStatusCode: 403 },
    });
    expect(aws.assumeRoleCount()).toBe(assumedBefore);
  });

  it("denies a wrong or missing ExternalId, and an unknown role, the same way", async () => {
    // Prepare
    const sts = stsClient(aws);

    // Act
    const wrong = await rejectionOf(
      sts.send(new AssumeRoleCommand({ ...ASSUME_DEMO_ROLE, ExternalId: "guessed-id" })),
    );
    const missing = await rejectionOf(
      sts.send(new AssumeRoleCommand({ ...ASSUME_DEMO_ROLE, ExternalId: undefined })),
    );
    const unknownRole = await rejectionOf(
      sts.send(
        new AssumeRoleCommand({
          ...ASSUME_DEMO_ROLE,
          RoleArn: "arn:aws:iam::123456789012:role/NoSuchRole",
        }),
      ),
    );

    // Assess
    for (const error of [wrong, missing, unknownRole]) {
      expect(error.name).toBe("AccessDenied");
    }
    expect(unknownRole.message).toContain("on resource: arn:aws:iam::123456789012:role/NoSuchRole");
  });

  it("validates the session name and duration with ValidationError", async () => {
    // Prepare
    const sts = stsClient(aws);

    // Act
    const shortName = await rejectionOf(
      sts.send(new AssumeRoleCommand({ ...ASSUME_DEMO_ROLE, RoleSessionName: "x" })),
    );
    const badName = await rejectionOf(
      sts.send(new AssumeRoleCommand({ ...ASSUME_DEMO_ROLE, RoleSessionName: "has spaces" })),
    );
    const tooShort = await rejectionOf(
      sts.send(new AssumeRoleCommand({ ...ASSUME_DEMO_ROLE, DurationSeconds: 60 })),
    );
    const overRoleMax = await rejectionOf(
      sts.send(new AssumeRoleCommand({ ...ASSUME_DEMO_ROLE, DurationSeconds: 7200 })),
    );

    // Assess
    expect(shortName).toMatchObject({
      name: "ValidationError",
      $metadata: { httpStatusCode: 400 },
    });
    expect(shortName.message).toBe(
      "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
    );
    expect(badName.message).toContain("Member must satisfy regular expression pattern");
    expect(tooShort.message).toContain("Member must have value greater than or equal to 900");
    expect(overRoleMax.message).toBe(
      "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    );
  });
});

describe("local AWS: STS credentials with a short lifetime", () => {
  let aws: LocalAws;
  // The endpoint's clock: the test moves it past the expiry instead of waiting for it.
  const clock = manualClock(Date.now());

  beforeAll(async () => {
    aws = await startLocalAws({ credentialLifetimeSeconds: 1, now: clock.now });
  });

  afterAll(async () => {
    await aws.close();
  });

  it("expire after the override, with ExpiredToken (STS) and ExpiredTokenException (Lambda)", async () => {
    // Prepare
    const { expiration, ...credentials } = await assumeDemoRole(aws, { DurationSeconds: 900 });
    const lifetimeMs = expiration.getTime() - clock.now();
    const sts = stsClient(aws, { credentials });
    const lambda = lambdaClient(aws, { credentials });
    const usable = await sts.send(new GetCallerIdentityCommand({}));

    // Act
    clock.advance(lifetimeMs + 1);
    const stsError = await rejectionOf(sts.send(new GetCallerIdentityCommand({})));
    const lambdaError = await rejectionOf(lambda.send(new InvokeCommand({ FunctionName: "echo" })));

    // Assess
    expect(usable.Arn).toBe(SESSION_ARN);
    expect(lifetimeMs).toBeGreaterThan(0);
    expect(lifetimeMs).toBeLessThanOrEqual(2000);
    expect(stsError).toMatchObject({
      name: "ExpiredToken",
      message: "The security token included in the request is expired",
      $metadata: { httpStatusCode: 403 },
    });
    expect(lambdaError).toMatchObject({ name: "ExpiredTokenException" });
    expect(aws.runCount("echo")).toBe(0);
  });
});
