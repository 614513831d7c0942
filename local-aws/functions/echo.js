/**
 * Returns what it was given, so callers can see exactly what Lambda delivered.
 * `version` makes the published versions' answers tell apart.
 */
export const handler = async (event, context) => {
  console.log("echo invoked");
  return {
    event,
    clientContext: context.clientContext ?? null,
    version: context.functionVersion,
  };
};
