import type { PolicyStatement } from "../World.js";

/** Who signed a request: an IAM user, or a session of an assumed role. */
export interface Identity {
  /** `arn:aws:iam::…:user/name` or `arn:aws:sts::…:assumed-role/Role/session`. */
  arn: string;
  accountId: string;
  /** What GetCallerIdentity calls UserId: `AIDA…` for users, `AROA…:session` for role sessions. */
  userId: string;
  /** The identity-based policy in force for this caller. */
  policy: PolicyStatement[];
}
