/** A function with tenant isolation: returns the tenant it ran for (context.tenantId). */
export const handler = async (event, context) => ({ tenant_id: context.tenantId ?? null, event });
