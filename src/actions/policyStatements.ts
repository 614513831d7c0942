import { z } from "zod";
import { field } from "../outputFields.js";
import { parseJsonText } from "./fields.js";

/** One statement of a function's resource-based policy, as the actions print it. */
export const policyStatementSchema = z.object({
  sid: field.nullableText("The statement id (remove_permission takes it)."),
  effect: field.text("Allow or Deny."),
  principal: z.json().meta({
    description: 'Who it applies to: "*", {"AWS": …}, {"Service": …}, as in the policy.',
  }),
  action: field.texts("The Lambda actions it covers."),
  resource: field.texts("The function ARNs it covers."),
  conditions: z
    .record(z.string(), z.json())
    .meta({ description: "Its Condition block, {} when it has none." }),
});

/** A parsed policy statement. */
export type PolicyStatement = z.output<typeof policyStatementSchema>;

type Json = z.output<ReturnType<typeof z.json>>;

/**
 * The statements of a resource-based policy given as JSON text, one entry each, with
 * single values widened to lists so that a playbook reads every statement the same way.
 *
 * @example
 * ```ts
 * parsePolicy('{"Statement":[{"Sid":"s3","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"arn:…"}]}');
 * // [{ sid: "s3", effect: "Allow", principal: { Service: "s3.amazonaws.com" }, action: ["lambda:InvokeFunction"], … }]
 * ```
 */
export function parsePolicy(text: string | undefined): {
  document: Json;
  statements: PolicyStatement[];
} {
  const document = parseJsonText(text) as Json;
  const raw =
    typeof document === "object" && document !== null && !Array.isArray(document)
      ? document.Statement
      : undefined;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return {
    document,
    statements: list.filter(isObject).map((statement) => ({
      sid: typeof statement.Sid === "string" ? statement.Sid : null,
      effect: typeof statement.Effect === "string" ? statement.Effect : "Allow",
      principal: statement.Principal ?? null,
      action: strings(statement.Action),
      resource: strings(statement.Resource),
      conditions: isObject(statement.Condition) ? statement.Condition : {},
    })),
  };
}

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((item): item is string => typeof item === "string");
}

/**
 * Whether the IAM action `pattern` of a policy covers `action`: case-insensitive, with
 * `*` and `?` wildcards, as IAM matches them.
 *
 * @example
 * ```ts
 * matchesIamAction("lambda:Invoke*", "lambda:InvokeFunctionUrl"); // true
 * ```
 */
export function matchesIamAction(pattern: string, action: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`, "i").test(action);
}
