// `npm run notices` (and `npm run dist:*` before electron-builder): write (or `--out FILE`)
// resources/THIRD_PARTY_NOTICES.txt, the licence notices of every package the installers ship.
// The list is electron-builder's own (its node-module collector: production dependencies as it
// copies them into the app, for this machine's platform), so the notices match what is packed.
// Each package gives its SPDX licence (package.json) and its licence files (LICENSE, LICENCE,
// COPYING, NOTICE, any case or extension); C libraries built into a package's binaries whose
// notice the package does not ship as a file are in EMBEDDED below. Exits 1, writing nothing, when
// a package has no licence text or a licence outside ALLOWED (docs/decisions.md, "Third-party
// notices").
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
export const NOTICES_PATH = 'resources/THIRD_PARTY_NOTICES.txt';

/** Permissive licences (SPDX ids) the app may ship. No GPL, LGPL, AGPL, SSPL: unknown ones are refused too. */
export const ALLOWED = new Set([
  'MIT', 'ISC', 'BSD-2-Clause', 'BSD-3-Clause', 'Apache-2.0', '0BSD', 'BlueOak-1.0.0', 'Zlib',
  'CC0-1.0', 'Unlicense', 'Python-2.0', 'OFL-1.1',
]);

/** RNNoise's COPYING (xiph/rnnoise), BSD-3-Clause: @jitsi/rnnoise-wasm ships only its own Apache-2.0 LICENSE. */
const RNNOISE_COPYING = `Copyright (c) 2020, Joe Neeman
Copyright (c) 2017, Mozilla
Copyright (c) 2007-2017, Jean-Marc Valin
Copyright (c) 2005-2017, Xiph.Org Foundation
Copyright (c) 2003-2004, Mark Borgerding

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions
are met:

- Redistributions of source code must retain the above copyright
notice, this list of conditions and the following disclaimer.

- Redistributions in binary form must reproduce the above copyright
notice, this list of conditions and the following disclaimer in the
documentation and/or other materials provided with the distribution.

- Neither the name of the Xiph.Org Foundation nor the names of its
contributors may be used to endorse or promote products derived from
this software without specific prior written permission.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS
\`\`AS IS'' AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT
LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR
A PARTICULAR PURPOSE ARE DISCLAIMED.  IN NO EVENT SHALL THE FOUNDATION
OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL,
SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT
LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE,
DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY
THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT
(INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
`;

/**
 * C libraries compiled into a package's wasm or native binaries, with the notice the package
 * carries outside a licence file (read from the file between two markers) or not at all (text).
 * A marker no longer found fails the build: the package changed and this entry needs a look.
 */
export const EMBEDDED = [
  { package: '@sapphi-red/speex-preprocess-wasm', component: 'SpeexDSP (dist/speex.wasm)', license: 'BSD-3-Clause',
    file: 'dist/index.js', start: 'license of speex.wasm', end: '*/' },
  { package: '@jitsi/rnnoise-wasm', component: 'RNNoise (dist/rnnoise.wasm, dist/rnnoise-sync.js)', license: 'BSD-3-Clause',
    text: RNNOISE_COPYING },
  { package: '@discordjs/opus', component: 'libopus (deps/opus, also built into nimbus-opus)', license: 'BSD-3-Clause',
    file: 'deps/opus/COPYING' },
  { package: 'naudiodon2', component: 'PortAudio (portaudio/bin)', license: 'MIT',
    file: 'portaudio/include/portaudio.h', start: 'PortAudio Portable Real-Time Audio Library', end: '*/' },
];

/**
 * What we compile ourselves and ship outside node_modules, with the licence texts committed beside
 * it (their build script copies them from the sources). A person reviewed each licence: they are
 * not SPDX-checked like packages (LLVM's runtime exception and Ooura's own permissive notice have
 * no plain SPDX id in ALLOWED).
 */
export const OWN_BUILDS = [
  { name: 'WebRTC AEC3 (native/aec3-wasm/aec3.wasm, our WebAssembly build)', version: 'tg_owt 0~git20230615.a45d8b8',
    license: 'BSD-3-Clause', homepage: 'https://webrtc.org/',
    note: 'Built by Nimbus Phone from Debian\'s libtgowt source (native/aec3-wasm/README.md). Includes Takuya Ooura\'s FFT (common_audio/third_party/ooura), under the notice below.',
    files: ['WEBRTC-LICENSE.txt', 'WEBRTC-PATENTS.txt', 'OOURA-FFT-LICENSE.txt'] },
  { name: 'Abseil (headers compiled into native/aec3-wasm/aec3.wasm)', version: '20240722.0', license: 'Apache-2.0',
    homepage: 'https://abseil.io/', files: ['ABSEIL-LICENSE.txt'] },
  { name: 'wasi-libc (linked into native/aec3-wasm/aec3.wasm)', version: '0.0~git20220510.9886d3d',
    license: 'MIT AND BSD-2-Clause AND ISC AND CC0-1.0 AND Apache-2.0', homepage: 'https://github.com/WebAssembly/wasi-libc',
    note: 'The licence of each part, as Debian\'s package lists them (musl: MIT; cloudlibc: BSD-2-Clause).',
    files: ['WASI-LIBC-copyright.txt'] },
  { name: 'LLVM libc++, libc++abi and compiler-rt builtins (linked into native/aec3-wasm/aec3.wasm)', version: '14',
    license: 'Apache-2.0 WITH LLVM-exception', homepage: 'https://llvm.org/', files: ['LLVM-RUNTIMES-copyright.txt'] },
];

/** The notices of OWN_BUILDS, in collectNotices' shape; a missing licence file is a problem that stops the build. */
export function ownBuildNotices(projectDir = root, builds = OWN_BUILDS) {
  return builds.map((b) => {
    const problems = [];
    const texts = [];
    for (const f of b.files) {
      const at = join(projectDir, 'native/aec3-wasm/licenses', f);
      if (existsSync(at)) texts.push({ file: f, text: readFileSync(at, 'utf8').trim() });
      else problems.push(`licence file native/aec3-wasm/licenses/${f} is missing`);
    }
    return { name: b.name, version: b.version, license: b.license, homepage: b.homepage, note: b.note ?? null, texts, embedded: [], problems };
  });
}

/**
 * Licences outside ALLOWED that a person reviewed for one package. MPL-2.0 is file-level copyleft:
 * fine for a package shipped unmodified, whose source form ships with the app (its JavaScript, in
 * app.asar) and is published (MPL-2.0 §3.2); the notice says so.
 */
export const REVIEWED = new Map([
  ['ical.js', { license: 'MPL-2.0', note: 'Shipped unmodified. Its Source Code Form is the JavaScript shipped in the application (app.asar, node_modules/ical.js) and is published at https://github.com/kewisch/ical.js and on npm (MPL-2.0 section 3.2).' }],
]);

/** Packages that ship without a licence file but are covered by another shipped package's files. */
export const LICENCE_OF = [
  { pattern: /^@esbuild\//, from: 'esbuild', why: 'esbuild\'s platform binary, published from the same repository' },
];

/** The MIT licence's standard text (SPDX), for an MIT package that has no licence text of its own. */
const MIT_TEXT = `Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.`;

const LICENCE_FILE = /^(licen[cs]e|copying|notice)([-._].*)?$/i;

/**
 * The packages electron-builder would copy into the app: its collector for npm (`npm list
 * --omit dev`, hoisted as it packs them), flattened to one entry per name@version.
 * @returns {Promise<{ name: string, version: string, dir: string }[]>}
 */
export async function shippedPackages(projectDir = root) {
  const require = createRequire(join(projectDir, 'package.json'));
  const { getCollectorByPackageManager, PM } = require('app-builder-lib/out/node-module-collector/index.js');
  const { TmpDir } = require('temp-file');
  const tmp = new TmpDir('third-party-notices');
  try {
    const collector = getCollectorByPackageManager(PM.NPM, projectDir, tmp);
    const { nodeModules } = await collector.getNodeModules({ packageName: readJson(join(projectDir, 'package.json')).name });
    const found = new Map();
    const walk = (modules) => {
      for (const m of modules) {
        found.set(m.dir, { name: m.name, version: m.version, dir: m.dir });
        if (m.dependencies) walk(m.dependencies);
      }
    };
    walk(nodeModules);
    const byId = new Map();
    for (const p of found.values()) {
      // A folder without package.json (node-gyp's output under native/node_modules) is part of
      // the same-named package, whose notice covers it.
      if (!existsSync(join(p.dir, 'package.json'))) continue;
      // Our own packages (file: dependencies in the repository, nimbus-opus and the
      // segfault-handler stub) are the app's code, not third-party.
      if (!relative(projectDir, p.dir).split(/[\\/]/).includes('node_modules')) continue;
      const version = readJson(join(p.dir, 'package.json')).version;
      byId.set(`${p.name}@${version}`, { name: p.name, version, dir: p.dir });
    }
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  } finally {
    await tmp.cleanup();
  }
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** The SPDX expression of a package.json (`license`, or the old `licenses` array), or null. */
export function spdxOf(pkg) {
  const l = pkg.license ?? pkg.licenses;
  if (typeof l === 'string') return l;
  if (l && typeof l === 'object' && !Array.isArray(l) && typeof l.type === 'string') return l.type;
  if (Array.isArray(l) && l.length > 0) {
    const ids = l.map((x) => (typeof x === 'string' ? x : x?.type)).filter((x) => typeof x === 'string');
    return ids.length > 1 ? `(${ids.join(' OR ')})` : (ids[0] ?? null);
  }
  return null;
}

/**
 * Whether an SPDX expression may ship: every AND term allowed, at least one OR alternative
 * allowed (we take that one). `WITH` exceptions and anything unparsed are refused.
 */
export function isAllowed(expression, allowed = ALLOWED) {
  if (typeof expression !== 'string' || expression.length > 200) return false;
  const tokens = expression.match(/\(|\)|[A-Za-z0-9.+-]+/g) ?? [];
  let i = 0;
  const primary = () => {
    const t = tokens[i++];
    if (t === '(') {
      const v = or();
      if (tokens[i++] !== ')') throw new Error('unbalanced');
      return v;
    }
    if (t === undefined || /^(AND|OR|WITH|\))$/i.test(t)) throw new Error('unexpected');
    return allowed.has(t);
  };
  const and = () => {
    let v = primary();
    while (/^AND$/i.test(tokens[i] ?? '')) { i++; v = primary() && v; }
    return v;
  };
  const or = () => {
    let v = and();
    while (/^OR$/i.test(tokens[i] ?? '')) { i++; v = and() || v; }
    return v;
  };
  try {
    const v = or();
    return i === tokens.length && v;
  } catch {
    return false;
  }
}

/** Licence files at the package's top level, by name; one that is a source file's comment (license.js) without its comment marks. */
function licenceFiles(dir) {
  return readdirSync(dir)
    .filter((f) => LICENCE_FILE.test(f) && statSync(join(dir, f)).isFile())
    .sort()
    .map((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      return { file: f, text: (/\.(c?js|mjs|ts|h|c)$/i.test(f) ? uncomment(text) : text).trim() };
    })
    .filter((f) => f.text.length > 0);
}

/** A block comment's text: without the slash-star marks and the leading " * " of each line. */
function uncomment(text) {
  return text.replace(/^\s*\/\*!?/, '').replace(/\*\/\s*$/, '')
    .split('\n').map((line) => line.replace(/^\s*\* ?/, '')).join('\n');
}

/**
 * A package without licence files: another shipped package's (LICENCE_OF), else the licence
 * section of its README when it holds the licence's words, else for MIT the standard text with the
 * author its package.json names. Each says where it came from.
 */
function fallbackTexts(p, pkg, license, packages) {
  const owner = LICENCE_OF.find((r) => r.pattern.test(p.name));
  const from = owner && packages.find((q) => q.name === owner.from);
  if (from) return licenceFiles(from.dir).map((t) => ({ file: `${owner.from}/${t.file} (${owner.why})`, text: t.text }));
  const readme = readdirSync(p.dir).find((f) => /^readme(\.md|\.markdown|\.txt)?$/i.test(f));
  if (readme) {
    const section = readmeLicence(readFileSync(join(p.dir, readme), 'utf8'));
    if (section) return [{ file: `${readme}, its licence section`, text: section }];
  }
  if (license === 'MIT') {
    const author = typeof pkg.author === 'string' ? pkg.author : pkg.author?.name;
    if (typeof author === 'string' && author.trim()) {
      return [{ file: 'no licence file in the package: the MIT licence\'s text, with the author its package.json names', text: `Copyright (c) ${author.replace(/\s*[<(].*$/, '').trim()}\n\n${MIT_TEXT}` }];
    }
  }
  return [];
}

/** The README's "License" section (a heading, markdown or underlined), when it has the licence's own words. */
export function readmeLicence(readme) {
  const lines = readme.replace(/\r\n?/g, '\n').split('\n');
  const start = lines.findIndex((l, i) => /^#{1,6}\s*licen[cs]e\s*$/i.test(l) || (/^licen[cs]e\s*$/i.test(l) && /^[-=]{3,}\s*$/.test(lines[i + 1] ?? '')));
  if (start < 0) return null;
  const body = [];
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i];
    if (/^#{1,6}\s/.test(l) || /^\[[^\]]+\]:\s/.test(l)) break;
    if (/^[-=]{3,}\s*$/.test(l) && i === start + 1) continue;
    if (/^[-=]{3,}\s*$/.test(l)) { body.pop(); break; }
    body.push(l);
  }
  const text = body.join('\n').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim();
  return /permission is hereby granted|redistribution and use/i.test(text) && /copyright/i.test(text) ? text : null;
}

function embeddedText(entry, dir) {
  if (entry.text) return entry.text.trim();
  const source = readFileSync(join(dir, entry.file), 'utf8');
  if (!entry.start) return source.trim();
  const from = source.indexOf(entry.start);
  const to = from < 0 ? -1 : source.indexOf(entry.end, from);
  if (from < 0 || to < 0) throw new Error(`${entry.package}: the ${entry.component} notice is no longer in ${entry.file}`);
  return uncomment(source.slice(from, to))
    .replace(/^license of speex\.wasm\s*---\s*/, '')
    .trim();
}

/**
 * The notice of each package: licence, licence texts, embedded libraries, and the problems that
 * stop a build (no licence text, a licence not allowed).
 */
export function collectNotices(packages, embedded = EMBEDDED) {
  return packages.map((p) => {
    const pkg = readJson(join(p.dir, 'package.json'));
    const license = spdxOf(pkg);
    const texts = licenceFiles(p.dir);
    if (texts.length === 0) texts.push(...fallbackTexts(p, pkg, license, packages));
    const extra = embedded.filter((e) => e.package === p.name).map((e) => ({ ...e, text: embeddedText(e, p.dir) }));
    const problems = [];
    if (texts.length === 0) problems.push('no licence text (no LICENSE/COPYING/NOTICE file, no licence section in its README, not MIT)');
    const reviewed = REVIEWED.get(p.name);
    const note = reviewed && reviewed.license === license ? reviewed.note : null;
    if (!isAllowed(license) && !note) problems.push(`licence ${JSON.stringify(license)} is not in the allow-list`);
    for (const e of extra) if (!isAllowed(e.license)) problems.push(`${e.component}: licence ${e.license} is not in the allow-list`);
    return { name: p.name, version: p.version, license, homepage: typeof pkg.homepage === 'string' ? pkg.homepage : null, note, texts, embedded: extra, problems };
  });
}

const RULE = '='.repeat(78);

/** The text of THIRD_PARTY_NOTICES.txt. */
export function renderNotices(notices, appName = 'Nimbus Phone') {
  const counts = new Map();
  for (const n of notices) counts.set(n.license, (counts.get(n.license) ?? 0) + 1);
  const out = [
    `${appName}: third-party notices`,
    '',
    `${appName} includes the following ${notices.length} open-source packages, shipped under the`,
    'licences below. Electron\'s and Chromium\'s own notices are in LICENSE.electron.txt and',
    'LICENSES.chromium.html beside the application.',
    '',
    'Licences: ' + [...counts].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0]))).map(([l, c]) => `${l} (${c})`).join(', '),
    '',
  ];
  for (const n of notices) {
    out.push(RULE, `${n.name} ${n.version}`, `License: ${n.license}`);
    if (n.homepage) out.push(`Homepage: ${n.homepage}`);
    if (n.note) out.push(n.note);
    for (const t of n.texts) out.push('', `--- ${t.file} ---`, '', t.text);
    for (const e of n.embedded) out.push('', `--- ${e.component}, built into this package: ${e.license} ---`, '', e.text);
    out.push('');
  }
  return out.join('\n').replace(/\r\n?/g, '\n') + '\n';
}

async function main() {
  const packages = await shippedPackages();
  const own = ownBuildNotices();
  const notices = [...collectNotices(packages), ...own];
  const bad = notices.filter((n) => n.problems.length > 0);
  if (bad.length > 0) {
    for (const n of bad) console.error(`notices: ${n.name}@${n.version}: ${n.problems.join('; ')}`);
    console.error(`notices: ${bad.length} package(s) cannot ship as they are; ${NOTICES_PATH} not written`);
    process.exit(1);
  }
  const text = renderNotices(notices);
  const at = process.argv.indexOf('--out');
  const out = at > 0 && process.argv[at + 1] ? process.argv[at + 1] : join(root, NOTICES_PATH);
  writeFileSync(out, text);
  const licences = new Set(notices.map((n) => n.license));
  console.log(`notices: ${relative(process.cwd(), out) || out}: ${notices.length - own.length} packages, ${own.length} builds of ours, ${licences.size} licences (${[...licences].sort().join(', ')}), ${Math.round(text.length / 1024)} KB`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
