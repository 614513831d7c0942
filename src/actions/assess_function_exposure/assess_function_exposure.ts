import { z } from "zod";
import type { Executor } from "../../aws/executor.js";
import { field, functionNameOutput, reservedConcurrencyOutput } from "../../outputFields.js";
import { defineCustomAction } from "../defineAction.js";
import { unqualifiedFunctionNameInput } from "../fields.js";
import { getFunctionAction } from "../get_function/get_function.js";
import { getFunctionUrlConfigAction } from "../get_function_url_config/get_function_url_config.js";
import { getPolicyAction } from "../get_policy/get_policy.js";
import { listAliasesAction } from "../list_aliases/list_aliases.js";
import { listEventSourceMappingsAction } from "../list_event_source_mappings/list_event_source_mappings.js";
import { listVersionsByFunctionAction } from "../list_versions_by_function/list_versions_by_function.js";
import { MAX_ITEMS_LIMIT } from "../pagination.js";
import { type GatheredExposure, type GatheredPlace, judgeExposure } from "./exposure.js";

/**
 * Aliases, and published versions, walked at most (every page up to it), each checked
 * with its own policy and URL; past it the verdict says it is not complete.
 */
export const MAX_QUALIFIERS = MAX_ITEMS_LIMIT;

const findingSchema = z.object({
  severity: z.enum(["high", "medium", "info"]).meta({
    description:
      "high: anyone (or any AWS account) can invoke; medium: another account, any account's resource, a read of the function by anyone, or CORS * on an open URL; info: worth knowing (narrowed grants, dormant URL statements, triggers).",
  }),
  kind: z
    .enum(["resource_policy", "function_url", "event_source_mapping"])
    .meta({ description: "Where the way in is: a policy statement, a URL or a trigger." }),
  qualifier: field.nullableText(
    "The alias or version it applies to; null for the function itself.",
  ),
  what: field.text("What was found, e.g. the statement id and who it lets in."),
  why: field.text("Why it matters."),
  containment: z
    .object({
      action: field.text("The connector action that closes it."),
      inputs: z.record(z.string(), z.json()).meta({ description: "Its inputs." }),
    })
    .meta({ description: "How to close it with this connector." }),
});

/** The output of assess_function_exposure. */
export const assessFunctionExposureOutput = z.object({
  function_name: functionNameOutput,
  function_arn: field.nullableText("The function's ARN, as get_function read it."),
  exposed: field.flag(
    "true when anyone can invoke the function (a high finding); false is a verdict only when complete is true.",
  ),
  complete: field.flag(
    "false when some aliases, versions or reads were not checked: then exposed false does not mean not exposed.",
  ),
  findings: z
    .array(findingSchema)
    .meta({ description: "Every way in that was found; [] when none." }),
  checked: z
    .object({
      qualifiers: field.texts(
        "Aliases and versions whose policy and URL were checked, besides the function.",
      ),
      policy_statements: field.integer(
        "Policy statements read, on the function and each qualifier.",
      ),
      function_urls: field.integer("Function URLs found, on the function and each alias."),
      event_source_mappings: field.integer("Event source mappings (triggers) read."),
      qualifiers_truncated: field.flag(
        `true when more than ${MAX_QUALIFIERS} aliases or versions exist (or the walk stopped) and only the first were checked.`,
      ),
    })
    .meta({ description: "What the verdict rests on: what was read, and how much." }),
  reserved_concurrent_executions: reservedConcurrencyOutput,
});

/**
 * assess_function_exposure: one verdict a responder can act on: can anyone invoke this
 * function, and how, with the action that closes each way in.
 */
export const assessFunctionExposureAction = defineCustomAction({
  name: "assess_function_exposure",
  title: "Assess Function Exposure",
  description:
    "Tell whether a function is publicly invokable and how: resource-policy statements open to anyone or other accounts, function URLs without auth, and triggers, on the function and each alias and version, each with the containment action that closes it.",
  inputs: z.strictObject({
    // The assessment covers every alias and version itself; ListAliases and
    // ListVersionsByFunction refuse a qualified name, so it is refused here, before any call.
    function_name: unqualifiedFunctionNameInput("the assessment covers every alias and version"),
  }),
  output: assessFunctionExposureOutput,
  iamActions: [
    "lambda:GetFunction",
    "lambda:GetPolicy",
    "lambda:GetFunctionUrlConfig",
    "lambda:ListAliases",
    "lambda:ListVersionsByFunction",
    "lambda:ListEventSourceMappings",
  ],
  why: "It combines six declared reads (each reused from its own action) into one verdict.",
  run: assessFunctionExposure,
});

/**
 * Reads the function's policy, URL and triggers, on the function and each alias and
 * version, and judges them.
 *
 * @example
 * ```ts
 * const { exposed, findings } = await assessFunctionExposure({ function_name: "public-webhook" }, executor);
 * ```
 */
export async function assessFunctionExposure(
  inputs: { function_name: string },
  executor: Executor,
) {
  return judgeExposure(await gatherExposure(inputs.function_name, executor));
}

/** Every read the verdict needs, each through the declared action that owns it. */
async function gatherExposure(name: string, executor: Executor): Promise<GatheredExposure> {
  const fn = await getFunctionAction.run(
    getFunctionAction.inputs.parse({ function_name: name }),
    executor,
  );
  return gatherWaysIn(
    {
      function_name: name,
      arn: fn.function.arn,
      reserved_concurrent_executions: fn.reserved_concurrent_executions,
    },
    executor,
  );
}

/** A read that may fail without failing the verdict: its failure is recorded instead. */
export type Tolerate = <T>(check: string, read: () => Promise<T>) => Promise<T | undefined>;

/** Reads fail the run: what assess_function_exposure has always done. */
const failOnError: Tolerate = (_check, read) => read();

/**
 * The ways in of a known function: its aliases and versions walked page by page, each
 * place's policy and URL, and its triggers. With `tolerate`, a read that fails leaves
 * its part unchecked (qualifiers_truncated) instead of failing the run.
 *
 * @example
 * ```ts
 * judgeExposure(await gatherWaysIn({ function_name: "echo", arn, reserved_concurrent_executions: null }, executor));
 * ```
 */
export async function gatherWaysIn(
  fn: { function_name: string; arn: string; reserved_concurrent_executions: number | null },
  executor: Executor,
  tolerate: Tolerate = failOnError,
): Promise<GatheredExposure & { versions: { version: string; last_modified: string | null }[] }> {
  const name = fn.function_name;
  const { aliases, versions, mappings } = await listWaysIn(name, executor, tolerate);
  const published = (versions?.versions ?? []).filter((v) => v.version !== "$LATEST");
  const qualifiers = [
    ...(aliases?.aliases ?? []).map((alias) => alias.name),
    ...published.map((version) => version.version),
  ];
  let incomplete =
    aliases === undefined ||
    versions === undefined ||
    mappings === undefined ||
    aliases.truncated ||
    versions.truncated ||
    mappings.truncated;
  const places: GatheredPlace[] = [];
  for (const qualifier of [undefined, ...qualifiers]) {
    const place = await gatherPlace(name, qualifier, executor, tolerate);
    if (place === undefined) {
      incomplete = true;
    } else {
      places.push(place);
    }
  }
  return {
    function_name: name,
    arn: fn.arn,
    reserved_concurrent_executions: fn.reserved_concurrent_executions,
    qualifiers,
    qualifiers_truncated: incomplete,
    places,
    mappings: mappings?.event_source_mappings ?? [],
    versions: published,
  };
}

/** The function's aliases, versions and triggers, each walked up to {@link MAX_QUALIFIERS}. */
async function listWaysIn(name: string, executor: Executor, tolerate: Tolerate) {
  const [aliases, versions, mappings] = await Promise.all([
    tolerate("aliases", () =>
      listAliasesAction.run(
        listAliasesAction.inputs.parse({ function_name: name, max_items: MAX_QUALIFIERS }),
        executor,
      ),
    ),
    tolerate("versions", () =>
      listVersionsByFunctionAction.run(
        listVersionsByFunctionAction.inputs.parse({
          function_name: name,
          max_items: MAX_QUALIFIERS,
        }),
        executor,
      ),
    ),
    tolerate("event_source_mappings", () =>
      listEventSourceMappingsAction.run(
        listEventSourceMappingsAction.inputs.parse({
          function_name: name,
          max_items: MAX_QUALIFIERS,
        }),
        executor,
      ),
    ),
  ]);
  return { aliases, versions, mappings };
}

/** The policy and URL of the function, or of one alias or version of it; undefined when unread. */
async function gatherPlace(
  name: string,
  qualifier: string | undefined,
  executor: Executor,
  tolerate: Tolerate,
): Promise<GatheredPlace | undefined> {
  const target =
    qualifier === undefined ? { function_name: name } : { function_name: name, qualifier };
  const where = qualifier === undefined ? "the function" : qualifier;
  // A URL exists only on the function or an alias, never on a published version.
  const hasUrl = qualifier === undefined || !/^\d+$/.test(qualifier);
  const [policy, url] = await Promise.all([
    tolerate(`resource policy of ${where}`, () =>
      getPolicyAction.run(getPolicyAction.inputs.parse(target), executor),
    ),
    hasUrl
      ? tolerate(`function URL of ${where}`, () =>
          getFunctionUrlConfigAction.run(getFunctionUrlConfigAction.inputs.parse(target), executor),
        )
      : undefined,
  ]);
  if (policy === undefined || (hasUrl && url === undefined)) {
    return undefined;
  }
  return { qualifier, statements: policy.statements, url };
}
