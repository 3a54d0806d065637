// The third-party notices the installers ship (scripts/third-party-notices.mjs): every package
// electron-builder would pack has its licence text in the file `npm run notices` writes, under a
// permissive licence; the C libraries inside the wasm and native packages have their notices; the
// packaging runs the script and puts the file in the app. The list is the installed tree's, as on
// the build machine.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ALLOWED, OWN_BUILDS, REVIEWED, collectNotices, isAllowed, readmeLicence, shippedPackages, spdxOf, type ShippedPackage,
} from '../../../scripts/third-party-notices.mjs';

const rootPath = new URL('../../../', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const RULE = '='.repeat(78);

interface Section { id: string; license: string; blocks: { title: string; text: string }[] }

/** The notices file, parsed back: one section per package, its licence line and its text blocks. */
function parse(text: string): Section[] {
  return text.split(`\n${RULE}\n`).slice(1).map((chunk) => {
    const [id = '', licenceLine = ''] = chunk.split('\n');
    const blocks = chunk.split(/^--- (.+) ---$/m).slice(1);
    const pairs: { title: string; text: string }[] = [];
    for (let i = 0; i < blocks.length; i += 2) pairs.push({ title: blocks[i]!, text: blocks[i + 1]!.trim() });
    return { id, license: licenceLine.replace(/^License: /, ''), blocks: pairs };
  });
}

describe('third-party notices', () => {
  let shipped: ShippedPackage[] = [];
  let sections: Section[] = [];
  let stdout = '';
  const dir = mkdtempSync(join(tmpdir(), 'notices-'));

  before(async () => {
    shipped = await shippedPackages(rootPath);
    // The CLI as `npm run notices` runs it, into a scratch file.
    const out = join(dir, 'THIRD_PARTY_NOTICES.txt');
    const run = spawnSync(process.execPath, [join(rootPath, 'scripts/third-party-notices.mjs'), '--out', out], { encoding: 'utf8', cwd: rootPath });
    assert.equal(run.status, 0, run.stderr);
    stdout = run.stdout;
    sections = parse(readFileSync(out, 'utf8'));
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists exactly the production packages the lockfile installs (no devDependency, none missing)', () => {
    const lock = JSON.parse(readFileSync(join(rootPath, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; dev?: boolean; devOptional?: boolean; link?: boolean }> };
    const expected = new Set<string>();
    for (const [path, e] of Object.entries(lock.packages)) {
      const at = path.lastIndexOf('node_modules/');
      if (at < 0 || e.dev || e.devOptional || e.link) continue;
      if (!existsSync(join(rootPath, path, 'package.json'))) continue; // another platform's optional binary
      expected.add(`${path.slice(at + 'node_modules/'.length)} ${e.version}`);
    }
    assert.ok(expected.size > 50, `${expected.size} production packages in package-lock.json`);
    assert.deepEqual(new Set(shipped.map((p) => `${p.name} ${p.version}`)), expected);
    const ownIds = new Set(OWN_BUILDS.map((b) => `${b.name} ${b.version}`));
    assert.deepEqual(new Set(sections.filter((s) => !ownIds.has(s.id)).map((s) => s.id)), expected, 'one section per shipped package');
    assert.equal(sections.filter((s) => ownIds.has(s.id)).length, OWN_BUILDS.length, 'one section per build of ours');
    for (const dev of ['electron', 'electron-builder', 'typescript', 'vite', 'eslint', 'drachtio-srf']) {
      assert.ok(!sections.some((s) => s.id.startsWith(`${dev} `)), `${dev} is a devDependency`);
    }
    assert.match(stdout, new RegExp(`: ${expected.size} packages, ${OWN_BUILDS.length} builds of ours, \\d+ licences`));
  });

  it('every package has licence text and a licence in the allow-list (or one reviewed for it)', () => {
    for (const s of sections) {
      const name = s.id.slice(0, s.id.lastIndexOf(' '));
      assert.ok(s.blocks.length > 0, `${s.id}: no licence text`);
      for (const b of s.blocks) {
        assert.ok(b.text.length >= 150, `${s.id}: ${b.title}: ${b.text.length} characters`);
        assert.match(b.text, /copyright|licen[cs]e|permission/i, `${s.id}: ${b.title}`);
      }
      const reviewed = REVIEWED.get(name);
      // Our own builds' licences were reviewed by a person (OWN_BUILDS); LLVM's has a WITH exception.
      const own = OWN_BUILDS.some((b) => b.name === name && b.license === s.license);
      assert.ok(own || isAllowed(s.license) || reviewed?.license === s.license, `${s.id}: licence ${s.license}`);
    }
  });

  it('the allow-list is permissive only, and refuses copyleft and unknown expressions', () => {
    for (const id of ALLOWED) assert.doesNotMatch(id, /GPL|SSPL|EUPL|CDDL|EPL|MPL|CC-BY-SA|CC-BY-NC|Commons-Clause/i, id);
    for (const [name, r] of REVIEWED) assert.doesNotMatch(r.license, /GPL|SSPL/i, name);
    assert.equal(isAllowed('MIT'), true);
    assert.equal(isAllowed('(MIT OR Apache-2.0)'), true);
    assert.equal(isAllowed('MIT OR GPL-3.0-only'), true, 'we take the permissive alternative');
    assert.equal(isAllowed('(MIT AND BSD-3-Clause)'), true);
    assert.equal(isAllowed('MIT AND GPL-2.0-only'), false);
    for (const refused of ['GPL-3.0', 'LGPL-2.1-or-later', 'AGPL-3.0-only', 'SSPL-1.0', 'UNLICENSED', 'SEE LICENSE IN LICENSE.txt', 'Apache-2.0 WITH LLVM-exception', '(MIT', 'MIT OR', '', null, 42]) {
      assert.equal(isAllowed(refused), false, String(refused));
    }
    assert.equal(spdxOf({ licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] }), '(MIT OR Apache-2.0)');
    assert.equal(spdxOf({ license: { type: 'ISC' } }), 'ISC');
    assert.equal(spdxOf({}), null);
  });

  it('a package with GPL, or without licence text, is refused', () => {
    const fake = mkdtempSync(join(tmpdir(), 'notices-fake-'));
    try {
      const gpl = join(fake, 'node_modules', 'gpl-thing');
      mkdirSync(gpl, { recursive: true });
      writeFileSync(join(gpl, 'package.json'), JSON.stringify({ name: 'gpl-thing', version: '1.0.0', license: 'GPL-3.0-or-later' }));
      writeFileSync(join(gpl, 'COPYING'), 'GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n');
      const bare = join(fake, 'node_modules', 'bare');
      mkdirSync(bare, { recursive: true });
      writeFileSync(join(bare, 'package.json'), JSON.stringify({ name: 'bare', version: '2.0.0', license: 'BSD-3-Clause' }));
      const [g, b] = collectNotices([{ name: 'gpl-thing', version: '1.0.0', dir: gpl }, { name: 'bare', version: '2.0.0', dir: bare }]);
      assert.deepEqual(g!.problems, ['licence "GPL-3.0-or-later" is not in the allow-list']);
      assert.deepEqual(b!.problems, ['no licence text (no LICENSE/COPYING/NOTICE file, no licence section in its README, not MIT)']);
    } finally {
      rmSync(fake, { recursive: true, force: true });
    }
  });

  it('an MIT package with no licence file: its README\'s licence section, else the MIT text with its author', () => {
    const agent = sections.find((s) => s.id.startsWith('agent-base '));
    assert.ok(agent, 'agent-base ships (electron-updater, @discordjs/node-pre-gyp)');
    assert.match(agent.blocks[0]!.title, /README\.md, its licence section/);
    assert.match(agent.blocks[0]!.text, /^\(The MIT License\)\n\nCopyright \(c\) 2013 Nathan Rajlich <nathan@tootallnate\.net>\n\nPermission is hereby granted/);
    assert.equal(readmeLicence('# x\n\n## License\n\nMIT\n'), null, 'a bare "MIT" is no licence text');
    assert.match(readmeLicence('## License\n\nCopyright (c) A\n\nPermission is hereby granted, free of charge\n\n## Next\nno')!, /^Copyright \(c\) A\n\nPermission is hereby granted, free of charge$/);
    const speex = sections.find((s) => s.id.startsWith('@sapphi-red/speex-preprocess-wasm '))!;
    assert.match(speex.blocks[0]!.title, /MIT licence's text, with the author its package\.json names/);
    assert.match(speex.blocks[0]!.text, /^Copyright \(c\) sapphi-red\n\nPermission is hereby granted/);
  });

  it('the C libraries built into the wasm and native packages have their own notices', () => {
    const block = (pkg: string, title: RegExp) => {
      const s = sections.find((x) => x.id.startsWith(`${pkg} `));
      assert.ok(s, `${pkg} ships`);
      const b = s.blocks.find((x) => title.test(x.title));
      assert.ok(b, `${pkg}: ${title} in ${s.blocks.map((x) => x.title).join(' | ')}`);
      return b.text;
    };
    const redistribution = /Redistributions in binary form must reproduce the above copyright\s+notice/;
    const speexdsp = block('@sapphi-red/speex-preprocess-wasm', /^SpeexDSP .*BSD-3-Clause$/);
    assert.match(speexdsp, /^Copyright 2002-2008 \tXiph\.org Foundation\nCopyright 2002-2008 \tJean-Marc Valin\n/);
    assert.match(speexdsp, redistribution);
    assert.doesNotMatch(speexdsp, /\*\/|license of speex\.wasm/);
    const rnnoise = block('@jitsi/rnnoise-wasm', /^RNNoise .*BSD-3-Clause$/);
    assert.match(rnnoise, /Copyright \(c\) 2007-2017, Jean-Marc Valin/);
    assert.match(rnnoise, redistribution);
    assert.match(block('@jitsi/rnnoise-wasm', /^LICENSE$/), /Apache License\s+Version 2\.0/);
    // Our own WebAssembly build of WebRTC AEC3 (native/aec3-wasm): WebRTC's licence and patent grant, and what is linked in.
    const webrtc = block('WebRTC AEC3 (native/aec3-wasm/aec3.wasm, our WebAssembly build)', /^WEBRTC-LICENSE\.txt$/);
    assert.match(webrtc, /Copyright \(c\) 2011, The WebRTC project authors/);
    assert.match(webrtc, redistribution);
    assert.match(block('WebRTC AEC3 (native/aec3-wasm/aec3.wasm, our WebAssembly build)', /^WEBRTC-PATENTS\.txt$/), /Additional IP Rights Grant \(Patents\)/);
    assert.match(block('WebRTC AEC3 (native/aec3-wasm/aec3.wasm, our WebAssembly build)', /^OOURA-FFT-LICENSE\.txt$/), /Copyright Takuya OOURA/);
    assert.match(block('Abseil (headers compiled into native/aec3-wasm/aec3.wasm)', /^ABSEIL-LICENSE\.txt$/), /Apache License\s+Version 2\.0/);
    assert.match(block('wasi-libc (linked into native/aec3-wasm/aec3.wasm)', /^WASI-LIBC-copyright\.txt$/), /Rich Felker/);
    assert.match(block('LLVM libc++, libc++abi and compiler-rt builtins (linked into native/aec3-wasm/aec3.wasm)', /^LLVM-RUNTIMES-copyright\.txt$/), /LLVM Exceptions to the Apache 2\.0 License/);
    const opus = block('@discordjs/opus', /^libopus .*BSD-3-Clause$/);
    assert.match(opus, /Xiph\.Org/);
    assert.match(opus, redistribution);
    assert.match(block('naudiodon2', /^PortAudio .*MIT$/), /Copyright \(c\) 1999-2002 Ross Bencina and Phil Burk\n\nPermission is hereby granted/);
  });

  it('packaging: dist:* run `npm run notices` before electron-builder, and the file ships beside app.asar, not inside it', async () => {
    const pkg = JSON.parse(readFileSync(join(rootPath, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts.notices, 'node scripts/third-party-notices.mjs');
    for (const target of ['dist:win', 'dist:mac', 'dist:linux']) {
      assert.match(pkg.scripts[target]!, /^npm run build && npm run notices && electron-builder /, target);
    }
    const { getConfig } = require('app-builder-lib/out/util/config/config.js') as { getConfig(dir: string, path: string | null): Promise<{ files: { filter: string[] }[]; extraResources: { from: string; to: string }[] }> };
    const config = await getConfig(rootPath, join(rootPath, 'electron-builder.yml'));
    assert.deepEqual(config.extraResources, [{ from: 'resources/THIRD_PARTY_NOTICES.txt', to: 'THIRD_PARTY_NOTICES.txt' }]);
    assert.ok(config.files.some((f) => f.filter.includes('!resources/THIRD_PARTY_NOTICES.txt')), 'not a second copy in app.asar');
    assert.match(readFileSync(join(rootPath, '.gitignore'), 'utf8'), /^resources\/THIRD_PARTY_NOTICES\.txt$/m, 'generated at packaging, never committed');
  });
});
