// Windows signing hook (electron-builder.yml: win.signtoolOptions.sign), called once per file
// to sign (executables, the uninstaller, DLLs). The signing command comes from the build
// machine, never from the repository: NIMBUS_WIN_SIGN_COMMAND, with {file} replaced by the
// quoted path, e.g.
//   signtool sign /fd sha256 /tr http://timestamp.digicert.com /td sha256 /f cert.pfx /p %PFX_PASSWORD% {file}
//   AzureSignTool sign -kvu https://vault.example/ -kvc nimbus -kvm -tr http://timestamp.digicert.com -td sha256 {file}
// Without it the build is unsigned (fine for testing; SmartScreen warns users). docs/packaging.md.
import { spawnSync } from 'node:child_process';

export default async function sign(configuration) {
  const template = process.env.NIMBUS_WIN_SIGN_COMMAND;
  const file = configuration.path;
  if (!template) {
    console.log(`  • not signing ${file}: NIMBUS_WIN_SIGN_COMMAND is not set`);
    return;
  }
  if (!template.includes('{file}')) throw new Error('NIMBUS_WIN_SIGN_COMMAND must contain {file}');
  const command = template.replaceAll('{file}', `"${file.replaceAll('"', '')}"`);
  const done = spawnSync(command, { shell: true, stdio: 'inherit' });
  if (done.status !== 0) throw new Error(`signing ${file} failed (exit ${done.status})`);
}
