import type { ReceivedRequest } from "../auth/verifySignature.js";
import { headerValue } from "../http/headerValue.js";
import type { Step } from "../http/Reply.js";
import type { FunctionDefinition } from "../World.js";
import { lambdaError } from "./lambdaError.js";

/** The tenant id's header on Invoke and InvokeWithResponseStream. */
const TENANT_HEADER = "x-amz-tenant-id";

/** Lambda's pattern for a tenant id: 1 to 256 printable characters. */
const TENANT_ID = /^[!-~]{1,256}$/;

/**
 * Lambda's tenant-isolation checks of an invocation: a function with a tenancy config
 * takes only invocations that name a tenant, and one without refuses those that do.
 * Returns the tenant the invocation runs for, if any.
 *
 * @example
 * ```ts
 * const tenant = checkTenant(call.request, fn);
 * if (!tenant.ok) return tenant;
 * ```
 */
export function checkTenant(
  request: ReceivedRequest,
  fn: FunctionDefinition,
): Step<string | undefined> {
  const tenantId = headerValue(request.headers, TENANT_HEADER);
  if (fn.tenancy === undefined) {
    return tenantId === undefined
      ? { ok: true, value: undefined }
      : {
          ok: false,
          reply: lambdaError(
            400,
            "InvalidParameterValueException",
            `The function ${fn.name} has no tenancy configuration: invoke it without a TenantId.`,
          ),
        };
  }
  if (tenantId === undefined) {
    return {
      ok: false,
      reply: lambdaError(
        400,
        "InvalidParameterValueException",
        `The function ${fn.name} uses tenant isolation (PER_TENANT): a TenantId is required.`,
      ),
    };
  }
  if (!TENANT_ID.test(tenantId)) {
    return {
      ok: false,
      reply: lambdaError(
        400,
        "ValidationException",
        `1 validation error detected: Value at 'tenantId' failed to satisfy constraint: Member must satisfy regular expression pattern: ${TENANT_ID.source}`,
      ),
    };
  }
  return { ok: true, value: tenantId };
}
