import type { Identity } from "../auth/Identity.js";
import { matchesWildcard } from "../auth/matchesWildcard.js";
import { uniqueId } from "../auth/uniqueId.js";
import type { ReceivedRequest } from "../auth/verifySignature.js";
import type { Handled } from "../http/Reply.js";
import {
  type QueryDependencies,
  type QueryOutcome,
  type QueryService,
  serveQuery,
} from "../http/serveQuery.js";
import { accountWorld, type RoleDefinition, type World } from "../World.js";
import { STS_NAMESPACE, stsResult } from "./stsXml.js";
import { validateAssumeRole } from "./validateAssumeRole.js";

/** What the STS service needs from the endpoint around it. */
export interface StsServiceDependencies extends QueryDependencies {
  world: World;
  /** Caps the lifetime of issued credentials, so tests can watch them expire. */
  credentialLifetimeSeconds: number | undefined;
}

const DEFAULT_DURATION_SECONDS = 3600;
/** A role session assuming another role ("role chaining") gets at most an hour. */
const ROLE_CHAINING_LIMIT_SECONDS = 3600;

type Outcome = QueryOutcome;

/**
 * STS's query protocol (form-encoded `Action=…` requests, XML answers): AssumeRole with
 * the role's trust policy, ExternalId condition and session limits, and
 * GetCallerIdentity, with SigV4 authentication and the injected faults (for any action,
 * or the one a fault names).
 */
export class StsService implements QueryService {
  readonly service = "sts";
  readonly namespace = STS_NAMESPACE;
  readonly internalErrorCode = "InternalFailure";
  private assumeRoles = 0;

  constructor(private readonly deps: StsServiceDependencies) {}

  /** Successful AssumeRole calls so far. */
  get assumeRoleCount(): number {
    return this.assumeRoles;
  }

  /** Serves one query-protocol request (`POST /` with a form body, or `GET /?Action=…`). */
  handle(request: ReceivedRequest, requestId: string): Promise<Handled> {
    return serveQuery(this.deps, this, request, requestId);
  }

  /** Performs one authenticated action (the endpoint's query-protocol handling calls it). */
  perform(action: string, params: URLSearchParams, caller: Identity, requestId: string): Outcome {
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
