/**
 * The demo a newcomer runs first (`npm run demo`): starts the local AWS endpoint,
 * then runs invoke_function through the real entry exactly as Turbine would (argv,
 * stdin, `::set-output`) with an asset that assumes a role, shows the decoded result
 * and logs, then a call the role may not make, with its hint. Then a short incident
 * on the exposed `public-webhook`, with the responder's asset: assess its exposure,
 * contain it as the findings say (throttle, remove the public statements, close the
 * URL, stop the trigger, tag the quarantine) and assess again, one line per step.
 * Exits 0 only when every step turned out as it should.
 */
import { demoAsset, demoResponderAsset, PUBLIC_WEBHOOK } from "../local-aws/defaultWorld.js";
import { startLocalAws } from "../local-aws/LocalAws.js";
import { type EntryProcessResult, runEntryProcess } from "./lib/runEntryProcess.js";

type Json = Record<string, unknown>;

interface Finding {
  severity: string;
  what: string;
  containment: { action: string; inputs: Json };
}

const aws = await startLocalAws();
const say = (text = "") => process.stdout.write(`${text}\n`);
const asset = demoAsset(aws.url);
const responder = demoResponderAsset(aws.url);
const { secret_key: _secret, external_id: _externalId, ...shown } = asset;
const misbehaved: string[] = [];

/**
 * Runs one incident step through the entry with the responder's asset and prints one
 * line: the action and, when `behaved` holds, what `tell` says it found or changed.
 */
async function incidentStep(
  action: string,
  inputs: Json,
  behaved: (run: EntryProcessResult) => boolean,
  tell: (run: EntryProcessResult) => string,
): Promise<EntryProcessResult> {
  const run = await runEntryProcess(action, JSON.stringify({ asset: responder, inputs }));
  const ok = behaved(run);
  const outcome = ok
    ? tell(run)
    : `NOT as expected: exit ${run.exitCode}, ${run.error?.code ?? "no error"}: ${run.error?.message ?? run.stdout.trim()}`;
  say(`   ${ok ? "ok" : "!!"} ${action.padEnd(28)} ${outcome}`);
  if (!ok) {
    misbehaved.push(action);
  }
  return run;
}

const findingsOf = (run: EntryProcessResult) => (run.output?.findings ?? []) as Finding[];
const webhook = { function_name: PUBLIC_WEBHOOK.name };

try {
  say(`Local AWS endpoint (STS + Lambda, every request's SigV4 signature checked): ${aws.url}`);
  say(`Asset (secrets left out): ${JSON.stringify(shown)}`);

  say("\n1. Enrich an indicator through the assumed role");
  const inputs = {
    function_name: "enrich-indicator",
    payload: { indicator: "198.51.100.7" },
    include_logs: true,
  };
  say(
    `   $ echo '{"asset": …, "inputs": ${JSON.stringify(inputs)}}' | node dist/main.js invoke_function`,
  );
  const ok = await runEntryProcess("invoke_function", JSON.stringify({ asset, inputs }));
  say(`   exit ${ok.exitCode}; stdout: ${ok.stdout.trim().slice(0, 160)}…`);
  if (ok.output !== undefined) {
    say(`   status ${ok.output.status_code}, executed version ${ok.output.executed_version}`);
    say(`   payload: ${JSON.stringify(ok.output.payload)}`);
    say("   log tail:");
    for (const line of String(ok.output.log_result ?? "")
      .trimEnd()
      .split("\n")) {
      say(`     ${line}`);
    }
  }

  say("\n2. A function the role may not invoke");
  const denied = await runEntryProcess(
    "invoke_function",
    JSON.stringify({ asset, inputs: { function_name: "admin-only" } }),
  );
  say(`   exit ${denied.exitCode}; ${denied.error?.code}: ${denied.error?.message}`);
  say(`   hint: ${denied.error?.hint}`);
  if (!(ok.exitCode === 0 && denied.exitCode === 1 && denied.error?.code === "access_denied")) {
    misbehaved.push("invoke_function");
  }

  say(
    `\n3. An incident: ${PUBLIC_WEBHOOK.name} is exposed. Assess, contain, assess again (role ${responder.role_arn?.split("/").pop()})`,
  );
  const assessed = await incidentStep(
    "assess_function_exposure",
    webhook,
    (run) => run.output?.exposed === true && findingsOf(run).length > 0,
    (run) => {
      const counts = new Map<string, number>();
      for (const { severity } of findingsOf(run)) {
        counts.set(severity, (counts.get(severity) ?? 0) + 1);
      }
      return `exposed; findings: ${[...counts].map(([severity, n]) => `${n} ${severity}`).join(", ")}`;
    },
  );
  for (const finding of findingsOf(assessed)) {
    say(`        ${finding.severity.padEnd(4)} ${finding.what} → ${finding.containment.action}`);
  }

  await incidentStep(
    "put_function_concurrency",
    { ...webhook, reserved_concurrent_executions: 0 },
    (run) => run.exitCode === 0 && run.output?.reserved_concurrent_executions === 0,
    (run) =>
      `reserved concurrency ${(run.output?.previous as { reserved_concurrent_executions: number | null } | undefined)?.reserved_concurrent_executions ?? "none"} → 0: every invocation is throttled`,
  );
  const runsBefore = aws.runCount(PUBLIC_WEBHOOK.name);
  await incidentStep(
    "invoke_function",
    webhook,
    (run) => run.error?.code === "throttled" && aws.runCount(PUBLIC_WEBHOOK.name) === runsBefore,
    (run) =>
      `refused (${run.error?.code}, HTTP ${run.error?.http_status}); ${PUBLIC_WEBHOOK.name} did not run`,
  );

  // Close every way in the assessment found, with the containment it names.
  for (const { containment } of findingsOf(assessed)) {
    await incidentStep(
      containment.action,
      containment.inputs,
      (run) => run.exitCode === 0,
      (run) => changeOf(containment.action, run.output ?? {}),
    );
  }

  await incidentStep(
    "tag_function",
    { ...webhook, tags: { quarantine: "true", case: "SW-1234" } },
    (run) => run.exitCode === 0,
    (run) =>
      `tagged quarantine=true, case=SW-1234 (before: ${JSON.stringify((run.output?.previous as { tags: unknown } | undefined)?.tags)})`,
  );
  await incidentStep(
    "assess_function_exposure",
    webhook,
    (run) => run.output?.exposed === false && findingsOf(run).length === 0,
    (run) =>
      `not exposed: no findings; reserved concurrency ${run.output?.reserved_concurrent_executions}`,
  );

  say(
    `\nAssumeRole calls: ${aws.assumeRoleCount()}; enrich-indicator ran ${aws.runCount("enrich-indicator")} time(s), ${PUBLIC_WEBHOOK.name} ${aws.runCount(PUBLIC_WEBHOOK.name)}.`,
  );
  say(
    misbehaved.length === 0
      ? `Demo finished as expected: invoked, refused, and ${PUBLIC_WEBHOOK.name} contained and no longer exposed.`
      : `Demo did NOT go as expected (${misbehaved.join(", ")}): see above.`,
  );
  process.exitCode = misbehaved.length === 0 ? 0 : 1;
} finally {
  await aws.close();
}

/** What a containment changed, in a few words, from its output's before and after. */
function changeOf(action: string, output: Json): string {
  switch (action) {
    case "remove_permission": {
      const { statement } = output.previous as {
        statement: { principal: unknown; action: string[] } | null;
      };
      return `removed statement ${output.statement_id} (principal ${JSON.stringify(statement?.principal)}, ${statement?.action.join(", ")})`;
    }
    case "update_function_url_config": {
      const previous = output.previous as { auth_type: string };
      return `URL auth type ${previous.auth_type} → ${output.auth_type}`;
    }
    case "update_event_source_mapping": {
      const mapping = output.event_source_mapping as { event_source_arn: string; state: string };
      return `trigger from ${mapping.event_source_arn}: ${(output.previous as { state: string | null }).state} → ${mapping.state}`;
    }
    default:
      return JSON.stringify(output);
  }
}
