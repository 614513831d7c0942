import { type AuthFailure, authenticate } from "../auth/authenticate.js";
import type { CredentialStore } from "../auth/CredentialStore.js";
import type { Identity } from "../auth/Identity.js";
import { matchesWildcard } from "../auth/matchesWildcard.js";
import { uniqueId } from "../auth/uniqueId.js";
import type { ReceivedRequest } from "../auth/verifySignature.js";
import type { Faults } from "../Faults.js";
import type { Handled, Reply } from "../http/Reply.js";
import { rawReply } from "../http/rawReply.js";
import { accountWorld, type RoleDefinition, type World } from "../World.js";
import { stsError, stsResult } from "./stsXml.js";
import { validateAssumeRole } from "./validateAssumeRole.js";

/** What the STS service needs from the endpoint around it. */
export interface StsServiceDependencies {
  world: World;
  store: CredentialStore;
  faults: Faults;
  /** Caps the lifetime of issued credentials, so tests can watch them expire. */
  credentialLifetimeSeconds: number | undefined;
  /** The endpoint's clock (epoch milliseconds): when credentials are issued and expire. */
  now: () => number;
}

const STS_AUTH_ERRORS: Record<AuthFailure, { status: number; code: string }> = {
  MissingToken: { status: 403, code: "MissingAuthenticationToken" },
  IncompleteSignature: { status: 400, code: "IncompleteSignature" },
  UnknownKey: { status: 403, code: "InvalidClientTokenId" },
  InvalidToken: { status: 403, code: "InvalidClientTokenId" },
  ExpiredToken: { status: 403, code: "ExpiredToken" },
  SignatureMismatch: { status: 403, code: "SignatureDoesNotMatch" },
};

const DEFAULT_DURATION_SECONDS = 3600;
/** A role session assuming another role ("role chaining") gets at most an hour. */
const ROLE_CHAINING_LIMIT_SECONDS = 3600;

type Outcome =
  | { ok: true; reply: Reply }
  | { ok: false; status: number; code: string; message: string };

/**
 * STS's query protocol (form-encoded `Action=…` requests, XML answers): AssumeRole with
 * the role's trust policy, ExternalId condition and session limits, and
 * GetCallerIdentity, with SigV4 authentication and the injected faults (for any action,
 * or the one a fault names).
 */
export class StsService {
  private assumeRoles = 0;

  constructor(private readonly deps: StsServiceDependencies) {}

  /** Successful AssumeRole calls so far. */
  get assumeRoleCount(): number {
    return this.assumeRoles;
  }

  /** Serves one query-protocol request (`POST /` with a form body, or `GET /?Action=…`). */
  async handle(request: ReceivedRequest, requestId: string): Promise<Handled> {
    const params = new URLSearchParams(request.rawQuery);
    for (const [key, value] of new URLSearchParams(request.body.toString("utf8"))) {
      params.append(key, value);
    }
    const action = params.get("Action") ?? "Unknown";
    const auth = await authenticate(request, "sts", this.deps.store, new Date(this.deps.now()));
    const record = {
      service: "sts" as const,
      action,
      region: auth.region,
      accessKeyId: auth.accessKeyId,
    };
    if (!auth.ok) {
      const { status, code } = STS_AUTH_ERRORS[auth.failure];
      return {
        reply: stsError(status, code, auth.message, requestId),
        record: { ...record, errorCode: code },
      };
    }
    const signed = { ...record, principalArn: auth.identity.arn };

    const fault = this.deps.faults.take("sts", action);
    if (fault?.kind === "raw") {
      return { reply: rawReply(fault), record: signed };
    }
    let outcome: Outcome;
    if (fault?.kind === "throttle") {
      outcome = { ok: false, status: 400, code: "Throttling", message: "Rate exceeded" };
    } else if (fault?.kind === "fail") {
      outcome = {
        ok: false,
        status: fault.status,
        code: fault.code ?? "InternalFailure",
        message: fault.message ?? "An internal error occurred.",
      };
    } else if (fault?.kind === "reset" && fault.when === "before") {
      return { reply: { kind: "reset" }, record: { ...signed, errorCode: "ConnectionReset" } };
    } else {
      outcome = this.perform(action, params, auth.identity, requestId);
    }

    if (fault?.kind === "reset") {
      return { reply: { kind: "reset" }, record: { ...signed, errorCode: "ConnectionReset" } };
    }
    const reply = outcome.ok
      ? outcome.reply
      : stsError(outcome.status, outcome.code, outcome.message, requestId);
    return {
      reply:
        fault?.kind === "delay" && reply.kind === "respond"
          ? { ...reply, delayMs: fault.ms }
          : reply,
      record: outcome.ok ? signed : { ...signed, errorCode: outcome.code },
    };
  }

  private perform(
    action: string,
    params: URLSearchParams,
    caller: Identity,
    requestId: string,
  ): Outcome {
    switch (action) {
      case "AssumeRole":
        return this.assumeRole(params, caller, requestId);
      case "GetCallerIdentity":
        return {
          ok: true,
          reply: stsResult(
            action,
            { Arn: caller.arn, UserId: caller.userId, Account: caller.accountId },
            requestId,
          ),
        };
      default:
        return {
          ok: false,
          status: 400,
          code: "InvalidAction",
          message: `Could not find operation ${action} for version 2011-06-15`,
        };
    }
  }

  private assumeRole(params: URLSearchParams, caller: Identity, requestId: string): Outcome {
    const validated = validateAssumeRole(params);
    if (!validated.ok) {
      return { ok: false, status: 400, code: "ValidationError", message: validated.message };
    }
    const { roleArn, roleSessionName, durationSeconds, externalId } = validated.value;
    // A role of another account of the organization is assumed into that account.
    const roleAccount = /^arn:aws:iam::(\d{12}):role\//.exec(roleArn)?.[1] ?? "";
    const world = accountWorld(this.deps.world, roleAccount) ?? this.deps.world;
    const role = world.roles.find(
      (candidate) => `arn:aws:iam::${world.accountId}:role/${candidate.name}` === roleArn,
    );
    // An unknown role, an untrusting trust policy and a wrong ExternalId look alike to the
    // caller: STS does not reveal which one it was.
    if (role === undefined || !trusts(role, caller, externalId)) {
      return {
        ok: false,
        status: 403,
        code: "AccessDenied",
        message: `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      };
    }
    const duration = durationSeconds ?? DEFAULT_DURATION_SECONDS;
    if (durationSeconds !== undefined && durationSeconds > role.maxSessionDurationSeconds) {
      return {
        ok: false,
        status: 400,
        code: "ValidationError",
        message: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
      };
    }
    if (caller.arn.includes(":assumed-role/") && duration > ROLE_CHAINING_LIMIT_SECONDS) {
      return {
        ok: false,
        status: 400,
        code: "ValidationError",
        message:
          "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
      };
    }
    const sessionArn = `arn:aws:sts::${world.accountId}:assumed-role/${role.name}/${roleSessionName}`;
    const assumedRoleId = `${uniqueId("AROA", roleArn)}:${roleSessionName}`;
    const lifetime = Math.min(duration, this.deps.credentialLifetimeSeconds ?? duration);
    const credentials = this.deps.store.issue(
      { arn: sessionArn, accountId: world.accountId, userId: assumedRoleId, policy: role.policy },
      lifetime,
      new Date(this.deps.now()),
    );
    this.assumeRoles++;
    return {
      ok: true,
      reply: stsResult(
        "AssumeRole",
        {
          Credentials: {
            AccessKeyId: credentials.accessKeyId,
            SecretAccessKey: credentials.secretAccessKey,
            SessionToken: credentials.sessionToken,
            Expiration: credentials.expiration.toISOString().replace(/\.\d{3}Z$/, "Z"),
          },
          AssumedRoleUser: { AssumedRoleId: assumedRoleId, Arn: sessionArn },
        },
        requestId,
      ),
    };
  }
}

/** The role's trust policy: the caller is a trusted principal and gave the ExternalId it requires. */
function trusts(role: RoleDefinition, caller: Identity, externalId: string | undefined): boolean {
  return (
    role.trustedPrincipals.some((principal) => matchesWildcard(principal, caller.arn)) &&
    (role.externalId === undefined || role.externalId === externalId)
  );
}
