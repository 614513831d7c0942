import type { FunctionDefinition } from "../World.js";
import { stableUuid } from "./stableUuid.js";

/** An alias's current RevisionId: stable until it is updated. */
export function aliasRevisionOf(fn: FunctionDefinition, name: string): string {
  return fn.aliasRevisions?.[name] ?? stableUuid(`alias:${fn.name}:${name}:${fn.aliases?.[name]}`);
}

/**
 * The alias as GetAlias, CreateAlias, UpdateAlias and ListAliases describe it
 * (`AliasConfiguration`), its routing weights only when it shifts traffic.
 *
 * @example
 * ```ts
 * describeAlias(fn, "live", "arn:aws:lambda:us-east-1:123456789012:function:echo");
 * // { AliasArn: "…:function:echo:live", Name: "live", FunctionVersion: "2", Description: "", RevisionId: "…" }
 * ```
 */
export function describeAlias(
  fn: FunctionDefinition,
  name: string,
  functionArn: string,
): Record<string, unknown> {
  const weights = fn.aliasRouting?.[name];
  return {
    AliasArn: `${functionArn}:${name}`,
    Name: name,
    FunctionVersion: fn.aliases?.[name],
    Description: fn.aliasDescriptions?.[name] ?? "",
    RevisionId: aliasRevisionOf(fn, name),
    ...(weights === undefined || Object.keys(weights).length === 0
      ? {}
      : { RoutingConfig: { AdditionalVersionWeights: weights } }),
  };
}
