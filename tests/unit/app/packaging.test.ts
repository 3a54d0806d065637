// The packaging configuration, checked where Electron's binaries cannot be downloaded: the
// electron-builder.yml electron-builder itself would load, validated against its own schema;
// what the issue asks of each platform's installer; the Windows NSIS include's registry keys; the
// signing hook; the app icon still matching its drawing. Building real installers needs the
// Electron binaries, signing keys and (for dmg/MSI) macOS and Windows: docs/packaging.md.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { appIconPixels } from '../../../src-main/app/icons.js';

const root = new URL('../../../', import.meta.url);
const rootPath = root.pathname;
const require = createRequire(import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

interface BuilderConfig {
  [key: string]: unknown;
  mac: { target: { target: string; arch: string[] }[]; hardenedRuntime: boolean; notarize: boolean; entitlements: string; entitlementsInherit: string; extendInfo: Record<string, string> };
  win: { target: { target: string; arch: string[] }[]; signtoolOptions: { sign: string } };
  nsis: { include: string; oneClick: boolean; perMachine: boolean };
  msi: { perMachine: boolean; upgradeCode: string };
  linux: { target: string[]; mimeTypes: string[] };
  protocols: { name: string; schemes: string[] }[];
  electronFuses: Record<string, boolean>;
}

/** electron-builder's own loader (app-builder-lib): the YAML as the build would read it. */
async function loadConfig(): Promise<BuilderConfig> {
  const { getConfig } = require('app-builder-lib/out/util/config/config.js') as { getConfig(dir: string, path: string | null): Promise<BuilderConfig> };
  return getConfig(rootPath, join(rootPath, 'electron-builder.yml'));
}

describe('electron-builder configuration', () => {
  it('is valid against electron-builder 26\'s schema (scheme.json)', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as { validateConfiguration(c: unknown, l: unknown): Promise<void> };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    const config = await loadConfig();
    await validateConfiguration(config, new DebugLogger(false));
  });

  it('refuses a misspelt option (the schema check has teeth)', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as { validateConfiguration(c: unknown, l: unknown): Promise<void> };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    const config = await loadConfig();
    await assert.rejects(validateConfiguration({ ...config, mac: { ...config.mac, hardenedRuntme: true } }, new DebugLogger(false)), /Invalid configuration object[\s\S]*configuration\.mac/);
  });

  it('states every Electron fuse, hardened', async () => {
    assert.deepEqual((await loadConfig()).electronFuses, {
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
  });

  it('macOS: dmg and zip for x64 and arm64, hardened runtime, entitlements for JIT and the microphone, notarisation from the environment', async () => {
    const { mac } = await loadConfig();
    assert.deepEqual(mac.target, [{ target: 'dmg', arch: ['x64', 'arm64'] }, { target: 'zip', arch: ['x64', 'arm64'] }]);
    assert.equal(mac.hardenedRuntime, true);
    assert.equal(mac.notarize, true);
    assert.match(mac.extendInfo.NSMicrophoneUsageDescription!, /microphone/);
    for (const file of [mac.entitlements, mac.entitlementsInherit]) {
      const plist = read(file);
      assert.match(plist, /<key>com\.apple\.security\.cs\.allow-jit<\/key>\s*<true\/>/, file);
      assert.match(plist, /<key>com\.apple\.security\.device\.audio-input<\/key>\s*<true\/>/, file);
      assert.doesNotMatch(plist, /disable-library-validation|allow-unsigned-executable-memory|get-task-allow/, `${file}: nothing looser than needed`);
    }
  });

  it('Windows: per-user NSIS (x64, arm64) with the URL-association include, machine-wide MSI, signing through the hook', async () => {
    const { win, nsis, msi } = await loadConfig();
    assert.deepEqual(win.target.map((t) => t.target), ['nsis', 'msi']);
    assert.deepEqual([nsis.oneClick, nsis.perMachine], [false, false]);
    assert.equal(existsSync(new URL(nsis.include, root)), true);
    assert.equal(msi.perMachine, true);
    assert.match(msi.upgradeCode, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a fixed upgrade code: later MSIs upgrade earlier ones');
    assert.equal(win.signtoolOptions.sign, 'scripts/sign-windows.mjs');
  });

  it('links: tel, callto, sip, sips declared for macOS and Linux (Windows: installer.nsh)', async () => {
    const { protocols, linux } = await loadConfig();
    assert.deepEqual(protocols.flatMap((p) => p.schemes).sort(), ['callto', 'sip', 'sips', 'tel']);
    assert.deepEqual(linux.target, ['AppImage', 'deb']);
    assert.deepEqual(linux.mimeTypes.sort(), ['x-scheme-handler/callto', 'x-scheme-handler/sip', 'x-scheme-handler/sips', 'x-scheme-handler/tel']);
  });

  it('package.json has dist:win, dist:mac, dist:linux with electron-builder as a dependency', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string>; devDependencies: Record<string, string> };
    for (const [script, flag] of [['dist:win', '--win'], ['dist:mac', '--mac'], ['dist:linux', '--linux']] as const) {
      assert.match(pkg.scripts[script] ?? '', new RegExp(`electron-builder ${flag}\\b`), script);
    }
    assert.ok(pkg.devDependencies['electron-builder']);
  });
});

describe('Windows NSIS include (resources/installer.nsh)', () => {
  const nsh = read('resources/installer.nsh');
  const macro = (name: string) => new RegExp(`!macro ${name}\\n([\\s\\S]*?)!macroend`).exec(nsh)?.[1] ?? '';

  it('registers each scheme\'s ProgID and URL association, the capabilities and RegisteredApplications', () => {
    const install = macro('customInstall');
    for (const scheme of ['tel', 'callto', 'sip', 'sips']) assert.match(install, new RegExp(`nimbusRegisterScheme "${scheme}"`), scheme);
    const register = macro('nimbusRegisterScheme SCHEME DESCRIPTION');
    assert.match(register, /"Software\\Classes\\NimbusPhone\.\$\{SCHEME\}" "URL Protocol" ""/);
    assert.match(register, /"Software\\Classes\\NimbusPhone\.\$\{SCHEME\}\\shell\\open\\command" "" '\$\{NIMBUS_COMMAND\}'/);
    assert.match(register, /"\$\{NIMBUS_CAPABILITIES\}\\URLAssociations" "\$\{SCHEME\}" "NimbusPhone\.\$\{SCHEME\}"/);
    assert.match(install, /"Software\\RegisteredApplications" "\$\{PRODUCT_NAME\}" "\$\{NIMBUS_CAPABILITIES\}"/);
    assert.match(nsh, /!define NIMBUS_CAPABILITIES "Software\\NimbusPhone\\Capabilities"/);
    assert.match(nsh, /!define NIMBUS_COMMAND '"\$INSTDIR\\\$\{APP_EXECUTABLE_FILENAME\}" "%1"'/);
    assert.match(install, /SHChangeNotify\(i 0x08000000/, 'tells the shell');
  });

  it('never takes a scheme over: its class is written only when nothing handles it', () => {
    const register = macro('nimbusRegisterScheme SCHEME DESCRIPTION');
    assert.match(register, /ReadRegStr \$0 HKCR "\$\{SCHEME\}\\shell\\open\\command" ""\n\s*\$\{If\} \$0 == ""\n\s*WriteRegStr SHELL_CONTEXT "Software\\Classes\\\$\{SCHEME\}"/);
  });

  it('removes on uninstall what it added (the scheme class only if it still points to us)', () => {
    const uninstall = macro('customUnInstall');
    for (const scheme of ['tel', 'callto', 'sip', 'sips']) assert.match(uninstall, new RegExp(`nimbusUnregisterScheme "${scheme}"`), scheme);
    assert.match(uninstall, /DeleteRegValue SHELL_CONTEXT "Software\\RegisteredApplications" "\$\{PRODUCT_NAME\}"/);
    assert.match(uninstall, /DeleteRegKey SHELL_CONTEXT "\$\{NIMBUS_KEY\}"/);
    const unregister = macro('nimbusUnregisterScheme SCHEME');
    assert.match(unregister, /DeleteRegKey SHELL_CONTEXT "Software\\Classes\\NimbusPhone\.\$\{SCHEME\}"/);
    assert.match(unregister, /\$\{If\} \$0 == '\$\{NIMBUS_COMMAND\}'\n\s*DeleteRegKey SHELL_CONTEXT "Software\\Classes\\\$\{SCHEME\}"/);
  });
});

describe('Windows MSI URL associations (scripts/msi-url-associations.mjs)', () => {
  interface Hook {
    default(projectFile: string): Promise<void>;
    addUrlAssociations(wxs: string): string;
  }
  const hook = () => import(new URL('scripts/msi-url-associations.mjs', root).href) as Promise<Hook>;
  // electron-builder's own WiX template (the hook's anchor must be in it).
  const template = readFileSync(require.resolve('app-builder-lib/templates/msi/template.xml'), 'utf8');
  type Value = { '@_Root': string; '@_Key': string; '@_Name'?: string; '@_Value': string; '@_KeyPath'?: string };
  const { XMLParser, XMLValidator } = require('fast-xml-parser') as typeof import('fast-xml-parser');

  async function component(): Promise<{ wxs: string; values: Value[]; attributes: Record<string, string> }> {
    const wxs = (await hook()).addUrlAssociations(template);
    const xml = /<Component Id="urlAssociations"[\s\S]*?<\/Component>/.exec(wxs)?.[0] ?? '';
    assert.equal(XMLValidator.validate(xml), true, 'well-formed XML');
    const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'RegistryValue' }).parse(xml) as { Component: Record<string, string> & { RegistryValue: Value[] } };
    return { wxs, values: parsed.Component.RegistryValue, attributes: parsed.Component };
  }
  const find = (values: Value[], key: string, name?: string) => values.find((v) => v['@_Key'] === key && v['@_Name'] === name);

  it('is the electron-builder hook for the MSI project, and the NSIS path keeps the include', async () => {
    const config = await loadConfig();
    assert.equal(config.msiProjectCreated, 'scripts/msi-url-associations.mjs');
    assert.equal(config.nsis.include, 'resources/installer.nsh');
  });

  it('adds, inside the product\'s components, each scheme\'s ProgID, URL association, the capabilities and RegisteredApplications', async () => {
    const { wxs, values, attributes } = await component();
    assert.match(wxs, /<ComponentGroup Id="ProductComponents" Directory="APPLICATIONFOLDER">\s*<Component Id="urlAssociations"/);
    assert.match(attributes['@_Guid'] ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const caps = 'Software\\NimbusPhone\\Capabilities';
    for (const scheme of ['tel', 'callto', 'sip', 'sips']) {
      const progId = `Software\\Classes\\NimbusPhone.${scheme}`;
      assert.ok(find(values, progId, 'URL Protocol'), `${scheme}: URL Protocol`);
      assert.equal(find(values, `${progId}\\shell\\open\\command`)?.['@_Value'], '"[#mainExecutable]" "%1"', `${scheme}: command`);
      assert.equal(find(values, `${caps}\\URLAssociations`, scheme)?.['@_Value'], `NimbusPhone.${scheme}`, `${scheme}: association`);
      assert.equal(values.some((v) => v['@_Key'].startsWith(`Software\\Classes\\${scheme}`)), false, `${scheme}: never the bare scheme class (machine-wide)`);
    }
    assert.equal(find(values, 'Software\\RegisteredApplications', '[ProductName]')?.['@_Value'], caps);
    assert.ok(find(values, caps, 'ApplicationName'));
    assert.ok(values.every((v) => v['@_Root'] === 'HKMU'), 'per machine under ALLUSERS=1');
    assert.equal(values.filter((v) => v['@_KeyPath'] === 'yes').length, 1, 'one key path: Windows Installer removes the component (every value) on uninstall');
  });

  it('edits the generated project file once (a second run changes nothing) and refuses an unknown layout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nimbus-msi-'));
    try {
      const file = join(dir, 'project.wxs');
      writeFileSync(file, template);
      const h = await hook();
      await h.default(file);
      const once = readFileSync(file, 'utf8');
      await h.default(file);
      assert.equal(readFileSync(file, 'utf8'), once);
      assert.equal(once.match(/Id="urlAssociations"/g)?.length, 1);
      assert.throws(() => h.addUrlAssociations('<Wix/>'), /no ProductComponents group/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('auto-update feed in the build', () => {
  it('the build writes the generic feed files for every channel and uploads nothing by itself', async () => {
    const config = await loadConfig();
    assert.deepEqual(config.publish, { provider: 'generic', url: 'https://updates.nimbusphone.invalid/' });
    assert.equal(config.generateUpdatesFilesForAllChannels, true);
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; scripts: Record<string, string> };
    assert.ok(pkg.dependencies['electron-updater'], 'electron-updater ships with the app');
    for (const script of ['dist:win', 'dist:mac', 'dist:linux']) assert.doesNotMatch(pkg.scripts[script] ?? '', /--publish\s+always/);
  });
});

describe('signing hook and icon', () => {
  it('the Windows signing hook signs nothing without a command, and runs the configured one per file', async () => {
    // A path in a variable: the hook is plain JavaScript (no types to check against).
    const hookPath = new URL('scripts/sign-windows.mjs', root).href;
    const hook = (await import(hookPath)) as { default(c: { path: string }): Promise<void> };
    const saved = process.env.NIMBUS_WIN_SIGN_COMMAND;
    const dir = mkdtempSync(join(tmpdir(), 'nimbus-sign-'));
    try {
      delete process.env.NIMBUS_WIN_SIGN_COMMAND;
      await hook.default({ path: join(dir, 'Nimbus Phone.exe') });
      const marker = join(dir, 'signed.txt');
      process.env.NIMBUS_WIN_SIGN_COMMAND = `"${process.execPath}" -e "require('fs').writeFileSync(process.argv[1], 'signed ' + process.argv[2])" ${JSON.stringify(marker)} {file}`;
      await hook.default({ path: join(dir, 'Nimbus Phone.exe') });
      assert.equal(readFileSync(marker, 'utf8'), `signed ${join(dir, 'Nimbus Phone.exe')}`);
      process.env.NIMBUS_WIN_SIGN_COMMAND = `"${process.execPath}" -e "process.exit(3)" {file}`;
      await assert.rejects(hook.default({ path: join(dir, 'x.exe') }), /exit 3/);
    } finally {
      if (saved === undefined) delete process.env.NIMBUS_WIN_SIGN_COMMAND;
      else process.env.NIMBUS_WIN_SIGN_COMMAND = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resources/icon.png is the drawing of src-main/app/icons.ts (node scripts/make-icons.mjs)', () => {
    const png = readFileSync(new URL('resources/icon.png', root));
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1024, 1024]);
    const chunks: Buffer[] = [];
    for (let at = 8; at < png.length;) {
      const length = png.readUInt32BE(at);
      if (png.toString('latin1', at + 4, at + 8) === 'IDAT') chunks.push(png.subarray(at + 8, at + 8 + length));
      at += 12 + length;
    }
    const raw = inflateSync(Buffer.concat(chunks));
    const expected = appIconPixels(1024);
    for (let y = 0; y < 1024; y += 31) {
      const row = raw.subarray(y * 4097 + 1, (y + 1) * 4097);
      assert.deepEqual([...row], [...expected.subarray(y * 4096, (y + 1) * 4096)], `row ${y}`);
    }
  });
});
