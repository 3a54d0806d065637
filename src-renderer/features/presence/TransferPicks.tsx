/**
 * Free colleagues as one-click targets in a call's Transfer / Consult panel (a container): the
 * watched colleagues whose lamp is idle, except the party already on the call.
 */
import { useTranslation } from 'react-i18next';
import { Lamp } from './Lamp.js';
import { numberIsUri, partyName } from './presence-model.js';
import { usePresenceStore } from './presence-store.js';

const MAX = 12;

export function TransferPicks({ exclude, onPick }: { exclude: string; onPick(uri: string): void }) {
  const { t } = useTranslation();
  const monitored = usePresenceStore((s) => s.monitored);
  const names = usePresenceStore((s) => s.names);
  const free = monitored.filter((e) => e.lamp === 'idle' && !numberIsUri(exclude, e.uri)).slice(0, MAX);
  if (free.length === 0) return null;
  return (
    <div className="transfer-picks" role="group" aria-label={t('presence.freeColleagues')}>
      <span className="transfer-picks__label" aria-hidden="true">{t('presence.freeColleagues')}</span>
      {free.map((e) => (
        <button key={e.uri} type="button" className="transfer-picks__item" onClick={() => onPick(e.uri)}>
          <Lamp state="idle" />{partyName(e.uri, names)}
        </button>
      ))}
    </div>
  );
}
