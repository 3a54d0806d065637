import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linkFromArgv, parseLink } from '../../../src-main/app/links.js';

describe('links: tel:, sip:, sips:, callto: → what the dialpad shows (never a dial)', () => {
  const accepted: [string, string][] = [
    // RFC 3966 §3 global numbers, visual separators (§5.1.1) dropped, parameters not dialled.
    ['tel:+33-1-23-45-67-89', '+33123456789'],
    ['tel:+1(201)555.0123', '+12015550123'],
    ['tel:+1-201-555-0123;ext=1234', '+12015550123'],
    ['TEL:+44%2020%207946%200000', '+442079460000'],
    ['tel:7042;phone-context=example.com', '7042'],
    ['tel:*21#', '*21#'],
    // RFC 3261 §19.1.1: user@host[:port] kept; password, parameters and headers dropped.
    ['sip:alice@example.com', 'sip:alice@example.com'],
    ['sips:bob@pbx.example.com:5061', 'sips:bob@pbx.example.com:5061'],
    ['sip:+33123456789@gw.example.com;user=phone', 'sip:+33123456789@gw.example.com'],
    ['sip:alice:secret@example.com', 'sip:alice@example.com'],
    ['sip:1001@192.0.2.10:5060;transport=tcp?Subject=hello', 'sip:1001@192.0.2.10:5060'],
    ['sip:carol@[2001:db8::1]', 'sip:carol@[2001:db8::1]'],
    ['sip:alice@example.com?Replaces=abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2', 'sip:alice@example.com'],
    // callto: (no RFC): a number, with or without //, or user@host.
    ['callto:+33 1 23 45 67 89', '+33123456789'],
    ['callto://+33123456789/', '+33123456789'],
    ['callto:alice@example.com', 'sip:alice@example.com'],
  ];
  for (const [link, target] of accepted) {
    it(`${link} → ${target}`, () => assert.equal(parseLink(link)?.target, target));
  }

  const refused: [string, string][] = [
    ['http://example.com', 'not a telephony scheme'],
    ['javascript:alert(1)', 'not a telephony scheme'],
    ['tel:', 'empty'],
    ['tel:hello', 'not a number'],
    ['tel:+', 'a plus alone'],
    [`tel:+${'1'.repeat(33)}`, 'too many digits'],
    ['tel:%E0%A4%A', 'broken percent-encoding'],
    ['sip:example.com', 'no user: a link must name someone'],
    ['sip:alice@', 'no host'],
    ['sip:al ice@example.com', 'whitespace'],
    ['sip:alice@exa_mple.com', 'not a host name'],
    ['sip:alice@example.com:99999', 'port out of range'],
    ['sip:<alice>@example.com', 'characters not allowed in a user part'],
    ['callto:echo123', 'a Skype name'],
    ['tel:+331\n23', 'a line break'],
    [`sip:${'a'.repeat(600)}@example.com`, 'too long'],
  ];
  for (const [link, why] of refused) {
    it(`refuses ${JSON.stringify(link.slice(0, 40))} (${why})`, () => assert.equal(parseLink(link), undefined));
  }
  it('refuses what is not a string', () => assert.equal(parseLink(undefined), undefined));
});

describe('links in a process argv (Windows/Linux start and second-instance hand-off)', () => {
  it('finds the link among Electron and Chromium arguments', () => {
    const argv = ['C:\\Program Files\\Nimbus Phone\\Nimbus Phone.exe', '--allow-file-access-from-files', '--original-process-start-time=1', 'tel:+33123456789'];
    assert.deepEqual(linkFromArgv(argv), { target: '+33123456789', scheme: 'tel' });
  });
  it('skips a refused link and takes the next good one', () => {
    assert.equal(linkFromArgv(['app', 'sip:nobody', 'sips:alice@example.com'])?.target, 'sips:alice@example.com');
  });
  it('nothing when no argument is a link (a plain second launch)', () => {
    assert.equal(linkFromArgv(['/usr/bin/nimbus-phone', '--hidden']), undefined);
  });
});
