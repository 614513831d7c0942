import type { ClientRequest } from "node:http";
import { isIP } from "node:net";
import { checkServerIdentity, type PeerCertificate } from "node:tls";
import { ProxyAgent } from "proxy-agent";

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

type ConnectOptions = Parameters<ProxyAgent["connect"]>[1];

/**
 * A `proxy-agent` ProxyAgent for `NodeHttpHandler`'s `httpAgent` and `httpsAgent`: http,
 * https and socks proxies, or a direct connection when no proxy applies, with the
 * certificate of an HTTPS target given by IP address checked against that address.
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
export function createProxyAgent(settings: ProxyAgentSettings): ProxyAgent {
  const { keepAlive, rejectUnauthorized, ca, proxyUrl } = settings;
  return new TargetCheckingProxyAgent({
    keepAlive,
    rejectUnauthorized,
    ...(ca === undefined ? {} : { ca }),
    ...(proxyUrl === undefined ? {} : { getProxyForUrl: () => proxyUrl }),
  });
}

/**
 * Through a tunnel, https-proxy-agent (and socks-proxy-agent) start TLS with neither
 * `host` nor, for an IP target, `servername` (an IP may not be sent as SNI), so Node
 * checks the certificate against the tunnel socket's host name or else "localhost":
 * a certificate naming only the IP is refused, one naming "localhost" is accepted.
 * Binding the identity check to the request's own host fixes the check and leaves SNI
 * alone. Host names already reach the check as `servername`, so only IPs need this.
 */
class TargetCheckingProxyAgent extends ProxyAgent {
  override connect(req: ClientRequest, opts: ConnectOptions) {
    const target = opts.host;
    if (opts.secureEndpoint && target !== undefined && isIP(target) !== 0) {
      // agent-base builds `opts` afresh for this request and hands this very object to
      // the agent returned here, so the check travels with this request alone.
      opts.checkServerIdentity = (_checkedName: string, cert: PeerCertificate) =>
        checkServerIdentity(target, cert);
    }
    return super.connect(req, opts);
  }

  // ProxyAgent.destroy closes only the proxy agents it cached; its own agents for
  // direct connections would keep their keep-alive sockets open and the process alive.
  override destroy(): void {
    super.destroy();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
