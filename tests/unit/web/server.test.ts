import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get } from 'node:http';
import WebSocket from 'ws';
import { createPhone, type Phone } from '../../../src-main/core/phone.js';
import { startWebHost, type WebHost } from '../../../src-main/web/server.js';
import { resolveStatic } from '../../../src-main/web/static-files.js';

/** Opens a WebSocket with the given headers; resolves 'open' or the HTTP status it was refused with. */
function connect(url: string, headers: Record<string, string>): Promise<{ ws?: WebSocket; refused?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ refused: res.statusCode ?? 0 }));
    ws.once('error', () => resolve({ refused: -1 }));
  });
}

describe('web host', () => {
  let dir: string;
  let phone: Phone;
  let host: WebHost;
  let origin: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-web-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    phone = await createPhone({ host: 'web', devices: { kind: 'null' }, sip: { bindAddress: '127.0.0.1' }, dataDir: join(dir, 'data') });
    host = await startWebHost(phone, { bind: '127.0.0.1', port: 0, rendererDir: dir });
    origin = `http://127.0.0.1:${host.port}`;
  });
  after(async () => {
    await host.close();
    await phone.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the renderer with the CSP, and nothing outside its folder', async () => {
    const page = await fetch(`${origin}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal(resolveStatic('/srv/r', '/../etc/passwd'), undefined);
    assert.equal(resolveStatic('/srv/r', '/%2e%2e/%2e%2e/etc/passwd'), undefined);
    assert.equal(resolveStatic('/srv/r', '/a%00.js'), undefined);
    assert.equal(resolveStatic('/srv/r', '/assets/x.js'), '/srv/r/assets/x.js');
    assert.equal((await fetch(`${origin}/nope.js`)).status, 404);
  });

  it('refuses pages from another origin, without the token, or addressed by a rebinding host name', async () => {
    const good = `ws://127.0.0.1:${host.port}/ws?token=${host.token}`;
    assert.equal((await connect(good, { Origin: 'http://evil.example' })).refused, 403);
    assert.equal((await connect(good, { Origin: `http://127.0.0.1:${host.port + 1}` })).refused, 403);
    assert.equal((await connect(good, {})).refused, 403);
    assert.equal((await connect(`ws://127.0.0.1:${host.port}/ws?token=wrong`, { Origin: origin })).refused, 403);
    assert.equal((await connect(`ws://127.0.0.1:${host.port}/ws`, { Origin: origin })).refused, 403);
    assert.equal((await connect(good, { Origin: 'http://rebind.example:' + host.port, Host: 'rebind.example:' + host.port })).refused, 421);
    const status = await new Promise<number>((resolve, reject) => {
      get({ host: '127.0.0.1', port: host.port, path: '/', headers: { Host: 'rebind.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    assert.equal(status, 421);
  });

  it('carries the channel map: validated requests get Result replies, bad frames close the socket', async () => {
    const { ws } = await connect(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { Origin: origin });
    assert.ok(ws);
    const replies = new Map<number, unknown>();
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { kind: string; id: number; reply: unknown };
      if (frame.kind === 'reply') replies.set(frame.id, frame.reply);
    });
    ws.send(JSON.stringify({ id: 1, channel: 'settings.set', request: { theme: 'dark' } }));
    ws.send(JSON.stringify({ id: 2, channel: 'settings.set', request: { theme: 'purple' } }));
    ws.send(JSON.stringify({ id: 3, channel: 'shell.exec', request: {} }));
    ws.send(JSON.stringify({ id: 4, channel: 'calls.command', request: { type: 'dial', uri: 'javascript:alert(1)' } }));
    ws.send(JSON.stringify({ id: 5, channel: 'accounts.save', request: { aor: 'sip:1001@127.0.0.1', password: 'secret', enabled: false } }));
    await new Promise((r) => setTimeout(r, 300));
    const set = replies.get(1) as { ok: boolean; value: { theme: string; language: string } };
    assert.equal(set.ok, true);
    assert.equal(set.value.theme, 'dark');
    assert.equal(set.value.language, 'system');
    assert.match((replies.get(2) as { error: string }).error, /^settings\.set: theme:/);
    assert.deepEqual(replies.get(3), { ok: false, error: 'unknown channel' });
    assert.match((replies.get(4) as { error: string }).error, /uri/);
    const saved = replies.get(5) as { ok: boolean; value: Record<string, unknown> };
    assert.equal(saved.ok, true);
    assert.equal(saved.value.hasPassword, true);
    assert.equal('password' in saved.value, false, 'passwords never leave main');
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send('{not json');
    assert.equal(await closed, 1007);
  });
});
