/**
 * Starts the local AWS endpoint (Lambda and STS on 127.0.0.1) with the demo world, and
 * prints one JSON asset that points the connector at it:
 *
 *   npm run --silent local-aws -- [--port N] [--host H] [--credential-lifetime S] > asset.json
 *
 * Stdout carries only the asset, so it can be redirected or piped; the human note goes
 * to stderr. Runs until SIGINT or SIGTERM, then closes cleanly.
 */
import { parseArgs } from "node:util";
import { demoAsset } from "../local-aws/defaultWorld.js";
import { startLocalAws } from "../local-aws/LocalAws.js";

const USAGE = "usage: npx tsx scripts/local-aws.ts [--port N] [--host H] [--credential-lifetime S]";

function wholeNumber(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min) {
    process.stderr.write(
      `--${flag} must be a whole number of at least ${min}, got '${value}'\n${USAGE}\n`,
    );
    process.exit(2);
  }
  return number;
}

let values: { port?: string; host?: string; "credential-lifetime"?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "credential-lifetime": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
  process.exit(2);
}
if (values.help === true) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(0);
}

const port = wholeNumber("port", values.port, 0);
const credentialLifetimeSeconds = wholeNumber(
  "credential-lifetime",
  values["credential-lifetime"],
  1,
);
const aws = await startLocalAws({
  ...(port === undefined ? {} : { port }),
  ...(values.host === undefined ? {} : { host: values.host }),
  credentialLifetimeSeconds,
});

const asset = { ...demoAsset(aws.url), role_session_name: "turbine-local-demo" };
process.stdout.write(`${JSON.stringify(asset)}\n`);
process.stderr.write(
  [
    `local-aws: Lambda and STS listening on ${aws.url} (demo account 123456789012).`,
    "  Functions: echo (versions 1, 2; aliases live, previous), enrich-indicator, throws, sleeps, chatty, admin-only; regional-only in us-west-2.",
    `  Faults: curl -X POST ${aws.url}/__local/faults -d '{"kind":"throttle","count":2}'   State: curl ${aws.url}/__local/state`,
    credentialLifetimeSeconds === undefined
      ? "  Assumed-role credentials live as long as DurationSeconds asks."
      : `  Assumed-role credentials expire after at most ${credentialLifetimeSeconds} s.`,
    "  Ctrl-C to stop.",
    "",
  ].join("\n"),
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    process.stderr.write(`local-aws: ${signal}, closing.\n`);
    // Nothing else holds the event loop, so the process ends once the server is closed.
    void aws.close();
  });
}
