/** AssumeRole's parameters, once they passed STS's validation. */
export interface AssumeRoleParameters {
  roleArn: string;
  roleSessionName: string;
  /** Absent when the caller left the default (3600). */
  durationSeconds: number | undefined;
  externalId: string | undefined;
}

interface Constraint {
  member: string;
  min: number;
  max: number;
  pattern?: { regex: RegExp; text: string };
}

const ROLE_ARN: Constraint = { member: "roleArn", min: 20, max: 2048 };
const SESSION_NAME: Constraint = {
  member: "roleSessionName",
  min: 2,
  max: 64,
  pattern: { regex: /^[\w+=,.@-]*$/, text: "[\\w+=,.@-]*" },
};
const EXTERNAL_ID: Constraint = {
  member: "externalId",
  min: 2,
  max: 1224,
  pattern: { regex: /^[\w+=,.@:/-]*$/, text: "[\\w+=,.@:\\/-]*" },
};

function violations(value: string | null, constraint: Constraint, required: boolean): string[] {
  const at = `Value ${value === null ? "null" : `'${value}'`} at '${constraint.member}' failed to satisfy constraint:`;
  if (value === null) {
    return required ? [`${at} Member must not be null`] : [];
  }
  const found: string[] = [];
  if (value.length < constraint.min) {
    found.push(`${at} Member must have length greater than or equal to ${constraint.min}`);
  }
  if (value.length > constraint.max) {
    found.push(`${at} Member must have length less than or equal to ${constraint.max}`);
  }
  if (constraint.pattern !== undefined && !constraint.pattern.regex.test(value)) {
    found.push(`${at} Member must satisfy regular expression pattern: ${constraint.pattern.text}`);
  }
  return found;
}

function durationViolations(value: string | null): string[] {
  if (value === null) {
    return [];
  }
  const at = `Value '${value}' at 'durationSeconds' failed to satisfy constraint:`;
  const seconds = Number(value);
  if (!/^\d+$/.test(value)) {
    return [`${at} Member must be a whole number of seconds`];
  }
  if (seconds < 900) {
    return [`${at} Member must have value greater than or equal to 900`];
  }
  if (seconds > 43200) {
    return [`${at} Member must have value less than or equal to 43200`];
  }
  return [];
}

/**
 * STS's own validation of AssumeRole's parameters, in its wording: every violation is
 * listed in one `ValidationError` message ("2 validation errors detected: …; …").
 */
export function validateAssumeRole(
  params: URLSearchParams,
): { ok: true; value: AssumeRoleParameters } | { ok: false; message: string } {
  const roleArn = params.get("RoleArn");
  const roleSessionName = params.get("RoleSessionName");
  const duration = params.get("DurationSeconds");
  const externalId = params.get("ExternalId");
  const found = [
    ...violations(roleArn, ROLE_ARN, true),
    ...violations(roleSessionName, SESSION_NAME, true),
    ...durationViolations(duration),
    ...violations(externalId, EXTERNAL_ID, false),
  ];
  if (found.length > 0 || roleArn === null || roleSessionName === null) {
    const count = found.length === 1 ? "1 validation error" : `${found.length} validation errors`;
    return { ok: false, message: `${count} detected: ${found.join("; ")}` };
  }
  return {
    ok: true,
    value: {
      roleArn,
      roleSessionName,
      durationSeconds: duration === null ? undefined : Number(duration),
      externalId: externalId ?? undefined,
    },
  };
}
