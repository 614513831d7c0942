/**
 * Starts the local AWS endpoint (Lambda and STS on 127.0.0.1) with the demo world, and
 * prints one JSON asset that points the connector at it: the invoker's (inspect and
 * invoke), or with --responder the responder's (also contain and provision):
 *
 *   npm run --silent local-aws -- [--responder] [--port N] [--host H] [--credential-lifetime S] > asset.json
 *
 * Stdout carries only the asset, so it can be redirected or piped; the human note goes
 * to stderr. Runs until SIGINT or SIGTERM, then closes cleanly.
 */
import { parseArgs } from "node:util";
import {
  DEMO_EXECUTION_ROLE,
  DEMO_RESPONDER_ROLE,
  DEMO_ROLE,
  defaultWorld,
  demoAsset,
  demoResponderAsset,
} from "../local-aws/defaultWorld.js";
import { startLocalAws } from "../local-aws/LocalAws.js";
import type { World } from "../local-aws/World.js";

const USAGE =
  "usage: npx tsx scripts/local-aws.ts [--responder] [--port N] [--host H] [--credential-lifetime S]";

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

let values: {
  port?: string;
  host?: string;
  "credential-lifetime"?: string;
  responder?: boolean;
  help?: boolean;
};
try {
  ({ values } = parseArgs({
    options: {
      responder: { type: "boolean" },
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
const world = defaultWorld();
const aws = await startLocalAws({
  world,
  ...(port === undefined ? {} : { port }),
  ...(values.host === undefined ? {} : { host: values.host }),
  credentialLifetimeSeconds,
});

const responder = values.responder === true;
const asset = {
  ...(responder ? demoResponderAsset(aws.url) : demoAsset(aws.url)),
  role_session_name: "turbine-local-demo",
};
process.stdout.write(`${JSON.stringify(asset)}\n`);
process.stderr.write(
  [
    `local-aws: Lambda and STS listening on ${aws.url} (demo account ${world.accountId}).`,
    responder
      ? `  The asset assumes ${DEMO_RESPONDER_ROLE.name}: inspect and invoke, contain and provision (create_function's execution_role_arn: ${DEMO_EXECUTION_ROLE.arn}).`
      : `  The asset assumes ${DEMO_ROLE.name}: inspect and invoke only. --responder prints one for ${DEMO_RESPONDER_ROLE.name}, which may also contain and provision.`,
    ...functionLines(world),
    `  Layers: ${(world.layers ?? []).map((layer) => `${layer.name} (versions ${layer.versions.map((v) => v.version).join(", ")})`).join("; ")}.`,
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

/** The demo functions by region, each with what a responder would look at. */
function functionLines(world: World): string[] {
  const regions = [...new Set(world.functions.map((fn) => fn.region))];
  return regions.map((region, index) => {
    const described = world.functions
      .filter((fn) => fn.region === region)
      .map((fn) => {
        const notes = [
          fn.versions === undefined ? "" : `versions ${fn.versions.join(", ")}`,
          fn.aliases === undefined ? "" : `aliases ${Object.keys(fn.aliases).join(", ")}`,
          Object.values(fn.policies ?? {})
            .flat()
            .some((statement) => statement.Principal === "*")
            ? "policy open to *"
            : "",
          Object.values(fn.urls ?? {}).some((url) => url.authType === "NONE")
            ? "URL with auth NONE"
            : "",
          triggers(world, fn.name),
        ].filter((note) => note !== "");
        return notes.length === 0 ? fn.name : `${fn.name} (${notes.join("; ")})`;
      });
    return `  ${index === 0 ? "Functions" : "         "} in ${region}: ${described.join(", ")}.`;
  });
}

function triggers(world: World, functionName: string): string {
  const count = (world.eventSourceMappings ?? []).filter(
    (mapping) => mapping.functionName === functionName,
  ).length;
  return count === 0 ? "" : `${count} trigger${count === 1 ? "" : "s"}`;
}
