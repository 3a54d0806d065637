/**
 * While the current talking call uses ICE or TURN, its path stats are fetched every few seconds (the
 * selected pair, the ICE state and TURN counters change without a call event).
 */
import { useEffect } from 'react';
import type { CallSnapshot } from '../../../src-main/contract/calls.js';
import { useLink } from '../../app/link-context.js';
import { useCallsStore } from './calls-store.js';

const refreshMs = 2000;

export function useIceRefresh(call: CallSnapshot, shown: boolean): void {
  const link = useLink();
  const applyIce = useCallsStore((s) => s.applyIce);
  const watch = shown && call.ice !== undefined;
  useEffect(() => {
    if (!watch) return undefined;
    const timer = setInterval(() => {
      void link.invoke('calls.snapshot', {}).then((r) => { if (r.ok) applyIce(r.value.calls); });
    }, refreshMs);
    return () => clearInterval(timer);
  }, [watch, link, applyIce]);
}
