/**
 * An account's own servers: its registrar (by default the AOR's domain, as RFC 3261 §10.2.6 has a
 * UA find it) and its outbound proxy. They are what the account trusts — incoming calls from their
 * addresses ring, their challenges get our credentials — and where its out-of-dialog requests go
 * first (desk phones send everything to their server; an explicit outbound proxy is a preloaded
 * Route, §8.1.2). Addresses are resolved at start and again after every successful registration,
 * so a DNS change is followed within one refresh.
 */
import { parseUri } from '../../message/index.js';
import type { SipUri } from '../../message/index.js';
import type { Destination, TransportProtocol } from '../../transport/types.js';
import type { AccountConfig } from './account.js';
import { bareHost, type AccountServers } from './bound-credentials.js';

export class AccountServerSet implements AccountServers {
  /** Where the account registers (explicit registrar, else the AOR's domain). */
  readonly registrar: SipUri;
  readonly outboundProxy: SipUri | undefined;
  readonly hosts: ReadonlySet<string>;
  /** Resolved addresses; the same Set object for the account's lifetime (updated in place). */
  readonly addresses = new Set<string>();
  private resolving: Promise<void> | undefined;

  constructor(
    config: AccountConfig,
    aor: SipUri,
    private readonly protocol: TransportProtocol,
    private readonly resolve: (uri: SipUri, protocol: TransportProtocol) => Promise<Destination[]>,
    private readonly notice: (message: string) => void,
  ) {
    this.registrar = config.registrar
      ? parseUri(config.registrar)
      : { scheme: aor.scheme, host: aor.host, ...(aor.port ? { port: aor.port } : {}), params: new Map(), headers: new Map() };
    this.outboundProxy = config.outboundProxy ? parseUri(config.outboundProxy) : undefined;
    this.hosts = new Set([this.registrar.host, ...(this.outboundProxy ? [this.outboundProxy.host] : [])].map(bareHost));
  }

  /** The first hop of an out-of-dialog request: the outbound proxy, else the registrar. */
  get firstHop(): SipUri {
    return this.outboundProxy ?? this.registrar;
  }

  /** Resolve (again) and replace the address set; a failed lookup keeps what we had. */
  refresh(): Promise<void> {
    this.resolving ??= this.lookup().finally(() => (this.resolving = undefined));
    return this.resolving;
  }

  private async lookup(): Promise<void> {
    const found = new Set<string>();
    for (const uri of [this.registrar, this.outboundProxy]) {
      if (!uri) continue;
      try {
        for (const t of await this.resolve(uri, this.protocol)) found.add(t.address);
      } catch {
        this.notice(`cannot resolve ${uri.host} for the incoming-call policy`);
        return;
      }
    }
    this.addresses.clear();
    for (const a of found) this.addresses.add(a);
  }
}
