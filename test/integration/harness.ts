/**
 * Runs the built connector exactly as Turbine does (argv, one JSON document on stdin,
 * `::set-output` on stdout, one JSON error line on stderr) against the local AWS
 * endpoint, and starts real proxy servers for the proxy tests.
 */
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createProxy } from "proxy";
import { DEMO_ACCOUNT_ID, DEMO_ROLE, DEMO_USER, demoAsset } from "../../local-aws/defaultWorld.js";
import {
  ENTRY_PATH,
  type EntryProcessResult,
  runEntryProcess,
} from "../../src/turbine/runEntryProcess.js";

/** The demo world's identities, as the local endpoint knows them. */
export const DEMO = {
  accessKeyId: DEMO_USER.accessKeyId,
  secretAccessKey: DEMO_USER.secretAccessKey,
  roleArn: DEMO_ROLE.arn,
  externalId: DEMO_ROLE.externalId,
  account: DEMO_ACCOUNT_ID,
} as const;

/** An asset that reaches the local endpoint at `url` through the demo role. */
export function localAsset(
  url: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...demoAsset(url), ...overrides };
}

/** What one run of the entry printed, parsed. */
export type EntryRun = EntryProcessResult;

/** Environment for the child: the parent's, minus anything that would route or sign differently. */
function childEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(https?_proxy|no_proxy|all_proxy|aws_.*)$/i.test(key)) {
      env[key] = value;
    }
  }
  return { ...env, ...extra };
}

/**
 * Runs `node dist/main.js <action>` with `document` on stdin and a clean environment.
 *
 * @example
 * ```ts
 * const run = await runEntry("invoke_function", { asset, inputs: { function_name: "echo" } });
 * expect(run.exitCode).toBe(0);
 * ```
 */
export function runEntry(
  action: string,
  document: unknown,
  env: Record<string, string> = {},
): Promise<EntryRun> {
  if (!existsSync(ENTRY_PATH)) {
    throw new Error(`${ENTRY_PATH} is missing: run \`npm run build\` before the integration tests`);
  }
  return runEntryProcess(
    action,
    typeof document === "string" ? document : JSON.stringify(document),
    childEnvironment(env),
  );
}

/** A real HTTP proxy on 127.0.0.1 that records what it carried. */
export interface RecordingProxy {
  url: string;
  port: number;
  /** Absolute URLs (forwarded requests) and host:port (CONNECT tunnels) it carried. */
  carried: string[];
  /** Requests it refused for want of valid credentials. */
  refused: number;
  close(): Promise<void>;
}

/**
 * Starts the `proxy` package's HTTP proxy, optionally requiring Basic authentication.
 */
export async function startProxy(credentials?: {
  user: string;
  password: string;
}): Promise<RecordingProxy> {
  const server = createProxy(createServer());
  const carried: string[] = [];
  const state = { refused: 0 };
  const expected =
    credentials === undefined
      ? undefined
      : `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString("base64")}`;
  server.authenticate = (req: IncomingMessage) => {
    const ok = expected === undefined || req.headers["proxy-authorization"] === expected;
    if (ok) {
      carried.push(String(req.url));
    } else {
      state.refused += 1;
    }
    return ok;
  };
  await listen(server);
  const { port } = server.address() as AddressInfo;
  const auth =
    credentials === undefined
      ? ""
      : `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@`;
  return {
    url: `http://${auth}127.0.0.1:${port}`,
    port,
    carried,
    get refused() {
      return state.refused;
    },
    close: () => closeServer(server),
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await listen(server);
  const { port } = server.address() as AddressInfo;
  await closeServer(server);
  return port;
}

function listen(server: Server): Promise<void> {
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done()));
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((done) => server.close(() => done()));
}
