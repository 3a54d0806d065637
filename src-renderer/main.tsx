/**
 * Entry: pick the host link, start i18n in the OS language, render the main window (or, on
 * `#/incoming`, the Electron incoming-call window), then keep in step with the core.
 */
import '@fontsource-variable/inter';
import './styles/index.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './app/App.js';
import { IncomingApp, isIncomingRoute } from './app/IncomingApp.js';
import { LinkContext } from './app/link-context.js';
import { NoHost } from './app/NoHost.js';
import { startSync } from './app/sync.js';
import { startHeadset } from './features/headset/headset-manager.js';
import { startPresence } from './features/presence/presence-sync.js';
import { startLinkRequests } from './features/links/link-requests.js';
import { i18n, initI18n } from './i18n/index.js';
import { resolveLanguage } from './i18n/language.js';
import { pickTransport } from './transport/pick.js';

const link = pickTransport();
await initI18n(resolveLanguage('system', navigator.languages));
document.documentElement.lang = i18n.language;
document.title = i18n.t('app.title');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <LinkContext value={link ?? null}>
        {!link ? <NoHost /> : isIncomingRoute(location.hash) ? <IncomingApp /> : <App />}
      </LinkContext>
    </I18nextProvider>
  </StrictMode>,
);
if (link) startSync(link);
// Lamps, presence, voicemail and messages; the incoming-call window needs none of them.
if (link && !isIncomingRoute(location.hash)) startPresence(link);
// Headset buttons and links from the OS belong to the main window (the incoming-call window must not act twice).
if (link && !isIncomingRoute(location.hash)) {
  startHeadset(link);
  startLinkRequests(link);
}
