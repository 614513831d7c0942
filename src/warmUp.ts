import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { PROXY_VARIABLES } from "./redaction.js";
import { type RunResult, runConnector } from "./runConnector.js";
import { EXIT_CODES } from "./turbine/contract.js";

/**
 * Runs invoke_function as Turbine does, from the document's text to the output line,
 * against a server of this process on the loopback interface that answers AssumeRole
 * and Invoke as AWS would. The code cache written after it holds the functions of that
 * path compiled (validation, signing, the HTTP handler and its sockets, parsing, the
 * output), so a real run starts without compiling them: a cache written after a run
 * that reached a socket saves a real run ~5 ms more CPU than one whose answers came
 * from a canned transport, which left the HTTP handler to compile at run time.
 *
 * The proxy variables are set aside meanwhile: the server is this process's own.
 *
 * @returns the run's result, its output line on stdout.
 * @throws Error when the run does not succeed (then the cache would miss its path).
 * @example
 * ```ts
 * await warmUp();
 * const cache = script.createCachedData();
 * ```
 */
export async function warmUp(): Promise<RunResult> {
  const server = createServer(answer);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const proxies = PROXY_VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const [name] of proxies) {
    delete process.env[name];
  }
  let run: RunResult;
  try {
    run = await runConnector(
      "invoke_function",
      JSON.stringify({
        access_key: "AKIAIOSFODNN7EXAMPLE",
        secret_key: "warm-up-secret-not-used-for-anything-0000",
        region_name: "us-east-1",
        role_arn: "arn:aws:iam::123456789012:role/WarmUp",
        endpoint_url: endpoint,
        sts_endpoint_url: endpoint,
        function_name: "warm-up",
        payload: { warm: true },
      }),
      { env: {} },
    );
  } finally {
    for (const [name, value] of proxies) {
      if (value !== undefined) {
        process.env[name] = value;
      }
    }
    server.closeAllConnections();
    server.close();
  }
  if (run.exitCode !== EXIT_CODES.success) {
    throw new Error(`the warm-up run failed: ${run.stderr.trim()}`);
  }
  return run;
}

const EXPIRY = "2099-01-01T00:00:00Z";
const REQUEST_ID = "00000000-0000-4000-8000-000000000000";

/** AssumeRole's answer, or Invoke's echo of a `{"warm":true}` payload. */
function answer(request: IncomingMessage, response: ServerResponse): void {
  request.resume();
  request.on("end", () => {
    const invoke = request.url?.includes("/functions/") === true;
    response.writeHead(200, {
      "x-amzn-requestid": REQUEST_ID,
      ...(invoke
        ? { "content-type": "application/json", "x-amz-executed-version": "$LATEST" }
        : { "content-type": "text/xml" }),
    });
    response.end(
      invoke
        ? '{"warm":true}'
        : `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAWARMUPWARMUPWARM</AccessKeyId><SecretAccessKey>warm-up</SecretAccessKey><SessionToken>warm-up</SessionToken><Expiration>${EXPIRY}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/WarmUp/warm-up</Arn><AssumedRoleId>AROAWARMUP:warm-up</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>${REQUEST_ID}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    );
  });
}
