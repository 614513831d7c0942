import {
  AssumeRoleCommand,
  type AssumeRoleCommandOutput,
  STSClient,
} from "@aws-sdk/nested-clients/sts";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_ROLE_SESSION_NAME } from "../../../src/asset/schema.js";
import { createCredentials, REFRESH_MARGIN_MS } from "../../../src/aws/credentials.js";
import { ConnectorError } from "../../../src/errors.js";
import {
  ACCESS_KEY_ID,
  assumeRoleResponse,
  EXTERNAL_ID,
  keysAsset,
  type ManualClock,
  manualClock,
  REGION,
  ROLE_ARN,
  ROLE_SESSION_NAME,
  rejectedConnectorError,
  roleAsset,
  SECRET_ACCESS_KEY,
  SESSION_TOKEN,
  temporaryKeysAsset,
  validAsset,
} from "../../fixtures.js";

// fromTemporaryCredentials sends AssumeRole with the STS client of @aws-sdk/nested-clients.
const stsMock = mockClient(STSClient);

const HOUR_MS = 60 * 60 * 1000;

/** Marks what each wrapper made of a failure, so a test can tell which one ran. */
const wrapAssumeRoleError = (error: unknown) =>
  new ConnectorError("assume_role_failed", "wrapped as an AssumeRole failure", {
    hint: "h",
    cause: error,
  });
const wrapChainError = (error: unknown) =>
  new ConnectorError("authentication_failed", "wrapped as a credential chain failure", {
    hint: "h",
    cause: error,
  });

describe("createCredentials", () => {
  let clock: ManualClock;
  let stsHandler: NodeHttpHandler;

  const credentialsFor = (raw: Record<string, unknown>) =>
    createCredentials(validAsset(raw), {
      stsHandler,
      now: clock.now,
      wrapAssumeRoleError,
      wrapChainError,
    });

  /** STS answers a first session of an hour, then a second one of two hours. */
  const answerTwoSessions = () =>
    stsMock
      .on(AssumeRoleCommand)
      .resolvesOnce(assumeRoleResponse(clock.now() + HOUR_MS, "ASIAFIRST00000000001"))
      .resolvesOnce(assumeRoleResponse(clock.now() + 2 * HOUR_MS, "ASIASECOND0000000001"));

  beforeEach(() => {
    stsMock.reset();
    clock = manualClock();
    stsHandler = new NodeHttpHandler();
  });

  afterEach(() => {
    stsHandler.destroy();
    vi.unstubAllEnvs();
  });

  describe("without a role", () => {
    it("gives the asset's long-term keys as they are, and never calls STS", async () => {
      // Act
      const credentials = await credentialsFor(keysAsset);
      const identity = await credentials.provider();

      // Assess
      expect(identity).toEqual({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY });
      expect(credentials.assumeRoleCalls()).toBe(0);
      expect(stsMock).not.toHaveReceivedAnyCommand();
    });

    it("gives temporary keys with their session token", async () => {
      const identity = await (await credentialsFor(temporaryKeysAsset)).provider();

      expect(identity.sessionToken).toBe(SESSION_TOKEN);
      expect(identity.secretAccessKey).toBe(SECRET_ACCESS_KEY);
    });

    describe("and without keys", () => {
      beforeEach(() => {
        // Only the environment may give credentials: no files, no instance or container role.
        for (const name of [
          "AWS_PROFILE",
          "AWS_SESSION_TOKEN",
          "AWS_WEB_IDENTITY_TOKEN_FILE",
          "AWS_ROLE_ARN",
          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
          "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        ]) {
          vi.stubEnv(name, undefined);
        }
        vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials");
        vi.stubEnv("AWS_CONFIG_FILE", "/nonexistent/config");
        vi.stubEnv("AWS_EC2_METADATA_DISABLED", "true");
      });

      it("takes the machine's credential chain", async () => {
        vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIAMACHINECHAIN0001");
        vi.stubEnv("AWS_SECRET_ACCESS_KEY", "machineChainSecretEXAMPLEKEY000000000000");

        const identity = await (await credentialsFor({ region_name: REGION })).provider();

        expect(identity.accessKeyId).toBe("AKIAMACHINECHAIN0001");
      });

      it("reports an empty chain through wrapChainError", async () => {
        vi.stubEnv("AWS_ACCESS_KEY_ID", undefined);
        vi.stubEnv("AWS_SECRET_ACCESS_KEY", undefined);

        const error = await rejectedConnectorError(
          (await await credentialsFor({ region_name: REGION })).provider(),
        );

        expect(error.message).toBe("wrapped as a credential chain failure");
        expect((error.cause as Error).name).toBe("CredentialsProviderError");
      });
    });
  });

  describe("with a role", () => {
    it("assumes the role with the asset's settings", async () => {
      // Prepare
      stsMock.on(AssumeRoleCommand).resolves(assumeRoleResponse(clock.now() + HOUR_MS));

      // Act
      await (await credentialsFor({ ...roleAsset, session_duration: 7200 })).provider();

      // Assess
      expect(stsMock).toHaveReceivedCommandExactlyOnceWith(AssumeRoleCommand, {
        RoleArn: ROLE_ARN,
        RoleSessionName: ROLE_SESSION_NAME,
        DurationSeconds: 7200,
        ExternalId: EXTERNAL_ID,
      });
    });

    it("names the session swimlane-turbine-aws-lambda and sends no ExternalId unless given", async () => {
      stsMock.on(AssumeRoleCommand).resolves(assumeRoleResponse(clock.now() + HOUR_MS));

      await (await credentialsFor({ ...keysAsset, role_arn: ROLE_ARN })).provider();

      expect(DEFAULT_ROLE_SESSION_NAME).toBe("swimlane-turbine-aws-lambda");
      const input = stsMock.commandCalls(AssumeRoleCommand)[0]?.args[0].input;
      expect(input).toEqual({
        RoleArn: ROLE_ARN,
        RoleSessionName: DEFAULT_ROLE_SESSION_NAME,
        DurationSeconds: 3600,
      });
      expect(input).not.toHaveProperty("ExternalId");
    });

    it("signs AssumeRole with the asset's keys, in the asset's region and STS endpoint", async () => {
      // Prepare
      let seen: unknown;
      stsMock.on(AssumeRoleCommand).callsFake(async (_input, getClient) => {
        const { config } = getClient();
        const endpoint = await config.endpoint?.();
        seen = {
          accessKeyId: (await config.credentials()).accessKeyId,
          region: await config.region(),
          endpoint: `${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}`,
        };
        return assumeRoleResponse(clock.now() + HOUR_MS);
      });
      vi.stubEnv("AWS_REGION", "eu-west-3");

      // Act
      await (
        await credentialsFor({
          ...roleAsset,
          region_name: "eu-central-1",
          sts_endpoint_url: "https://sts.example.test:8443",
        })
      ).provider();

      // Assess
      expect(seen).toEqual({
        accessKeyId: ACCESS_KEY_ID,
        region: "eu-central-1",
        endpoint: "https://sts.example.test:8443",
      });
    });

    it("gives the role's temporary credentials with their expiry", async () => {
      stsMock
        .on(AssumeRoleCommand)
        .resolves(assumeRoleResponse(clock.now() + HOUR_MS, "ASIAROLEKEY000000001"));

      const identity = await (await credentialsFor(roleAsset)).provider();

      expect(identity).toMatchObject({
        accessKeyId: "ASIAROLEKEY000000001",
        secretAccessKey: "assumedRoleSecretEXAMPLEKEY0000000000000",
        sessionToken: "assumed-role-session-token-for-ASIAROLEKEY000000001",
        expiration: new Date(clock.now() + HOUR_MS),
      });
    });

    it("keeps the asset's own keys as the base that assumes the role", async () => {
      const credentials = await credentialsFor(roleAsset);

      expect(await credentials.base()).toEqual({
        accessKeyId: ACCESS_KEY_ID,
        secretAccessKey: SECRET_ACCESS_KEY,
      });
      expect(stsMock).not.toHaveReceivedAnyCommand();
    });

    it("assumes the role once for many calls within the lifetime", async () => {
      // Prepare
      stsMock.on(AssumeRoleCommand).resolves(assumeRoleResponse(clock.now() + HOUR_MS));
      const credentials = await credentialsFor(roleAsset);

      // Act
      const first = await credentials.provider();
      const later = [];
      for (let minute = 1; minute <= 50; minute += 1) {
        clock.advance(60_000);
        later.push(await credentials.provider());
      }

      // Assess
      expect(stsMock).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
      expect(credentials.assumeRoleCalls()).toBe(1);
      expect(later.every((identity) => identity === first)).toBe(true);
    });

    it("lets concurrent callers share one AssumeRole call", async () => {
      // Prepare
      let answer: (output: AssumeRoleCommandOutput) => void = () => {};
      const answered = new Promise<AssumeRoleCommandOutput>((resolve) => {
        answer = resolve;
      });
      stsMock.on(AssumeRoleCommand).callsFake(() => answered);
      const credentials = await credentialsFor(roleAsset);

      // Act: all four ask before STS answers.
      const callers = [1, 2, 3, 4].map(() => credentials.provider());
      answer(assumeRoleResponse(clock.now() + HOUR_MS));
      const identities = await Promise.all(callers);

      // Assess
      expect(stsMock).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
      expect(new Set(identities).size).toBe(1);
    });

    it("lets concurrent callers share one refresh after expiry", async () => {
      answerTwoSessions();
      const credentials = await credentialsFor(roleAsset);
      await credentials.provider();
      clock.advance(HOUR_MS);

      const identities = await Promise.all([1, 2, 3].map(() => credentials.provider()));

      expect(identities.map((identity) => identity.accessKeyId)).toEqual([
        "ASIASECOND0000000001",
        "ASIASECOND0000000001",
        "ASIASECOND0000000001",
      ]);
      expect(credentials.assumeRoleCalls()).toBe(2);
    });

    it("refreshes 5 minutes before expiry, not earlier", async () => {
      // Prepare
      answerTwoSessions();
      const credentials = await credentialsFor(roleAsset);
      await credentials.provider();

      // Act
      clock.advance(HOUR_MS - REFRESH_MARGIN_MS - 1);
      const justBefore = await credentials.provider();
      clock.advance(1);
      const atMargin = await credentials.provider();

      // Assess
      expect(REFRESH_MARGIN_MS).toBe(5 * 60 * 1000);
      expect(justBefore.accessKeyId).toBe("ASIAFIRST00000000001");
      expect(atMargin.accessKeyId).toBe("ASIASECOND0000000001");
      expect(stsMock).toHaveReceivedCommandTimes(AssumeRoleCommand, 2);
    });

    it("refreshes at half the lifetime when the lifetime is under 10 minutes", async () => {
      stsMock
        .on(AssumeRoleCommand)
        .resolvesOnce(assumeRoleResponse(clock.now() + 60_000, "ASIASHORT00000000001"))
        .resolvesOnce(assumeRoleResponse(clock.now() + 120_000, "ASIASHORT00000000002"));
      const credentials = await credentialsFor(roleAsset);
      await credentials.provider();

      clock.advance(29_999);
      const cached = await credentials.provider();
      clock.advance(1);
      const refreshed = await credentials.provider();

      expect(cached.accessKeyId).toBe("ASIASHORT00000000001");
      expect(refreshed.accessKeyId).toBe("ASIASHORT00000000002");
      expect(credentials.assumeRoleCalls()).toBe(2);
    });

    it("reports a failed AssumeRole through wrapAssumeRoleError, with STS's error as cause", async () => {
      // Prepare
      const refused = Object.assign(
        new Error("User is not authorized to perform: sts:AssumeRole"),
        {
          name: "AccessDenied",
          $metadata: { httpStatusCode: 403, requestId: "sts-req-1" },
        },
      );
      stsMock.on(AssumeRoleCommand).rejects(refused);

      // Act
      const error = await rejectedConnectorError(
        (await await credentialsFor(roleAsset)).provider(),
      );

      // Assess
      expect(error.message).toBe("wrapped as an AssumeRole failure");
      expect(error.cause).toMatchObject({ name: "AccessDenied", message: refused.message });
    });

    it("does not cache a failed call: the next caller tries again", async () => {
      stsMock
        .on(AssumeRoleCommand)
        .rejectsOnce(new Error("connect ECONNREFUSED 127.0.0.1:443"))
        .resolvesOnce(assumeRoleResponse(clock.now() + HOUR_MS, "ASIARETRIED000000001"));
      const credentials = await credentialsFor(roleAsset);

      await expect(credentials.provider()).rejects.toThrow("wrapped as an AssumeRole failure");
      const identity = await credentials.provider();

      expect(identity.accessKeyId).toBe("ASIARETRIED000000001");
      expect(credentials.assumeRoleCalls()).toBe(2);
    });

    it("does not cache a failed refresh either", async () => {
      stsMock
        .on(AssumeRoleCommand)
        .resolvesOnce(assumeRoleResponse(clock.now() + HOUR_MS, "ASIAFIRST00000000001"))
        .rejectsOnce(new Error("AccessDenied"))
        .resolvesOnce(assumeRoleResponse(clock.now() + 2 * HOUR_MS, "ASIATHIRD00000000001"));
      const credentials = await credentialsFor(roleAsset);
      await credentials.provider();
      clock.advance(HOUR_MS - REFRESH_MARGIN_MS);

      await expect(credentials.provider()).rejects.toThrow("wrapped as an AssumeRole failure");
      const identity = await credentials.provider();

      expect(identity.accessKeyId).toBe("ASIATHIRD00000000001");
      expect(credentials.assumeRoleCalls()).toBe(3);
    });

    it.each([
      ["a session token", { SessionToken: undefined }],
      ["an expiration", { Expiration: undefined }],
    ])(
      "refuses an answer without %s as assume_role_failed, and asks again next time",
      async (_missing, hole) => {
        // Prepare
        const complete = assumeRoleResponse(clock.now() + HOUR_MS);
        stsMock.on(AssumeRoleCommand).resolves({
          ...complete,
          Credentials: { ...complete.Credentials, ...hole },
        } as AssumeRoleCommandOutput);
        const credentials = await credentialsFor(roleAsset);

        // Act
        const first = await rejectedConnectorError(credentials.provider());
        const second = await rejectedConnectorError(credentials.provider());

        // Assess
        expect(first.code).toBe("assume_role_failed");
        expect(first.message).toContain("without complete credentials");
        expect(first.hint).toContain("sts_endpoint_url");
        expect(second.code).toBe("assume_role_failed");
        expect(credentials.assumeRoleCalls()).toBe(2);
      },
    );
  });
});
