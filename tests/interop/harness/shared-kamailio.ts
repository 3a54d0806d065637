/**
 * One Kamailio on UDP, TCP and TLS (with a test PKI) for all the tests of the calling describe():
 * started before them, stopped after them together with whatever they put in its scope (phones,
 * peers; the last one put in stops first).
 */
import { after, before } from 'node:test';
import { join } from 'node:path';
import { makeTestPki, type TestPki } from '../../support/pki.js';
import { startKamailio, type Kamailio } from './kamailio.js';
import { stopAll } from './process.js';
import { testScope, type TestScope } from './scope.js';

export interface SharedKamailio {
  readonly kamailio: Kamailio;
  readonly pki: TestPki;
  readonly scope: TestScope;
}

/** Call inside describe(); read the fields inside its tests (they exist once the before hook ran). */
export function sharedKamailio(): SharedKamailio {
  let bed: SharedKamailio | undefined;
  before(async () => {
    const scope = testScope();
    const pki = makeTestPki(join(scope.dir, 'pki'));
    const kamailio = scope.use(await startKamailio({ dir: scope.dir, tls: { certFile: pki.serverCertFile, keyFile: pki.serverKeyFile } }));
    bed = { kamailio, pki, scope };
  });
  after(async () => {
    await bed?.scope.cleanup();
    await stopAll(); // belt and braces: anything a test started outside the scope
  });
  const get = (): SharedKamailio => {
    if (!bed) throw new Error('sharedKamailio: read before its before() hook ran');
    return bed;
  };
  return {
    get kamailio() { return get().kamailio; },
    get pki() { return get().pki; },
    get scope() { return get().scope; },
  };
}
