import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hardenWebContents, safeExternalUrl, type HardenableContents } from '../../../src-main/app/web-contents.js';

function stubContents() {
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const listeners = new Map<string, (event: { preventDefault(): void }) => void>();
  const contents: HardenableContents = {
    setWindowOpenHandler: (h) => void (openHandler = h),
    on: (event, listener) => void listeners.set(event, listener),
  };
  const opened: string[] = [];
  hardenWebContents(contents, async (url) => void opened.push(url));
  return { open: (url: string) => openHandler!({ url }), listeners, opened };
}

describe('web contents hardening', () => {
  it('denies every new window; only plain https links go to the system browser', () => {
    const { open, opened } = stubContents();
    for (const url of [
      'https://example.com/help', 'http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://nimbus/index.html',
      'smb://server/share', 'ms-settings:privacy', 'https://user:pw@example.com/', 'data:text/html,x', 'sip:1001@pbx', 'https://',
    ]) {
      assert.deepEqual(open(url), { action: 'deny' });
    }
    assert.deepEqual(opened, ['https://example.com/help']);
  });

  it('prevents navigation, redirects, frame navigation and <webview> attachment', () => {
    const { listeners } = stubContents();
    assert.deepEqual([...listeners.keys()].sort(), ['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
    for (const listener of listeners.values()) {
      let prevented = false;
      listener({ preventDefault: () => (prevented = true) });
      assert.equal(prevented, true);
    }
  });

  it('normalises external URLs and refuses long or odd ones', () => {
    assert.equal(safeExternalUrl('https://Example.com/a b'), 'https://example.com/a%20b');
    assert.equal(safeExternalUrl(`https://example.com/${'a'.repeat(3000)}`), undefined);
    assert.equal(safeExternalUrl('not a url'), undefined);
    assert.equal(safeExternalUrl(' https://example.com'), 'https://example.com/');
  });
});
