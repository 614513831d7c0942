import { AssumeRoleCommand, type AssumeRoleCommandOutput, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  AssumedRoleCredentials,
  REFRESH_MARGIN_MS,
  type RoleSettings,
} from "../../../src/aws/assumedRoleCredentials.js";
import { assumeRoleResponse, EXTERNAL_ID, ROLE_ARN, ROLE_SESSION_NAME } from "../../fixtures.js";

const stsMock = mockClient(STSClient);

const HOUR_MS = 60 * 60 * 1000;
const START = Date.parse("2026-03-01T12:00:00Z");

const settings: RoleSettings = {
  roleArn: ROLE_ARN,
  sessionName: ROLE_SESSION_NAME,
  durationSeconds: 3600,
  externalId: EXTERNAL_ID,
};

/** A clock the test moves by hand. */
function manualClock() {
  let now = START;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

function newCredentials(clock: { now: () => number }, roleSettings = settings) {
  return new AssumedRoleCredentials(
    new STSClient({ region: "us-east-1" }),
    roleSettings,
    clock.now,
  );
}

describe("AssumedRoleCredentials", () => {
  beforeEach(() => {
    stsMock.reset();
  });

  it("sends RoleArn, RoleSessionName, DurationSeconds and ExternalId as given", async () => {
    stsMock.on(AssumeRoleCommand).resolves(assumeRoleResponse(START + HOUR_MS));
    const clock = manualClock();
    const role = newCredentials(clock, { ...settings, durationSeconds: 7200 });

    await role.provide();

    expect(stsMock).toReceiveCommandExactlyOnceWith(AssumeRoleCommand, {
      RoleArn: ROLE_ARN,
      RoleSessionName: ROLE_SESSION_NAME,
      DurationSeconds: 7200,
      ExternalId: EXTERNAL_ID,
    });
  });

  it("sends no ExternalId when the asset has none", async () => {
    stsMock.on(AssumeRoleCommand).resolves(assumeRoleResponse(START + HOUR_MS));
    const role = newCredentials(manualClock(), { ...settings, externalId: undefined });

    await role.provide();

    const input = stsMock.commandCalls(AssumeRoleCommand)[0]?.args[0].input;
    expect(input).toEqual({
      RoleArn: ROLE_ARN,
      RoleSessionName: ROLE_SESSION_NAME,
      DurationSeconds: 3600,
    });
  });

  it("returns the role's temporary credentials with their expiry", async () => {
    stsMock
      .on(AssumeRoleCommand)
      .resolves(assumeRoleResponse(START + HOUR_MS, "ASIAROLEKEY000000001"));
    const role = newCredentials(manualClock());

    const identity = await role.provide();

    expect(identity).toEqual({
      accessKeyId: "ASIAROLEKEY000000001",
      secretAccessKey: "assumedRoleSecretEXAMPLEKEY0000000000000",
      sessionToken: "assumed-role-session-token-for-ASIAROLEKEY000000001",
      expiration: new Date(START + HOUR_MS),
    });
  });

  it("calls AssumeRole once for many calls within the lifetime", async () => {
    stsMock.on(AssumeRoleCommand).resolves(assumeRoleResponse(START + HOUR_MS));
    const clock = manualClock();
    const role = newCredentials(clock);

    const first = await role.provide();
    const later: unknown[] = [];
    for (let minute = 1; minute <= 50; minute += 1) {
      clock.advance(60_000);
      later.push(await role.provide());
    }

    expect(stsMock).toReceiveCommandTimes(AssumeRoleCommand, 1);
    expect(role.assumeRoleCalls).toBe(1);
    expect(later.every((identity) => identity === first)).toBe(true);
  });

  it("refreshes 5 minutes before expiry, not earlier", async () => {
    stsMock
      .on(AssumeRoleCommand)
      .resolvesOnce(assumeRoleResponse(START + HOUR_MS, "ASIAFIRST00000000001"))
      .resolvesOnce(assumeRoleResponse(START + 2 * HOUR_MS, "ASIASECOND0000000001"));
    const clock = manualClock();
    const role = newCredentials(clock);
    await role.provide();

    clock.advance(HOUR_MS - REFRESH_MARGIN_MS - 1);
    const justBefore = await role.provide();
    clock.advance(1);
    const atMargin = await role.provide();

    expect(REFRESH_MARGIN_MS).toBe(5 * 60 * 1000);
    expect(justBefore.accessKeyId).toBe("ASIAFIRST00000000001");
    expect(atMargin.accessKeyId).toBe("ASIASECOND0000000001");
    expect(stsMock).toReceiveCommandTimes(AssumeRoleCommand, 2);
  });

  it("refreshes at half the lifetime when the lifetime is under 10 minutes", async () => {
    stsMock
      .on(AssumeRoleCommand)
      .resolvesOnce(assumeRoleResponse(START + 60_000, "ASIASHORT00000000001"))
      .resolvesOnce(assumeRoleResponse(START + 120_000, "ASIASHORT00000000002"));
    const clock = manualClock();
    const role = newCredentials(clock);
    await role.provide();

    clock.advance(29_999);
    const cached = await role.provide();
    clock.advance(1);
    const refreshed = await role.provide();

    expect(cached.accessKeyId).toBe("ASIASHORT00000000001");
    expect(refreshed.accessKeyId).toBe("ASIASHORT00000000002");
    expect(role.assumeRoleCalls).toBe(2);
  });

  it("lets concurrent callers share one AssumeRole call", async () => {
    const pending: Array<(output: AssumeRoleCommandOutput) => void> = [];
    stsMock
      .on(AssumeRoleCommand)
      .callsFake(() => new Promise<AssumeRoleCommandOutput>((resolve) => pending.push(resolve)));
    const role = newCredentials(manualClock());

    const callers = [role.provide(), role.provide(), role.provide(), role.provide()];
    for (const answer of pending) {
      answer(assumeRoleResponse(START + HOUR_MS));
    }
    const identities = await Promise.all(callers);

    expect(stsMock).toReceiveCommandTimes(AssumeRoleCommand, 1);
    expect(new Set(identities).size).toBe(1);
  });

  it("lets concurrent callers share one refresh after expiry", async () => {
    stsMock
      .on(AssumeRoleCommand)
      .resolvesOnce(assumeRoleResponse(START + HOUR_MS, "ASIAFIRST00000000001"))
      .resolvesOnce(assumeRoleResponse(START + 2 * HOUR_MS, "ASIASECOND0000000001"));
    const clock = manualClock();
    const role = newCredentials(clock);
    await role.provide();
    clock.advance(HOUR_MS);

    const identities = await Promise.all([role.provide(), role.provide(), role.provide()]);

    expect(identities.map((identity) => identity.accessKeyId)).toEqual([
      "ASIASECOND0000000001",
      "ASIASECOND0000000001",
      "ASIASECOND0000000001",
    ]);
    expect(stsMock).toReceiveCommandTimes(AssumeRoleCommand, 2);
  });

  it("does not cache a failed call: the next caller tries again", async () => {
    stsMock
      .on(AssumeRoleCommand)
      .rejectsOnce(new Error("connect ECONNREFUSED 127.0.0.1:443"))
      .resolvesOnce(assumeRoleResponse(START + HOUR_MS, "ASIARETRIED000000001"));
    const role = newCredentials(manualClock());

    await expect(role.provide()).rejects.toThrow("ECONNREFUSED");
    const identity = await role.provide();

    expect(identity.accessKeyId).toBe("ASIARETRIED000000001");
    expect(stsMock).toReceiveCommandTimes(AssumeRoleCommand, 2);
  });

  it("does not cache a failed refresh either", async () => {
    stsMock
      .on(AssumeRoleCommand)
      .resolvesOnce(assumeRoleResponse(START + HOUR_MS, "ASIAFIRST00000000001"))
      .rejectsOnce(new Error("AccessDenied"))
      .resolvesOnce(assumeRoleResponse(START + 2 * HOUR_MS, "ASIATHIRD00000000001"));
    const clock = manualClock();
    const role = newCredentials(clock);
    await role.provide();
    clock.advance(HOUR_MS - REFRESH_MARGIN_MS);

    await expect(role.provide()).rejects.toThrow("AccessDenied");
    const identity = await role.provide();

    expect(identity.accessKeyId).toBe("ASIATHIRD00000000001");
    expect(role.assumeRoleCalls).toBe(3);
  });

  it("refuses an answer without complete credentials", async () => {
    stsMock.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: "ASIAINCOMPLETE000001",
        SecretAccessKey: "assumedRoleSecretEXAMPLEKEY0000000000000",
        SessionToken: undefined,
        Expiration: new Date(START + HOUR_MS),
      },
    });
    const role = newCredentials(manualClock());

    await expect(role.provide()).rejects.toThrow("without complete credentials");
    await expect(role.provide()).rejects.toThrow("without complete credentials");
    expect(stsMock).toReceiveCommandTimes(AssumeRoleCommand, 2);
  });
});
