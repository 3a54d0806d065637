// Writes resources/icon.png (1024 px), the icon electron-builder turns into the macOS .icns,
// the Windows .ico and the Linux icons. Drawn in code (src-main/app/icons.ts); a unit test
// checks the file still matches the drawing. Run: node scripts/make-icons.mjs
import { writeFileSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';

const { appIconPng } = await tsImport('../src-main/app/icons.ts', import.meta.url);
writeFileSync(new URL('../resources/icon.png', import.meta.url), appIconPng(1024));
console.log('resources/icon.png written');
