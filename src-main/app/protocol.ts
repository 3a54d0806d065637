/**
 * The renderer's origin: `app://nimbus/`, a custom privileged scheme served from the built renderer
 * folder (not `file://`, which would give every local file the page's origin). Only GET/HEAD of
 * regular files under that folder are served; everything else is a 404 with the same headers.
 * No Electron import: main.ts registers `schemePrivileges` and hands `createAppProtocolHandler`'s
 * result to `protocol.handle`.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

export const appScheme = 'app';
export const appHost = 'nimbus';
/** What `senderFrame.origin` is for our pages (and what URLs must start with). */
export const appOrigin = `${appScheme}://${appHost}`;

/**
 * `protocol.registerSchemesAsPrivileged` entry: a standard, secure scheme (own origin, secure
 * context, fetch works) that does not bypass CSP and allows no service workers.
 */
export const schemePrivileges = {
  scheme: appScheme,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true, bypassCSP: false, allowServiceWorkers: false, corsEnabled: false, stream: false },
} as const;

/** Content Security Policy of every page: our scripts and styles only, no inline code, no network. */
export const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.mp3': 'audio/mpeg',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeOf(path: string): string {
  return mimeTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers on every response, errors included. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}

/**
 * The file a request URL names under `root`, or undefined when it must not be served: another
 * scheme or host, credentials or a port in the URL, an encoded slash or backslash, a NUL, a dot
 * segment after decoding, or anything that resolves outside `root`. `/` is `index.html`.
 */
export function resolveAppPath(root: string, requestUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${appScheme}:` || url.host !== appHost || url.username !== '' || url.password !== '') return undefined;
  const segments: string[] = [];
  for (const raw of url.pathname.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment === '.' || segment === '..' || /[/\\\0:]/.test(segment)) return undefined;
    segments.push(segment);
  }
  if (segments.length === 0) segments.push('index.html');
  const base = resolve(root);
  const file = resolve(base, ...segments);
  const rel = relative(base, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return file;
}

export interface AppFileSystem {
  realpath(path: string): Promise<string>;
  isFile(path: string): Promise<boolean>;
  readFile(path: string): Promise<Uint8Array>;
}

export const nodeFileSystem: AppFileSystem = {
  realpath: (path) => realpath(path),
  isFile: async (path) => (await stat(path)).isFile(),
  readFile: (path) => readFile(path),
};

/** Is `file` (already resolved through symlinks) inside `root` (likewise resolved)? */
function inside(root: string, file: string): boolean {
  return file.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** The `protocol.handle('app', …)` handler serving `root` (the built renderer, `out/renderer/`). */
export function createAppProtocolHandler(root: string, fs: AppFileSystem = nodeFileSystem): (request: Request) => Promise<Response> {
  const notFound = (status = 404) => new Response(status === 405 ? 'Method Not Allowed' : 'Not Found', {
    status,
    headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' },
  });
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound(405);
    const path = resolveAppPath(root, request.url);
    if (!path) return notFound();
    try {
      // A symlink inside the folder must not lead out of it.
      const [realRoot, realFile] = await Promise.all([fs.realpath(root), fs.realpath(path)]);
      if (!inside(realRoot, realFile) || !(await fs.isFile(realFile))) return notFound();
      const body = request.method === 'HEAD' ? null : await fs.readFile(realFile);
      return new Response(body, {
        status: 200,
        headers: { ...securityHeaders(), 'Content-Type': mimeTypeOf(realFile) },
      });
    } catch {
      return notFound();
    }
  };
}
