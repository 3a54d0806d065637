import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentSecurityPolicy, createAppProtocolHandler, mimeTypeOf, resolveAppPath, schemePrivileges } from '../../../src-main/app/protocol.js';

let base: string;
let root: string;

before(() => {
  base = mkdtempSync(join(tmpdir(), 'nimbus-protocol-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Nimbus</title>');
  writeFileSync(join(root, 'assets', 'app-1a2b.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'app-1a2b.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(join(root, 'assets', 'inter.woff2'), 'font');
  writeFileSync(join(root, 'assets', 'name with space.png'), 'png');
  writeFileSync(join(base, 'secret.txt'), 'outside the renderer folder');
  mkdirSync(join(base, 'renderer-evil'));
  writeFileSync(join(base, 'renderer-evil', 'x.js'), 'sibling folder with a shared prefix');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
  symlinkSync(base, join(root, 'up'));
});
after(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => createAppProtocolHandler(root)(new Request(url, { method }));

describe('app:// protocol handler', () => {
  const served: Array<[string, string, string]> = [
    ['app://nimbus/', 'text/html; charset=utf-8', '<!doctype html><title>Nimbus</title>'],
    ['app://nimbus/index.html', 'text/html; charset=utf-8', '<!doctype html><title>Nimbus</title>'],
    ['app://nimbus/index.html#/incoming', 'text/html; charset=utf-8', '<!doctype html><title>Nimbus</title>'],
    ['app://nimbus/index.html?lang=fr', 'text/html; charset=utf-8', '<!doctype html><title>Nimbus</title>'],
    ['app://nimbus/assets/app-1a2b.js', 'text/javascript; charset=utf-8', 'console.log(1)'],
    ['app://nimbus/assets/app-1a2b.css', 'text/css; charset=utf-8', 'body{}'],
    ['app://nimbus/assets/logo.svg', 'image/svg+xml', '<svg/>'],
    ['app://nimbus/assets/inter.woff2', 'font/woff2', 'font'],
    ['app://nimbus/assets/name%20with%20space.png', 'image/png', 'png'],
  ];
  for (const [url, type, body] of served) {
    it(`serves ${url} as ${type} with the CSP`, async () => {
      const res = await get(url);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), type);
      assert.equal(res.headers.get('content-security-policy'), contentSecurityPolicy);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(await res.text(), body);
    });
  }

  const refused = [
    'app://nimbus/../secret.txt',
    'app://nimbus/%2e%2e/secret.txt',
    'app://nimbus/assets/..%2f..%2fsecret.txt',
    'app://nimbus/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://nimbus/..%5csecret.txt',
    'app://nimbus/assets%5c..%5c..%5csecret.txt',
    'app://nimbus/%2fetc%2fpasswd',
    'app://nimbus/index.html%00.js',
    'app://nimbus/C:%5cWindows%5cwin.ini',
    'app://nimbus/../renderer-evil/x.js',
    'app://nimbus/assets/link.txt',
    'app://nimbus/up/secret.txt',
    'app://nimbus/assets',
    'app://nimbus/missing.js',
    'app://nimbus/%E0%A4%A',
    'app://nimbus.evil/index.html',
    'app://evil/index.html',
    'app://nimbus:99/index.html',
    'https://nimbus/index.html',
  ];
  for (const url of refused) {
    it(`refuses ${url} with a 404 that still carries the CSP`, async () => {
      const res = await get(url);
      assert.equal(res.status, 404);
      assert.equal(res.headers.get('content-security-policy'), contentSecurityPolicy);
      assert.doesNotMatch(await res.text(), /outside|sibling|root:/);
    });
  }

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('app://nimbus/index.html', 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    const post = await get('app://nimbus/index.html', 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('content-security-policy'), contentSecurityPolicy);
  });

  it('resolves paths only inside the root', () => {
    assert.equal(resolveAppPath(root, 'app://nimbus/'), join(root, 'index.html'));
    assert.equal(resolveAppPath(root, 'app://nimbus/assets/app-1a2b.js'), join(root, 'assets', 'app-1a2b.js'));
    assert.equal(resolveAppPath(root, 'app://nimbus/a/%2e%2e/%2e%2e/b'), join(root, 'b'), 'the URL parser folds dot segments first');
    assert.equal(resolveAppPath(root, 'app://nimbus/a%2f..%2f..%2fb'), undefined);
    assert.equal(resolveAppPath(root, 'not a url'), undefined);
    // (a Request refuses such URLs outright; the resolver refuses them too)
    assert.equal(resolveAppPath(root, 'app://user@nimbus/index.html'), undefined);
    assert.equal(resolveAppPath(root, 'app://nimbus:pw@nimbus/index.html'), undefined);
  });

  it('types unknown extensions as bytes, never as something a browser would run', () => {
    assert.equal(mimeTypeOf('x.exe'), 'application/octet-stream');
    assert.equal(mimeTypeOf('X.HTML'), 'text/html; charset=utf-8');
    assert.equal(mimeTypeOf('noext'), 'application/octet-stream');
  });

  it('registers a standard, secure scheme that does not bypass CSP', () => {
    assert.equal(schemePrivileges.scheme, 'app');
    assert.equal(schemePrivileges.privileges.standard, true);
    assert.equal(schemePrivileges.privileges.secure, true);
    assert.equal(schemePrivileges.privileges.bypassCSP, false);
    assert.equal(schemePrivileges.privileges.allowServiceWorkers, false);
  });

  it('states the CSP the checklist asks for', () => {
    assert.equal(contentSecurityPolicy, "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  });
});
