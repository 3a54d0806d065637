/**
 * The few strings main shows itself (OS notifications, the tray, the quit question); the
 * renderer's own come from its i18n catalogues. Same languages: English and French, following
 * the setting, else the OS.
 */
import type { TrayStrings } from './desktop-policy.js';
import type { ShortcutProblem } from './shortcuts.js';

export interface MainStrings {
  incomingCall: string;
  incomingCallOn(account: string): string;
  answer: string;
  decline: string;
  missedCall: string;
  missedCallFrom(caller: string): string;
  missedBadge(count: number): string;
  messageFrom(name: string): string;
  tray: TrayStrings;
  quitDuringCall: { message: string; detail(count: number): string; quit: string; cancel: string };
  /** Why a global shortcut is not active (shown as a notice). */
  shortcutProblem(p: ShortcutProblem): string;
}

const en: MainStrings = {
  incomingCall: 'Incoming call',
  incomingCallOn: (account) => `Incoming call on ${account}`,
  answer: 'Answer',
  decline: 'Decline',
  missedCall: 'Missed call',
  missedCallFrom: (caller) => `Missed call from ${caller}`,
  missedBadge: (count) => (count === 1 ? '1 missed call' : `${count} missed calls`),
  messageFrom: (name) => `Message from ${name}`,
  tray: {
    appName: 'Nimbus Phone',
    show: 'Show Nimbus Phone',
    dnd: 'Do not disturb',
    quit: 'Quit',
    status: { registered: 'Ready for calls', dnd: 'Do not disturb', offline: 'Not connected' },
    missed: (count) => (count === 1 ? '1 missed call' : `${count} missed calls`),
  },
  quitDuringCall: {
    message: 'Quit during a call?',
    detail: (count) => (count === 1 ? 'Quitting ends the call in progress.' : `Quitting ends the ${count} calls in progress.`),
    quit: 'Quit and hang up',
    cancel: 'Cancel',
  },
  shortcutProblem: ({ action, accelerator, reason }) => {
    const name = { answer: 'Answer', hangUp: 'Hang up', mute: 'Mute', hold: 'Hold' }[action];
    return reason === 'taken'
      ? `The shortcut ${accelerator} for ${name} is used by another application or the system: choose another in Settings.`
      : `The shortcut ${accelerator} for ${name} is already set for another action: choose another in Settings.`;
  },
};

const fr: MainStrings = {
  incomingCall: 'Appel entrant',
  incomingCallOn: (account) => `Appel entrant sur ${account}`,
  answer: 'Répondre',
  decline: 'Refuser',
  missedCall: 'Appel manqué',
  missedCallFrom: (caller) => `Appel manqué de ${caller}`,
  missedBadge: (count) => (count === 1 ? '1 appel manqué' : `${count} appels manqués`),
  messageFrom: (name) => `Message de ${name}`,
  tray: {
    appName: 'Nimbus Phone',
    show: 'Afficher Nimbus Phone',
    dnd: 'Ne pas déranger',
    quit: 'Quitter',
    status: { registered: 'Prêt pour les appels', dnd: 'Ne pas déranger', offline: 'Non connecté' },
    missed: (count) => (count === 1 ? '1 appel manqué' : `${count} appels manqués`),
  },
  quitDuringCall: {
    message: 'Quitter pendant un appel\u00a0?',
    detail: (count) => (count === 1 ? 'Quitter met fin à l’appel en cours.' : `Quitter met fin aux ${count} appels en cours.`),
    quit: 'Quitter et raccrocher',
    cancel: 'Annuler',
  },
  shortcutProblem: ({ action, accelerator, reason }) => {
    const name = { answer: 'Répondre', hangUp: 'Raccrocher', mute: 'Couper le micro', hold: 'Mettre en attente' }[action];
    return reason === 'taken'
      ? `Le raccourci ${accelerator} pour «\u00a0${name}\u00a0» est pris par une autre application ou le système\u00a0: choisissez-en un autre dans les réglages.`
      : `Le raccourci ${accelerator} pour «\u00a0${name}\u00a0» est déjà attribué à une autre action\u00a0: choisissez-en un autre dans les réglages.`;
  },
};

const catalogue: Record<'en' | 'fr', MainStrings> = { en, fr };

/** `setting` is the app's language setting (`system`, `en`, `fr`); `systemLanguages` the OS's, preferred first. */
export function mainStrings(setting: string | undefined, systemLanguages: readonly string[]): MainStrings {
  if (setting === 'en' || setting === 'fr') return catalogue[setting];
  for (const tag of systemLanguages) {
    const language = tag.toLowerCase().split(/[-_]/)[0];
    if (language === 'en' || language === 'fr') return catalogue[language];
  }
  return catalogue.en;
}
