/**
 * Renderer memory with 10,000 history rows shown (issue 9): the real UI in Chromium on the web host
 * (`softphone web`), its database filled beforehand with 10,000 calls. Figures after a forced
 * garbage collection (CDP HeapProfiler.collectGarbage): the page's JS heap in use
 * (Runtime.getHeapUsage) and its DOM nodes (Memory.getDOMCounters) — on the Dialpad at start, on
 * History with its first page, and once every row has been loaded by scrolling the list to its end.
 * Figures, not pass/fail. Needs Debian's chromium and a built renderer (`npm run build:renderer`).
 *
 *   node --import tsx bench/renderer-memory.ts [--rows N]
 */
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CDPSession, Page } from 'playwright-core';
import { openDatabase } from '../src-main/store/database.js';
import { HistoryStore } from '../src-main/store/history-store.js';
import { rendererDir } from '../src-main/core/paths.js';
import type { HistoryRecord } from '../src-main/contract/calls.js';
import { startSoftphone } from '../tests/support/softphone-process.js';

const names = ['Jean Dupont', 'Marie Martin', 'Émile Bernard', 'Zoé Petit', 'Paul Durand', 'Anaïs Leroy', 'Hugo Moreau', 'Léa Simon'];

/** `rows` calls, one a minute, a fifth of them missed, half with a display name. */
function fillHistory(file: string, rows: number): void {
  const db = openDatabase(file);
  try {
    const store = new HistoryStore(db);
    const start = Date.now() - rows * 60_000;
    db.exec('BEGIN');
    for (let i = 0; i < rows; i++) {
      const missed = i % 5 === 0;
      const r: HistoryRecord = {
        callId: `c${i}`, account: undefined, direction: i % 2 ? 'incoming' : 'outgoing',
        peer: { uri: `sip:+3361${String(10_000_000 + i).slice(-8)}@pbx.example.com`, displayName: i % 2 ? names[i % names.length] : undefined },
        startedAt: start + i * 60_000, answeredAt: missed ? undefined : start + i * 60_000 + 5000, endedAt: start + i * 60_000 + 65_000,
        outcome: missed ? 'missed' : 'answered', status: undefined,
      };
      store.add(r, undefined);
    }
    db.exec('COMMIT');
  } finally {
    db.close();
  }
}

interface Figure { where: string; heapMb: number; heapTotalMb: number; domNodes: number; listeners: number }

async function measure(cdp: CDPSession, where: string): Promise<Figure> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const dom = await cdp.send('Memory.getDOMCounters');
  const mb = (b: number) => +(b / 1024 / 1024).toFixed(1);
  return { where, heapMb: mb(heap.usedSize), heapTotalMb: mb(heap.totalSize), domNodes: dom.nodes, listeners: dom.jsEventListeners };
}

/** Scrolls History's list to its end until row `rows - 1` is rendered (each page is loaded as it is reached). */
async function loadEveryRow(page: Page, rows: number): Promise<number> {
  const list = page.getByRole('list').first();
  const started = performance.now();
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    await list.evaluate((el) => { const s = el.closest('.vlist') ?? el; s.scrollTop = s.scrollHeight; });
    if (await page.locator(`[data-index="${rows - 1}"]`).count() > 0) return performance.now() - started;
    await page.waitForTimeout(100);
  }
  throw new Error(`row ${rows} was never shown`);
}

export async function run(rows = 10_000): Promise<void> {
  if (!existsSync(join(rendererDir(), 'index.html'))) {
    console.log('renderer memory: not measured (renderer not built: npm run build:renderer)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-bench-renderer-'));
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  fillHistory(join(data, 'nimbus.sqlite'), rows);
  const web = startSoftphone(['web', '--null-audio', '--data-dir', data, '--bind-address', '127.0.0.1'], { stdin: false });
  try {
    const ready = await web.waitEvent((e) => e.event === 'web-ready', 'web-ready', 30_000);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    try {
      const context = await browser.newContext({ viewport: { width: 420, height: 720 }, reducedMotion: 'reduce' });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await page.goto(String(ready.url));
      await page.getByRole('textbox', { name: 'Number' }).waitFor({ timeout: 30_000 });
      const figures = [await measure(cdp, 'Dialpad at start')];
      await page.getByRole('navigation').getByRole('button', { name: 'History', exact: true }).click();
      await page.getByRole('button', { name: 'Call back', exact: true }).first().waitFor({ timeout: 30_000 });
      figures.push(await measure(cdp, `History, first page (${rows} in the database)`));
      const loadMs = await loadEveryRow(page, rows);
      figures.push(await measure(cdp, `History, all ${rows} rows loaded (scrolled to the end)`));
      console.log(`renderer memory (Chromium, JS heap after GC; every row reached in ${(loadMs / 1000).toFixed(1)} s of scrolling):`);
      console.table(figures.map((f) => ({ where: f.where, 'JS heap used MB': f.heapMb, 'JS heap total MB': f.heapTotalMb, 'DOM nodes': f.domNodes, 'event listeners': f.listeners })));
    } finally {
      await browser.close();
    }
  } finally {
    await web.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--rows');
  await run(i > 0 ? Number(process.argv[i + 1]) : undefined);
}
