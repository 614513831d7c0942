/** The IAM actions the endpoint serves. */
export const IAM_OPERATIONS = [
  "GetRole",
  "ListAttachedRolePolicies",
  "ListRolePolicies",
  "GetRolePolicy",
  "GetPolicy",
  "GetPolicyVersion",
  "PutRolePolicy",
  "DeleteRolePolicy",
] as const;

/**
 * One IAM action the endpoint serves, as the query protocol's `Action` names it.
 *
 * @example
 * ```ts
 * const operation: IamOperation = "PutRolePolicy";
 * aws.faults.failNext(1, 500, { service: "iam", operation });
 * ```
 */
export type IamOperation = (typeof IAM_OPERATIONS)[number];
