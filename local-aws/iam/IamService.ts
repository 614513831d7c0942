import { evaluateAccess } from "../auth/evaluateAccess.js";
import type { Identity } from "../auth/Identity.js";
import { uniqueId } from "../auth/uniqueId.js";
import type { ReceivedRequest } from "../auth/verifySignature.js";
import type { Handled } from "../http/Reply.js";
import {
  type QueryDependencies,
  type QueryOutcome,
  type QueryService,
  serveQuery,
} from "../http/serveQuery.js";
import { accessDeniedMessage } from "../lambda/accessDenied.js";
import { PageMarkers } from "../lambda/PageMarkers.js";
import { stsResult, type XmlFields } from "../sts/stsXml.js";
import type { ManagedPolicyDefinition, RoleDefinition, World } from "../World.js";
import {
  encodePolicyDocument,
  policyDocumentProblem,
  policySize,
  ROLE_INLINE_POLICY_LIMIT,
  roleArn,
  trustPolicyOf,
} from "./iamPolicyDocument.js";

/** What the IAM service needs from the endpoint around it. */
export interface IamServiceDependencies extends QueryDependencies {
  world: World;
}

/** IAM's XML namespace. */
export const IAM_NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/";

/** IAM's name constraints (roles, inline policies), as its model states them. */
const NAME_PATTERN = /^[\w+=,.@-]+$/;
const POLICY_ARN_PATTERN = /^arn:[\w-]+:iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/;
const VERSION_PATTERN = /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/;
const DEFAULT_CREATE_DATE = "2025-01-01T00:00:00Z";

type Fail = Extract<QueryOutcome, { ok: false }>;

function fail(status: number, code: string, message: string): Fail {
  return { ok: false, status, code, message };
}

function noSuchEntity(message: string): Fail {
  return fail(404, "NoSuchEntity", message);
}

/** One model constraint on one parameter: its value, where and what it failed. */
function invalid(member: string, value: string, constraint: string): Fail {
  return fail(
    400,
    "ValidationError",
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

/** A required name parameter (RoleName, PolicyName): present, 1 to `max` characters, IAM's pattern. */
function readName(params: URLSearchParams, name: string, max: number): string | Fail {
  const value = params.get(name);
  const member = name.charAt(0).toLowerCase() + name.slice(1);
  if (value === null || value === "") {
    return invalid(member, value ?? "null", "Member must not be null");
  }
  if (value.length > max) {
    return invalid(member, value, `Member must have length less than or equal to ${max}`);
  }
  if (!NAME_PATTERN.test(value)) {
    return invalid(member, value, "Member must satisfy regular expression pattern: [\\w+=,.@-]+");
  }
  return value;
}

function isFail(value: unknown): value is Fail {
  return typeof value === "object" && value !== null && (value as Fail).ok === false;
}

/**
 * IAM's query protocol (form-encoded `Action=…` requests signed for `iam`, XML answers in
 * IAM's namespace) for what a responder reads and changes of a function's execution
 * role: GetRole, its attached managed and inline policies, the managed policies'
 * versions, and PutRolePolicy/DeleteRolePolicy. Every action is checked against the
 * caller's identity-based policy with its IAM action on the role's (or policy's) ARN
 * before IAM says whether the thing exists, as AWS does.
 */
export class IamService implements QueryService {
  readonly service = "iam";
  readonly namespace = IAM_NAMESPACE;
  readonly internalErrorCode = "ServiceFailure";
  private readonly markers = new PageMarkers();

  constructor(private readonly deps: IamServiceDependencies) {}

  /** Serves one query-protocol request signed for IAM. */
  handle(request: ReceivedRequest, requestId: string): Promise<Handled> {
    return serveQuery(this.deps, this, request, requestId);
  }

  /** Performs one authenticated action (the endpoint's query-protocol handling calls it). */
  perform(
    action: string,
    params: URLSearchParams,
    caller: Identity,
    requestId: string,
  ): QueryOutcome {
    const result = this.result(action, params, caller);
    return isFail(result)
      ? result
      : { ok: true, reply: stsResult(action, result, requestId, IAM_NAMESPACE) };
  }

  private result(action: string, params: URLSearchParams, caller: Identity): XmlFields | Fail {
    switch (action) {
      case "GetRole":
        return this.onRole(params, caller, action, (role) => ({ Role: this.describeRole(role) }));
      case "ListAttachedRolePolicies":
        return this.onRole(params, caller, action, (role) =>
          this.page(
            params,
            `${action}:${role.name}`,
            role.attachedPolicyArns ?? [],
            (arn) => ({
              PolicyName: arn.slice(arn.lastIndexOf("/") + 1),
              PolicyArn: arn,
            }),
            "AttachedPolicies",
          ),
        );
      case "ListRolePolicies":
        return this.onRole(params, caller, action, (role) =>
          this.page(
            params,
            `${action}:${role.name}`,
            Object.keys(role.inlinePolicies ?? {}).sort(),
            (name) => name,
            "PolicyNames",
          ),
        );
      case "GetRolePolicy":
        return this.onInlinePolicy(params, caller, action, (role, name, document) => ({
          RoleName: role.name,
          PolicyName: name,
          PolicyDocument: encodePolicyDocument(document),
        }));
      case "DeleteRolePolicy":
        return this.onInlinePolicy(params, caller, action, (role, name) => {
          delete role.inlinePolicies?.[name];
          return {};
        });
      case "PutRolePolicy":
        return this.putRolePolicy(params, caller);
      case "GetPolicy":
        return this.onPolicy(params, caller, action, (policy) => ({
          Policy: this.describePolicy(policy),
        }));
      case "GetPolicyVersion":
        return this.getPolicyVersion(params, caller);
      default:
        return fail(
          400,
          "InvalidAction",
          `Could not find operation ${action} for version 2010-05-08`,
        );
    }
  }

  /** Authorizes `iam:<action>` on the named role, then finds it (NoSuchEntity when it is not there). */
  private onRole(
    params: URLSearchParams,
    caller: Identity,
    action: string,
    then: (role: RoleDefinition) => XmlFields | Fail,
  ): XmlFields | Fail {
    const name = readName(params, "RoleName", 64);
    if (isFail(name)) {
      return name;
    }
    const { world } = this.deps;
    const role = world.roles.find((candidate) => candidate.name === name);
    // A role's ARN carries its path; one that does not exist is checked as `/`.
    const arn =
      role === undefined ? `arn:aws:iam::${world.accountId}:role/${name}` : roleArn(world, role);
    const denied = this.authorize(caller, `iam:${action}`, arn);
    if (denied !== undefined) {
      return denied;
    }
    return role === undefined
      ? noSuchEntity(`The role with name ${name} cannot be found.`)
      : then(role);
  }

  private onInlinePolicy(
    params: URLSearchParams,
    caller: Identity,
    action: string,
    then: (role: RoleDefinition, policyName: string, document: string) => XmlFields,
  ): XmlFields | Fail {
    const policyName = readName(params, "PolicyName", 128);
    if (isFail(policyName)) {
      return policyName;
    }
    return this.onRole(params, caller, action, (role) => {
      const document = role.inlinePolicies?.[policyName];
      return document === undefined
        ? noSuchEntity(`The role policy with name ${policyName} cannot be found.`)
        : then(role, policyName, document);
    });
  }

  private putRolePolicy(params: URLSearchParams, caller: Identity): XmlFields | Fail {
    const policyName = readName(params, "PolicyName", 128);
    if (isFail(policyName)) {
      return policyName;
    }
    const document = params.get("PolicyDocument");
    if (document === null || document === "") {
      return invalid("policyDocument", document ?? "null", "Member must not be null");
    }
    return this.onRole(params, caller, "PutRolePolicy", (role) => {
      const problem = policyDocumentProblem(document);
      if (problem !== undefined) {
        return fail(400, "MalformedPolicyDocument", problem);
      }
      const others = Object.entries(role.inlinePolicies ?? {}).filter(
        ([name]) => name !== policyName,
      );
      const total = others.reduce((sum, [, text]) => sum + policySize(text), policySize(document));
      if (total > ROLE_INLINE_POLICY_LIMIT) {
        return fail(
          409,
          "LimitExceeded",
          `Maximum policy size of ${ROLE_INLINE_POLICY_LIMIT} bytes exceeded for role ${role.name}`,
        );
      }
      role.inlinePolicies = { ...role.inlinePolicies, [policyName]: document };
      return {};
    });
  }

  private onPolicy(
    params: URLSearchParams,
    caller: Identity,
    action: string,
    then: (policy: ManagedPolicyDefinition) => XmlFields | Fail,
  ): XmlFields | Fail {
    const arn = params.get("PolicyArn") ?? "";
    if (arn.length < 20 || arn.length > 2048) {
      return invalid("policyArn", arn, "Member must have length greater than or equal to 20");
    }
    if (!POLICY_ARN_PATTERN.test(arn)) {
      return fail(400, "InvalidInput", `ARN ${arn} is not valid.`);
    }
    const denied = this.authorize(caller, `iam:${action}`, arn);
    if (denied !== undefined) {
      return denied;
    }
    const policy = (this.deps.world.managedPolicies ?? []).find(
      (candidate) => candidate.arn === arn,
    );
    return policy === undefined
      ? noSuchEntity(`Policy ${arn} does not exist or is not attachable.`)
      : then(policy);
  }

  private getPolicyVersion(params: URLSearchParams, caller: Identity): XmlFields | Fail {
    const versionId = params.get("VersionId") ?? "";
    if (!VERSION_PATTERN.test(versionId)) {
      return invalid(
        "versionId",
        versionId,
        "Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?",
      );
    }
    return this.onPolicy(params, caller, "GetPolicyVersion", (policy) => {
      const version = policy.versions.find((candidate) => candidate.versionId === versionId);
      if (version === undefined) {
        return noSuchEntity(
          `Policy ${policy.arn} version ${versionId} does not exist or is not attachable.`,
        );
      }
      return {
        PolicyVersion: {
          Document: encodePolicyDocument(version.document),
          VersionId: version.versionId,
          IsDefaultVersion: String(version.versionId === policy.defaultVersionId),
          CreateDate: version.createDate,
        },
      };
    });
  }

  /** IAM's 403 in AWS's words, or undefined when the caller's policy allows the action. */
  private authorize(caller: Identity, iamAction: string, resource: string): Fail | undefined {
    const decision = evaluateAccess(caller, iamAction, resource);
    return decision === "Allow"
      ? undefined
      : fail(403, "AccessDenied", accessDeniedMessage(caller, iamAction, resource, decision));
  }

  /** One page of a listing: `MaxItems` 1 to 1000 (100 by default) and IAM's opaque `Marker`. */
  private page<T>(
    params: URLSearchParams,
    scope: string,
    items: T[],
    render: (item: T) => string | XmlFields,
    listName: string,
  ): XmlFields | Fail {
    const maxItemsText = params.get("MaxItems");
    const maxItems = maxItemsText === null ? 100 : Number(maxItemsText);
    if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000) {
      return invalid("maxItems", maxItemsText ?? "", "Member must have value between 1 and 1000");
    }
    const marker = params.get("Marker");
    let start = 0;
    if (marker !== null && marker !== "") {
      const cursor = this.markers.read(scope, marker);
      if (cursor === undefined) {
        return invalid("marker", marker, "Marker is not valid");
      }
      start = Number(cursor);
    }
    const slice = items.slice(start, start + maxItems);
    const truncated = start + maxItems < items.length;
    return {
      [listName]: slice.map(render),
      IsTruncated: String(truncated),
      ...(truncated ? { Marker: this.markers.issue(scope, String(start + maxItems)) } : {}),
    };
  }

  private describeRole(role: RoleDefinition): XmlFields {
    const arn = roleArn(this.deps.world, role);
    return {
      Path: role.path ?? "/",
      RoleName: role.name,
      RoleId: uniqueId("AROA", arn),
      Arn: arn,
      CreateDate: role.createDate ?? DEFAULT_CREATE_DATE,
      AssumeRolePolicyDocument: encodePolicyDocument(trustPolicyOf(role)),
      ...(role.description === undefined ? {} : { Description: role.description }),
      MaxSessionDuration: String(role.maxSessionDurationSeconds),
      RoleLastUsed: {},
    };
  }

  private describePolicy(policy: ManagedPolicyDefinition): XmlFields {
    const attachments = this.deps.world.roles.filter((role) =>
      (role.attachedPolicyArns ?? []).includes(policy.arn),
    ).length;
    return {
      PolicyName: policy.name,
      PolicyId: uniqueId("ANPA", policy.arn),
      Arn: policy.arn,
      Path: policy.path,
      DefaultVersionId: policy.defaultVersionId,
      AttachmentCount: String(attachments),
      PermissionsBoundaryUsageCount: "0",
      IsAttachable: "true",
      ...(policy.description === undefined ? {} : { Description: policy.description }),
      CreateDate: policy.createDate,
      UpdateDate: policy.updateDate,
    };
  }
}
