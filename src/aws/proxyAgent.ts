import { type ClientRequest, Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { isIP } from "node:net";
import { checkServerIdentity, type PeerCertificate } from "node:tls";
import { Agent, type AgentConnectOpts } from "agent-base";
import { getProxyForUrl as proxyFromEnvironment } from "proxy-from-env";

/** How {@link createProxyAgent} connects and whom it trusts. */
export interface ProxyAgentSettings {
  /** Reuse connections, and so CONNECT tunnels, between requests. */
  keepAlive: boolean;
  /** `false` accepts any certificate, as `verify_ssl: false` asks. */
  rejectUnauthorized: boolean;
  /** PEM certificates to trust instead of Node's default store. */
  ca?: string[] | undefined;
  /** The proxy for every request; when absent HTTPS_PROXY, HTTP_PROXY and NO_PROXY apply. */
  proxyUrl?: string | undefined;
}

/**
 * An agent for `NodeHttpHandler`'s `httpAgent` and `httpsAgent`: through an http, https
 * or socks proxy, or directly when no proxy applies to the request's URL, with the
 * certificate of an HTTPS target given by IP address checked against that address.
 * Each proxy scheme's agent package loads when a request first needs it (the asset
 * takes proxy URLs only, no PAC script, so no PAC stack is carried).
 *
 * @example
 * ```ts
 * const proxyUrl = "http://alice:s3cret@proxy.corp:3128";
 * const handler = new NodeHttpHandler({
 *   httpAgent: createProxyAgent({ keepAlive: false, rejectUnauthorized: true, proxyUrl }),
 *   httpsAgent: createProxyAgent({ keepAlive: true, rejectUnauthorized: true, proxyUrl }),
 * });
 * // The certificate at 10.1.2.3 must name IP 10.1.2.3, even through the tunnel.
 * new LambdaClient({ endpoint: "https://10.1.2.3", requestHandler: handler });
 * ```
 */
export function createProxyAgent(settings: ProxyAgentSettings): Agent {
  return new RoutingProxyAgent(settings);
}

type TlsOptions = Pick<ProxyAgentSettings, "keepAlive" | "rejectUnauthorized" | "ca">;

/** The agent of one proxy URL for one kind of target (plain or TLS). */
async function agentThrough(proxy: string, secureTarget: boolean, options: TlsOptions) {
  const scheme = new URL(proxy).protocol;
  if (scheme.startsWith("socks")) {
    const { SocksProxyAgent } = await import("socks-proxy-agent");
    return new SocksProxyAgent(proxy, options);
  }
  if (scheme !== "http:" && scheme !== "https:") {
    // The asset schema allows only the schemes above; a variable may hold anything.
    throw new Error(`The proxy scheme ${scheme} is not supported (http, https, socks).`);
  }
  if (secureTarget) {
    const { HttpsProxyAgent } = await import("https-proxy-agent");
    return new HttpsProxyAgent(proxy, options);
  }
  const { HttpProxyAgent } = await import("http-proxy-agent");
  return new HttpProxyAgent(proxy, options);
}

class RoutingProxyAgent extends Agent {
  private readonly settings: ProxyAgentSettings;
  private readonly direct: { http: HttpAgent; https: HttpsAgent };
  /** One agent per proxy URL and kind of target, so that tunnels are reused. */
  private readonly throughProxy = new Map<string, Promise<Agent>>();

  constructor(settings: ProxyAgentSettings) {
    const { keepAlive, rejectUnauthorized, ca } = settings;
    const options = { keepAlive, rejectUnauthorized, ...(ca === undefined ? {} : { ca }) };
    // http.Agent merges these options into each request's, so they reach the target's TLS.
    super(options);
    this.settings = settings;
    this.direct = { http: new HttpAgent(options), https: new HttpsAgent(options) };
  }

  override async connect(req: ClientRequest, opts: AgentConnectOpts): Promise<HttpAgent> {
    const protocol = opts.secureEndpoint ? "https:" : "http:";
    const url = new URL(req.path, `${protocol}//${String(req.getHeader("host"))}`).href;
    const proxy = this.settings.proxyUrl ?? proxyFromEnvironment(url);
    if (proxy === "") {
      return opts.secureEndpoint ? this.direct.https : this.direct.http;
    }
    bindIdentityCheckToTarget(opts);
    const key = `${protocol}+${proxy}`;
    let agent = this.throughProxy.get(key);
    if (agent === undefined) {
      const { keepAlive, rejectUnauthorized, ca } = this.settings;
      agent = agentThrough(proxy, opts.secureEndpoint, { keepAlive, rejectUnauthorized, ca });
      this.throughProxy.set(key, agent);
    }
    return agent;
  }

  // The direct agents and every proxy agent hold keep-alive sockets that would keep
  // the process alive.
  override destroy(): void {
    super.destroy();
    this.direct.http.destroy();
    this.direct.https.destroy();
    for (const agent of this.throughProxy.values()) {
      void agent.then((opened) => opened.destroy()).catch(() => undefined);
    }
  }
}

/**
 * Through a tunnel, https-proxy-agent (and socks-proxy-agent) start TLS with neither
 * `host` nor, for an IP target, `servername` (an IP may not be sent as SNI), so Node
 * checks the certificate against the tunnel socket's host name or else "localhost":
 * a certificate naming only the IP is refused, one naming "localhost" is accepted.
 * Binding the identity check to the request's own host fixes the check and leaves SNI
 * alone. Host names already reach the check as `servername`, so only IPs need this.
 * agent-base builds `opts` afresh for each request and hands this very object to the
 * agent chosen for it, so the check travels with this request alone.
 */
function bindIdentityCheckToTarget(opts: AgentConnectOpts): void {
  const target = opts.host;
  if (opts.secureEndpoint && target !== undefined && isIP(target) !== 0) {
    opts.checkServerIdentity = (_checkedName: string, cert: PeerCertificate) =>
      checkServerIdentity(target, cert);
  }
}
