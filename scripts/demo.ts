/**
 * The demo a newcomer runs first (`npm run demo`): starts the local AWS endpoint,
 * then runs invoke_function through the real entry exactly as Turbine would (argv,
 * stdin, `::set-output`) with an asset that assumes a role, shows the decoded result
 * and logs, then a call the role may not make, with its hint. Exits 0 when both
 * turned out as they should.
 */
import { demoAsset } from "../local-aws/defaultWorld.js";
import { startLocalAws } from "../local-aws/LocalAws.js";
import { runEntryProcess } from "./lib/runEntryProcess.js";

const aws = await startLocalAws();
const say = (text = "") => process.stdout.write(`${text}\n`);
const asset = demoAsset(aws.url);
const { secret_key: _secret, external_id: _externalId, ...shown } = asset;

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

  say(
    `\nAssumeRole calls: ${aws.assumeRoleCount()}; enrich-indicator ran ${aws.runCount("enrich-indicator")} time(s).`,
  );
  const asExpected =
    ok.exitCode === 0 && denied.exitCode === 1 && denied.error?.code === "access_denied";
  say(asExpected ? "Demo finished as expected." : "Demo did NOT go as expected: see above.");
  process.exitCode = asExpected ? 0 : 1;
} finally {
  await aws.close();
}
