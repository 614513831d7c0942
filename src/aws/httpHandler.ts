import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { ProxyAgent } from "proxy-agent";
import { getProxyForUrl as proxyFromEnvironment } from "proxy-from-env";
import { ConnectorError } from "../errors.js";

/** Everything about the network path to AWS that the asset and environment decide. */
export interface NetworkSettings {
  /** The asset's proxy; when absent the standard proxy environment variables apply. */
  proxyUrl: string | undefined;
  verifySsl: boolean;
  /** Milliseconds to wait for a TCP (or proxy tunnel) connection. */
  connectionTimeoutMs: number;
  /** Milliseconds to wait for a whole response; per-call overrides are allowed. */
  requestTimeoutMs: number;
}

/** Lambda runs a function for at most 900 s; a synchronous invoke must outwait it. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 910_000;

/** STS answers in milliseconds; one that has not answered in this long is not going to. */
export const STS_REQUEST_TIMEOUT_MS = 30_000;

/** A connection that is not up after this long is not coming up. */
export const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000;

/**
 * Builds the one HTTP handler that STS and Lambda share for an asset. Its agent comes
 * from `proxy-agent`, so http, https and socks proxies all work; the AWS SDK itself
 * ignores the proxy environment variables, so without this no proxy would be used.
 *
 * Request timeouts are made to throw (`throwOnRequestTimeout`): by default the SDK
 * only logs a warning and keeps waiting.
 *
 * @example
 * ```ts
 * const handler = createHttpHandler({
 *   proxyUrl: "http://proxy.corp:3128",
 *   verifySsl: true,
 *   connectionTimeoutMs: DEFAULT_CONNECTION_TIMEOUT_MS,
 *   requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
 * });
 * new LambdaClient({ requestHandler: handler });
 * ```
 */
export function createHttpHandler(settings: NetworkSettings): NodeHttpHandler {
  const { proxyUrl } = settings;
  const ca = extraCertificateAuthorities();
  const agent = (keepAlive: boolean) =>
    new ProxyAgent({
      keepAlive,
      rejectUnauthorized: settings.verifySsl,
      ...(ca === undefined ? {} : { ca }),
      ...(proxyUrl === undefined ? {} : { getProxyForUrl: () => proxyUrl }),
    });
  return new NodeHttpHandler({
    // Keep-alive reuses a CONNECT tunnel to the same https host, which is sound. For a
    // plain-http target (local endpoints) a reused proxy socket would skip the agent
    // that rewrites the request into absolute-URI form and adds Proxy-Authorization,
    // so the proxy would get a bare path: no keep-alive there.
    httpAgent: agent(false),
    httpsAgent: agent(true),
    connectionTimeout: settings.connectionTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    throwOnRequestTimeout: true,
  });
}

/**
 * The proxy a request to `targetUrl` goes through, with any password masked, or
 * `undefined` for a direct connection. For error messages only.
 */
export function describeProxyFor(
  proxyUrl: string | undefined,
  targetUrl: string,
): string | undefined {
  const effective = proxyUrl ?? proxyFromEnvironment(targetUrl);
  return effective === "" ? undefined : redactUrl(effective);
}

/**
 * A URL with its password replaced by `***`, safe to print.
 *
 * @example
 * ```ts
 * redactUrl("http://alice:s3cret@proxy:3128"); // "http://alice:***@proxy:3128"
 * ```
 */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) {
    return "(unparseable URL)";
  }
  const parsed = new URL(url);
  if (parsed.password !== "") {
    parsed.password = "***";
  }
  return parsed.toString().replace(/\/$/, "");
}

/**
 * Node reads NODE_EXTRA_CA_CERTS by itself, but only into its default store, which
 * an explicit `ca` replaces; AWS_CA_BUNDLE is the AWS tools' own variable. With
 * AWS_CA_BUNDLE set, trust Node's roots plus both files.
 */
function extraCertificateAuthorities(): string[] | undefined {
  const bundle = process.env.AWS_CA_BUNDLE;
  if (bundle === undefined || bundle === "") {
    return undefined;
  }
  const files = [bundle, process.env.NODE_EXTRA_CA_CERTS].filter(
    (file): file is string => file !== undefined && file !== "",
  );
  return [...rootCertificates, ...files.map(readCertificateFile)];
}

function readCertificateFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (cause) {
    // The machine's environment is at fault, not the asset or inputs: exit 1, no field.
    throw new ConnectorError("network_error", `The CA bundle ${path} cannot be read.`, {
      hint: "Point AWS_CA_BUNDLE (and NODE_EXTRA_CA_CERTS) at a readable PEM file, or unset it.",
      cause,
    });
  }
}
