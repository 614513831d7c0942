import { randomBytes } from "node:crypto";
import type { World } from "../World.js";
import type { Identity } from "./Identity.js";
import { uniqueId } from "./uniqueId.js";

/** Temporary credentials as AssumeRole hands them out. */
export interface TemporaryCredentials {
  /** `ASIA…` key ID. */
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** The outcome of looking up the key that signed a request. */
export type KeyLookup =
  | { ok: true; secretAccessKey: string; identity: Identity }
  | { ok: false; failure: "UnknownKey" | "InvalidToken" | "ExpiredToken" };

const KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * The keys the endpoint accepts: the world's users' long-term keys (read live from the
 * world, so a test may add or remove users) and the temporary credentials that
 * AssumeRole has issued. Expired sessions are kept so that their use can be told apart
 * from an unknown key, as AWS does.
 */
export class CredentialStore {
  private readonly sessions = new Map<
    string,
    { credentials: TemporaryCredentials; identity: Identity }
  >();

  constructor(private readonly world: World) {}

  /** Finds the secret and identity behind a key ID and the session token sent with it. */
  lookup(accessKeyId: string, sessionToken: string | undefined, now: Date): KeyLookup {
    const user = this.world.users.find((candidate) => candidate.accessKeyId === accessKeyId);
    if (user !== undefined) {
      // AWS rejects a session token sent with a long-term key as an invalid token.
      if (sessionToken !== undefined) {
        return { ok: false, failure: "InvalidToken" };
      }
      const arn = `arn:aws:iam::${this.world.accountId}:user/${user.name}`;
      return {
        ok: true,
        secretAccessKey: user.secretAccessKey,
        identity: {
          arn,
          accountId: this.world.accountId,
          userId: uniqueId("AIDA", arn),
          policy: user.policy,
        },
      };
    }
    const session = this.sessions.get(accessKeyId);
    if (session === undefined) {
      return { ok: false, failure: "UnknownKey" };
    }
    if (sessionToken !== session.credentials.sessionToken) {
      return { ok: false, failure: "InvalidToken" };
    }
    if (now >= session.credentials.expiration) {
      return { ok: false, failure: "ExpiredToken" };
    }
    return {
      ok: true,
      secretAccessKey: session.credentials.secretAccessKey,
      identity: session.identity,
    };
  }

  /** Issues fresh temporary credentials that act as `identity` until they expire. */
  issue(identity: Identity, lifetimeSeconds: number, now: Date): TemporaryCredentials {
    // Whole seconds, rounded up: STS prints Expiration without milliseconds, and the
    // instant the caller reads must be the instant this endpoint enforces.
    const expiresAtMs = Math.ceil((now.getTime() + lifetimeSeconds * 1000) / 1000) * 1000;
    const credentials: TemporaryCredentials = {
      accessKeyId: `ASIA${Array.from(randomBytes(16), (byte) => KEY_ALPHABET[byte % 32]).join("")}`,
      secretAccessKey: randomBytes(30).toString("base64"),
      sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(240).toString("base64")}`,
      expiration: new Date(expiresAtMs),
    };
    this.sessions.set(credentials.accessKeyId, { credentials, identity });
    return credentials;
  }
}
