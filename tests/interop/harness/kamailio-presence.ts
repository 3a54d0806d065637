/**
 * The presence server part of the test Kamailio (startKamailio({ presence: true })): Debian
 * kamailio-presence-modules — presence with presence_xml (PIDF, every watcher allowed),
 * presence_dialoginfo fed by pua_dialoginfo (dialog state of the calls the proxy relays, for busy
 * lamps) and presence_mwi (message-summary) — on db_text tables in the instance folder.
 */
import { appendFileSync, copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const modules = ['dialog', 'presence', 'presence_xml', 'presence_dialoginfo', 'presence_mwi', 'pua', 'pua_dialoginfo'];
const tables = ['presentity', 'active_watchers', 'watchers', 'xcap', 'pua'];

/** Fails with the Debian package to install when a module is missing. */
export function checkPresenceModules(modulesPath: string): void {
  for (const m of modules) {
    if (!existsSync(join(modulesPath, `${m}.so`))) {
      throw new Error(`kamailio ${m}.so missing: install the Debian package 'kamailio-presence-modules'`);
    }
  }
}

/** Copy the db_text tables (schema lines) and their versions into the instance's db folder. */
export function addPresenceTables(fixtures: string, dbDir: string): void {
  for (const t of tables) copyFileSync(join(fixtures, 'db-presence', t), join(dbDir, t));
  appendFileSync(join(dbDir, 'version'), readFileSync(join(fixtures, 'db-presence', 'version-rows')));
}

/** Text for the template's PRESENCE_* placeholders (empty strings when presence is off). */
export function presencePlaceholders(enabled: boolean, dir: string, host: string, port: number): Record<string, string> {
  if (!enabled) {
    return { '@PRESENCE_MODULES@': '', '@PRESENCE_IN_DIALOG@': '', '@PRESENCE_OWN_PUBLISH@': '', '@PRESENCE_REQUESTS@': '', '@PRESENCE_ROUTES@': '' };
  }
  const db = `text://${dir}/db`;
  return {
    '@PRESENCE_MODULES@': [
      ...modules.map((m) => `loadmodule "${m}.so"`),
      `modparam("presence", "db_url", "${db}")`,
      `modparam("presence", "server_address", "sip:${host}:${port}")`,
      'modparam("presence", "subs_db_mode", 0)',
      'modparam("presence", "max_expires", 3600)',
      `modparam("presence_xml", "db_url", "${db}")`,
      // No XCAP authorisation documents: every watcher may see every presentity.
      'modparam("presence_xml", "force_active", 1)',
      `modparam("pua", "db_url", "${db}")`,
      'modparam("pua", "db_mode", 0)',
      // call-id, tags and local/remote identities in dialog-info: what call pickup needs.
      'modparam("pua_dialoginfo", "include_callid", 1)',
      'modparam("pua_dialoginfo", "include_tags", 1)',
      'modparam("pua_dialoginfo", "include_localremote", 1)',
      'modparam("pua_dialoginfo", "callee_trying", 1)',
    ].join('\n'),
    // A refresh or removal of a subscription we serve (no Route: we are the far end).
    '@PRESENCE_IN_DIALOG@': '        if (is_method("SUBSCRIBE") && uri == myself) { route(PRESENCE); exit; }',
    // pua's own PUBLISH (dialog state) comes from our listener: no credentials to check.
    '@PRESENCE_OWN_PUBLISH@': `    if (is_method("PUBLISH") && $si == "${host}" && $sp == ${port}) { route(PRESENCE); exit; }`,
    '@PRESENCE_REQUESTS@': [
      '    if (is_method("PUBLISH|SUBSCRIBE") && uri == myself) { route(PRESENCE); exit; }',
      // Track every call the proxy relays, so pua_dialoginfo publishes its state for both parties.
      '    if (is_method("INVITE")) { dlg_manage(); }',
      // The text of every MESSAGE relayed, for tests with peers that do not show what they received.
      '    if (is_method("MESSAGE")) { xlog("L_INFO", "MESSAGE for $rU body [$rb]\\n"); }',
    ].join('\n'),
    '@PRESENCE_ROUTES@': [
      'route[PRESENCE] {',
      '    if (!t_newtran()) { sl_reply_error(); exit; }',
      '    if (is_method("PUBLISH")) { handle_publish(); } else { handle_subscribe(); }',
      '    t_release();',
      '    exit;',
      '}',
    ].join('\n'),
  };
}
