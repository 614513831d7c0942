import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { ACCESS_KEY_ID, REGION, ROLE_ARN, SECRET_ACCESS_KEY } from "../fixtures.js";
import { listenLocally } from "./listenLocally.js";

/** What AssumeRole gets: credentials at once, or headers and then a byte every 2 s, or nothing after the headers. */
export type StsBehaviour = "answer" | "trickle" | "stall";

/** The temporary credentials the endpoint's AssumeRole issues: characters that every encoding changes. */
export const ROLE_SESSION = {
  accessKeyId: "ASIAROLEENDPOINT0001",
  secretAccessKey: "rOle/Secret+Key=wJalrXUtnFEMI/K7MDENG",
  sessionToken: "IQoJb3JpZ2luX2VjE/Role+Session=Token/with//slashes+and+plus==tail",
} as const;

/** Answers a Lambda request; `token` is the request's `x-amz-security-token`. */
export type LambdaResponder = (
  request: IncomingMessage,
  token: string,
  response: ServerResponse,
) => void;

/** A running {@link startRoleEndpoint}. */
export interface RoleEndpoint {
  url: string;
  sts: StsBehaviour;
  /** STS requests received, by action (AssumeRole, GetCallerIdentity). */
  readonly stsCalls: string[];
  /** Lambda requests received. */
  readonly lambdaCalls: number;
  close(): Promise<void>;
}

const REQUEST_ID = "11111111-2222-4333-8444-555555555555";

/**
 * Starts the endpoint; every Lambda request goes to `lambda`.
 *
 * @example
 * ```ts
 * const endpoint = await startRoleEndpoint("trickle", (_request, _token, response) => response.end("{}"));
 * ```
 */
export async function startRoleEndpoint(
  sts: StsBehaviour,
  lambda: LambdaResponder,
): Promise<RoleEndpoint> {
  const state = { sts, lambdaCalls: 0 };
  const stsCalls: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const action = new URLSearchParams(body).get("Action");
      if (request.method === "POST" && request.url === "/" && action !== null) {
        stsCalls.push(action);
        answerSts(action, state.sts, response, timers);
        return;
      }
      state.lambdaCalls += 1;
      lambda(request, String(request.headers["x-amz-security-token"] ?? ""), response);
    });
  });
  const listening = await listenLocally(server);
  const { port } = listening;
  return {
    url: `http://127.0.0.1:${port}`,
    get sts() {
      return state.sts;
    },
    set sts(behaviour: StsBehaviour) {
      state.sts = behaviour;
    },
    stsCalls,
    get lambdaCalls() {
      return state.lambdaCalls;
    },
    close: async () => {
      for (const timer of timers) {
        clearInterval(timer);
      }
      await listening.close();
    },
  };
}

/** Lambda's JSON error answer, with a request ID as AWS's always has. */
export function lambdaError(
  response: ServerResponse,
  status: number,
  type: string,
  message: string,
  extra: Record<string, unknown> = {},
): void {
  response.writeHead(status, {
    "content-type": "application/json",
    "x-amzn-requestid": REQUEST_ID,
    "x-amzn-errortype": type,
  });
  response.end(JSON.stringify({ Type: "User", message, ...extra }));
}

/** The request ID every answer of the endpoint carries. */
export const ROLE_ENDPOINT_REQUEST_ID = REQUEST_ID;

function answerSts(
  action: string,
  behaviour: StsBehaviour,
  response: ServerResponse,
  timers: Set<NodeJS.Timeout>,
): void {
  const xml =
    action === "AssumeRole"
      ? `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>${ROLE_SESSION.accessKeyId}</AccessKeyId><SecretAccessKey>${ROLE_SESSION.secretAccessKey}</SecretAccessKey><SessionToken>${ROLE_SESSION.sessionToken}</SessionToken><Expiration>${new Date(Date.now() + 3600_000).toISOString()}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/Responder/s</Arn><AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>${REQUEST_ID}</RequestId></ResponseMetadata></AssumeRoleResponse>`
      : `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/turbine</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${REQUEST_ID}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
  // Only AssumeRole is slow: the calls that check the asset's own keys answer at once.
  const slow = action === "AssumeRole" ? behaviour : "answer";
  if (slow === "answer") {
    response.writeHead(200, { "content-type": "text/xml", "x-amzn-requestid": REQUEST_ID });
    response.end(xml);
    return;
  }
  response.writeHead(200, {
    "content-type": "text/xml",
    "x-amzn-requestid": REQUEST_ID,
    "content-length": String(Buffer.byteLength(xml)),
  });
  response.flushHeaders();
  if (slow === "stall") {
    return;
  }
  let sent = 0;
  const timer = setInterval(() => {
    if (sent >= xml.length || response.destroyed) {
      clearInterval(timer);
      timers.delete(timer);
      return;
    }
    response.write(xml.charAt(sent));
    sent += 1;
  }, 2000);
  timers.add(timer);
}

/** An asset with long-term keys and a role, whose STS and Lambda are both the endpoint at `url`. */
export function roleAssetOn(url: string) {
  return {
    access_key: ACCESS_KEY_ID,
    secret_key: SECRET_ACCESS_KEY,
    region_name: REGION,
    role_arn: ROLE_ARN,
    endpoint_url: url,
    sts_endpoint_url: url,
  };
}
