/**
 * Issue 9, audio settings through the real UI: our web host on real sound devices (PortAudio) of a
 * headless PulseAudio with a second sound card, "headset" (a null sink and the ALSA device naming
 * it, as a USB headset brings both). The speaker is chosen by name in Settings › Audio, kept across
 * a reload and used by the next call (baresip's tone comes out of the headset, not the default
 * speaker); the test tone plays there too; the microphone meter follows the virtual microphone.
 * Unplugging the headset (its sink unloaded, its ALSA device gone) shows it "not connected" in
 * Settings and the fallback notice when a call starts (the call is heard on the default speaker);
 * plugging it back makes the next call use it again. The ring test rings on the ringing device only,
 * or on it and the speaker with "Ring on the speaker as well". Issue 17: with a real echo path
 * (PulseAudio's loopback feeds the speaker back into the microphone) and a peer that talks, Echo
 * cancellation turned on in Settings during a call makes that call's card show "Removing echo",
 * and turned off again takes it away, in the same call.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { makeToneWav, spawnManaged, startBaresip, testScope, type ManagedProcess, type Pulse } from '../interop/harness/index.js';
import { peerTones } from '../interop/support/call-control.js';
import { loadEchoPath, speechWav } from '../interop/support/echo-path.js';
import { rmsDbfs } from '../support/audio-analysis.js';
import { readWav } from '../support/wav.js';
import { presence } from './support/audio.js';
import { startSession, type Session } from './support/session.js';
import { button, dial, nav, waitForStatus, waitNoCalls } from './support/ui.js';

const alsaDefault = 'pcm.!default { type pulse }\nctl.!default { type pulse }\n';
const alsaHeadset = 'pcm.headset { type pulse; device "headset"; hint { show on; description "USB headset" } }\n';

/** What the talking peer says (looped), for the echo canceller. */
const TALK = 'The quarterly report is due on Friday, please send me your figures before noon. ' +
  'Could you call the supplier back and ask about the delivery dates for next month? ' +
  'We moved the meeting to the small room on the third floor because of the visitors.';

let s: Session;
let pulse: Pulse;
let headsetModule = '';
let recordings = 0;

/** The headset is plugged: its sink exists and ALSA names it. */
function plug(p: Pulse): void {
  headsetModule = execFileSync('pactl', ['load-module', 'module-null-sink', 'sink_name=headset', 'rate=48000', 'channels=1',
    'format=s16le', 'sink_properties=device.description=Headset'], { env: p.env }).toString().trim();
  writeFileSync(join(p.env.HOME!, '.asoundrc'), alsaDefault + alsaHeadset);
}

function unplug(p: Pulse): void {
  execFileSync('pactl', ['unload-module', headsetModule], { env: p.env });
  writeFileSync(join(p.env.HOME!, '.asoundrc'), alsaDefault);
}

/** Records what a sink plays (its monitor) until stopped. */
function record(sink: 'headset' | 'vspk'): { file: string; proc: ManagedProcess } {
  const file = join(s.scope.dir, `${sink}-${++recordings}.wav`);
  const proc = spawnManaged('parecord', ['-d', `${sink}.monitor`, '--file-format=wav', '--rate=48000', '--channels=1', '--format=s16le', file],
    { name: `parecord-${sink}-${recordings}`, dir: s.scope.dir, env: pulse.env });
  return { file, proc };
}

/** Seconds of a recording louder than -40 dBFS (100 ms windows). */
function secondsLoud(file: string): number {
  const pcm = readWav(file);
  const n = pcm.rate / 10;
  let loud = 0;
  for (let i = 0; i + n <= pcm.samples.length; i += n) if (rmsDbfs(pcm.samples.subarray(i, i + n)) > -40) loud++;
  return loud / 10;
}

/** Seconds of `freq` heard in a recording (100 ms windows). */
const secondsOf = (file: string, freq: number): number => presence(readWav(file), freq).filter(Boolean).length / 10;

before(async () => {
  s = await startSession({ users: ['1010'], pulse: { prepare: plug } });
  pulse = s.pulse!;
});
after(async () => { await s?.stop(); });
afterEach(async () => { await s.hangUpPeers(); });

/** Settings › Audio's Speaker picker. */
const speaker = (page: Page) => page.getByRole('combobox', { name: 'Speaker', exact: true });

/**
 * Clicks Refresh until the Speaker picker offers `option`. PortAudio reads the device list when
 * the media engine starts, and the engine stops ~6 s after the last call (device linger 3.5 s +
 * idle 2 s, and a listing keeps it 2 s more): a list read before that is the old one.
 */
async function refreshUntil(page: Page, option: string | RegExp): Promise<void> {
  const wanted = speaker(page).locator('option', { hasText: option });
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    await button(page, 'Refresh the devices').click();
    if (await wanted.count() > 0) return;
    // Longer than the engine's 2 s idle stop, or each listing would keep the old engine alive.
    await page.waitForTimeout(3000);
  }
  const shown = await speaker(page).locator('option').allTextContents();
  assert.fail(`the Speaker picker never offered ${String(option)}: ${JSON.stringify(shown)}`);
}

/** Records every notice banner the page shows (they go away by themselves). */
async function watchNotices(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    window.__notices = [];
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('.notice')) {
        const text = (el.textContent || '').trim();
        if (!window.__notices.includes(text)) window.__notices.push(text);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
}

/** The notices seen since the last call. */
const noticesSeen = (page: Page): Promise<string[]> => page.evaluate<string[]>('window.__notices.splice(0)');

/** A 4-second call to baresip 1010 (it answers and plays its tone); which sinks played it. */
async function callAndListen(page: Page): Promise<{ headset: number; vspk: number }> {
  const onHeadset = record('headset');
  const onDefault = record('vspk');
  try {
    await nav(page, 'Dialpad').click();
    await dial(page, '1010');
    await waitForStatus(page, '1010', 'Connected', 20_000);
    await page.waitForTimeout(4000);
    await button(page, 'Hang up').click();
    await waitNoCalls(page, 30_000);
  } finally {
    await onHeadset.proc.stop();
    await onDefault.proc.stop();
  }
  return { headset: secondsOf(onHeadset.file, peerTones['1010']), vspk: secondsOf(onDefault.file, peerTones['1010']) };
}

describe('audio devices by name through the real UI (headless PulseAudio)', () => {
  it('the speaker chosen by name is kept and used by the next call; checks play there; unplugged: not connected, fallback notice, default speaker; replugged: used again', async (t) => {
    let { page } = await s.open();
    await nav(page, 'Settings').click();
    await speaker(page).locator('option', { hasText: /^headset$/ }).waitFor({ state: 'attached', timeout: 20_000 });
    await speaker(page).selectOption('headset');
    // Stored: a fresh app shows the choice.
    await page.close();
    ({ page } = await s.open());
    await nav(page, 'Settings').click();
    await speaker(page).locator('option', { hasText: /^headset$/ }).waitFor({ state: 'attached', timeout: 20_000 });
    assert.equal(await speaker(page).inputValue(), 'headset', 'the choice survives a reload');
    await watchNotices(page);

    // Test tone: on the headset (the US ringback tone, 440 + 480 Hz).
    {
      const rec = record('headset');
      await button(page, 'Play test tone').click();
      // Pressed while it plays, released when it ends by itself.
      await page.getByRole('button', { name: 'Play test tone', pressed: true }).waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: 'Play test tone', pressed: false }).waitFor({ timeout: 20_000 });
      await rec.proc.stop();
      const heard = secondsOf(rec.file, 440);
      t.diagnostic(`test tone: ${heard} s of 440 Hz on the headset`);
      assert.ok(heard >= 1, `the test tone was heard on the headset: ${heard} s`);
    }
    // Microphone level: a tone played into the virtual microphone moves the meter.
    {
      const feed = pulse.playToMic(makeToneWav(join(s.scope.dir, 'mic-880.wav'), { freqHz: 880, seconds: 20 }));
      try {
        await button(page, 'Test microphone').click();
        const meter = page.getByRole('meter', { name: 'Microphone level' });
        await meter.waitFor({ timeout: 20_000 });
        let level = 0;
        const deadline = Date.now() + 20_000;
        while (Date.now() < deadline && level < 0.5) {
          level = Number(await meter.getAttribute('aria-valuenow') ?? await meter.evaluate((m) => (m as unknown as { value: number }).value));
          await page.waitForTimeout(100);
        }
        t.diagnostic(`microphone meter: ${level.toFixed(2)} with a -6 dBFS tone`);
        assert.ok(level >= 0.5, `the meter shows the tone: ${level}`);
        await button(page, 'Test microphone').click();
        await meter.waitFor({ state: 'detached', timeout: 20_000 });
      } finally {
        await feed.stop();
      }
    }

    const plugged = await callAndListen(page);
    const pluggedNotices = await noticesSeen(page);
    t.diagnostic(`plugged: ${plugged.headset} s of baresip's tone on the headset, ${plugged.vspk} s on the default speaker; notices ${JSON.stringify(pluggedNotices)}`);
    assert.ok(plugged.headset >= 2, `the call is heard on the headset: ${JSON.stringify(plugged)}; notices ${JSON.stringify(pluggedNotices)}`);
    assert.equal(plugged.vspk, 0, 'nothing of the call on the default speaker');

    // Unplugged.
    unplug(pulse);
    await nav(page, 'Settings').click();
    await refreshUntil(page, 'headset (not connected)');
    await page.getByText('This device is not connected: the system’s device is used until it comes back.').waitFor();
    assert.equal(await speaker(page).inputValue(), 'headset', 'the choice is kept while the device is away');
    const notice = page.getByText(/audio device fallback: headset/);
    const away = callAndListen(page);
    await notice.first().waitFor({ timeout: 30_000 });
    const unpluggedHeard = await away;
    t.diagnostic(`unplugged: ${unpluggedHeard.vspk} s on the default speaker`);
    assert.ok(unpluggedHeard.vspk >= 2, `the call falls back to the default speaker: ${JSON.stringify(unpluggedHeard)}`);

    // Plugged back: listed again, and the next call uses it.
    plug(pulse);
    await nav(page, 'Settings').click();
    await refreshUntil(page, /^headset$/);
    const back = await callAndListen(page);
    t.diagnostic(`replugged: ${back.headset} s on the headset, ${back.vspk} s on the default speaker`);
    assert.ok(back.headset >= 2, `the call is heard on the headset again: ${JSON.stringify(back)}`);
    assert.equal(back.vspk, 0, 'nothing of the call on the default speaker');
  });

  it('Test ringing rings on the ringing device chosen by name (the headset), not on the speaker (the system default)', async (t) => {
    const { page } = await s.open();
    await nav(page, 'Settings').click();
    await refreshUntil(page, /^headset$/);
    await watchNotices(page);
    await speaker(page).selectOption('');
    await page.getByRole('combobox', { name: 'Ringing device', exact: true }).selectOption('headset');
    // Device choices apply when the devices next open; the last call's stay open 3.5 s after it
    // (src-main/core/device-gate.ts): the check must not reuse them.
    await page.waitForTimeout(5000);
    const onHeadset = record('headset');
    const onDefault = record('vspk');
    try {
      await button(page, 'Test ringing').click();
      await page.getByRole('button', { name: 'Test ringing', pressed: true }).waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: 'Test ringing', pressed: false }).waitFor({ timeout: 20_000 });
    } finally {
      await onHeadset.proc.stop();
      await onDefault.proc.stop();
    }
    // The ringtone (resources/ringtone.wav) sounds 0.8 s in every 3 s: a 6 s check holds one or two bursts.
    const ring = { headset: secondsLoud(onHeadset.file), vspk: secondsLoud(onDefault.file) };
    const notices = await noticesSeen(page);
    t.diagnostic(`ring test: ${ring.headset} s of sound on the headset, ${ring.vspk} s on the default speaker; notices ${JSON.stringify(notices)}`);
    assert.ok(ring.headset >= 0.8, `the ring test is heard on the ringing device: ${JSON.stringify(ring)}; notices ${JSON.stringify(notices)}`);
    assert.equal(ring.vspk, 0, 'nothing on the speaker');
  });

  it('Ring on the speaker as well: the ring test sounds on the ringing device (the headset) and on the speaker (the system default)', async (t) => {
    const { page } = await s.open();
    await nav(page, 'Settings').click();
    await refreshUntil(page, /^headset$/);
    await speaker(page).selectOption('');
    await page.getByRole('combobox', { name: 'Ringing device', exact: true }).selectOption('headset');
    const both = page.getByRole('checkbox', { name: 'Ring on the speaker as well' });
    await both.check();
    await page.waitForTimeout(5000); // the devices of an earlier check close 3.5 s after it (see above)
    const onHeadset = record('headset');
    const onDefault = record('vspk');
    try {
      await button(page, 'Test ringing').click();
      await page.getByRole('button', { name: 'Test ringing', pressed: true }).waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: 'Test ringing', pressed: false }).waitFor({ timeout: 20_000 });
    } finally {
      await onHeadset.proc.stop();
      await onDefault.proc.stop();
    }
    const ring = { headset: secondsLoud(onHeadset.file), vspk: secondsLoud(onDefault.file) };
    t.diagnostic(`ring on both: ${ring.headset} s of sound on the headset, ${ring.vspk} s on the default speaker`);
    assert.ok(ring.headset >= 0.8, `the ring test is heard on the ringing device: ${JSON.stringify(ring)}`);
    assert.ok(ring.vspk >= 0.8, `and on the speaker: ${JSON.stringify(ring)}`);
    await both.uncheck();
  });

  it('Echo cancellation turned on during a call removes the echo in that call ("Removing echo" on its card); turned off, the indicator goes', async (t) => {
    // A peer that talks (an echo canceller needs speech, not a steady tone, to converge), for longer than the call.
    const scope = testScope(t);
    const sentence = speechWav(join(scope.dir, 'talk.wav'), 'en-us', TALK, 20);
    const talk = join(scope.dir, 'talk-long.wav');
    execFileSync('sox', [sentence, talk, 'repeat', '9'], { stdio: 'pipe' }); // about 2 minutes
    const { kamailio } = s.bed;
    scope.use(await startBaresip({
      dir: scope.dir, user: '1009', password: 'pw1009', autoAnswer: true, codecs: 'opus/48000/1',
      registrar: { host: kamailio.host, port: kamailio.udpPort, transport: 'udp' }, audioFile: talk,
    }));
    const { page } = await s.open();
    await nav(page, 'Settings').click();
    await speaker(page).selectOption(''); // the system's speaker, which the echo path feeds back
    const aec = page.getByRole('checkbox', { name: 'Echo cancellation', exact: true });
    await aec.uncheck();
    // The room: what the phone plays comes back into its microphone 120 ms later, 6 dB down.
    const echoPath = await loadEchoPath(pulse, 120, -6);
    try {
      await nav(page, 'Dialpad').click();
      await dial(page, '1009');
      const call = await waitForStatus(page, '1009', 'Connected', 20_000);
      const removing = call.getByText('Removing echo', { exact: true });
      // A statistics report reached the card (its quality line): AEC off, so no indicator although
      // the peer's speech comes back into the microphone.
      await call.getByText(/^MOS \d/).waitFor({ timeout: 30_000 });
      assert.equal(await removing.count(), 0, '"Removing echo" with echo cancellation off');

      // The user hears echo and turns echo cancellation on in Settings, mid-call.
      await nav(page, 'Settings').click();
      const turnedOn = Date.now();
      await aec.check();
      await removing.waitFor({ timeout: 45_000 });
      t.diagnostic(`"Removing echo" shown ${((Date.now() - turnedOn) / 1000).toFixed(1)} s after turning echo cancellation on (statistics every 5 s)`);

      // Off again: the indicator goes, and stays away over the next two reports.
      const turnedOff = Date.now();
      await aec.uncheck();
      await removing.waitFor({ state: 'detached', timeout: 20_000 });
      t.diagnostic(`"Removing echo" gone ${((Date.now() - turnedOff) / 1000).toFixed(1)} s after turning echo cancellation off`);
      await page.waitForTimeout(11_000);
      assert.equal(await removing.count(), 0, '"Removing echo" came back with echo cancellation off');
      await waitForStatus(page, '1009', 'Connected');
      await button(page, 'Hang up').click();
      await waitNoCalls(page, 30_000);
    } finally {
      execFileSync('pactl', ['unload-module', String(echoPath)], { env: pulse.env });
    }
  });
});
