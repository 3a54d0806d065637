// electron-builder hook (electron-builder.yml: msiProjectCreated): adds tel:, callto:, sip: and
// sips: to the MSI's WiX project before it is compiled. electron-builder's MSI target writes file
// associations only (no `protocols`), and it takes no NSIS-style include: this edits the
// generated project.wxs. The MSI is per machine, so the keys go under HKLM (Root="HKMU" follows
// ALLUSERS): our ProgID per scheme, Capabilities\URLAssociations and RegisteredApplications, so
// the app is offered in Settings > Apps > Default apps. They are one component's registry values,
// which Windows Installer removes on uninstall. Unlike the NSIS include it never writes the bare
// scheme classes (HKLM\Software\Classes\tel): a machine-wide install must not take a scheme over
// for every user; people (or a Group Policy default-associations file) choose in Default apps.
import { readFile, writeFile } from 'node:fs/promises';

export const schemes = [
  ['tel', 'Telephone number'],
  ['callto', 'Call link'],
  ['sip', 'SIP address'],
  ['sips', 'Secure SIP address'],
];
const capabilities = 'Software\\NimbusPhone\\Capabilities';
/** Fixed: a component whose key path is a registry value needs a stable GUID (WiX cannot make one). */
export const componentGuid = '8f0c6d52-4a1e-4c3b-9d7e-6a2b5e1f3c90';
const anchor = '<ComponentGroup Id="ProductComponents" Directory="APPLICATIONFOLDER">';

const value = (key, name, data, keyPath = false) =>
  `<RegistryValue Root="HKMU" Key="${key}"${name === '' ? '' : ` Name="${name}"`} Type="string" Value="${data}"${keyPath ? ' KeyPath="yes"' : ''}/>`;

/** The WiX component with every registry value. */
export function urlAssociationsComponent() {
  const command = '&quot;[#mainExecutable]&quot; &quot;%1&quot;';
  const lines = [
    value(capabilities, 'ApplicationName', '[ProductName]', true),
    value(capabilities, 'ApplicationDescription', 'Desktop SIP softphone: calls from tel:, sip: and callto: links'),
    value(capabilities, 'ApplicationIcon', '[#mainExecutable],0'),
  ];
  for (const [scheme, description] of schemes) {
    const progId = `Software\\Classes\\NimbusPhone.${scheme}`;
    lines.push(
      value(progId, '', description),
      value(progId, 'URL Protocol', ''),
      value(`${progId}\\DefaultIcon`, '', '[#mainExecutable],0'),
      value(`${progId}\\shell\\open\\command`, '', command),
      value(`${capabilities}\\URLAssociations`, scheme, `NimbusPhone.${scheme}`),
    );
  }
  lines.push(value('Software\\RegisteredApplications', '[ProductName]', capabilities));
  return `<Component Id="urlAssociations" Guid="${componentGuid}">\n        ${lines.join('\n        ')}\n      </Component>`;
}

/** The project with the component added to the product's components (throws if electron-builder's layout changed). */
export function addUrlAssociations(wxs) {
  if (!wxs.includes(anchor)) throw new Error('msi-url-associations: the WiX project has no ProductComponents group (electron-builder changed its template?)');
  if (wxs.includes('Id="urlAssociations"')) return wxs;
  return wxs.replace(anchor, `${anchor}\n      ${urlAssociationsComponent()}`);
}

export default async function msiProjectCreated(projectFile) {
  await writeFile(projectFile, addUrlAssociations(await readFile(projectFile, 'utf8')));
}
