/** Hold and resume by re-INVITE (RFC 3264 §8.4, RFC 6337): the media direction is set first. */
import type { Call } from './call.js';

/** sendonly, or inactive when the peer already holds us (RFC 6337 §5.3). */
export async function holdCall(call: Call): Promise<boolean> {
  call.media.localDirection = call.media.remoteHold ? 'inactive' : 'sendonly';
  const result = await call.session.reinvite();
  if (!result.ok) {
    call.media.localDirection = 'sendrecv';
    return false;
  }
  call.onHold = true;
  return true;
}

export async function resumeCall(call: Call): Promise<boolean> {
  call.media.localDirection = 'sendrecv';
  const result = await call.session.reinvite();
  if (!result.ok) {
    call.media.localDirection = call.media.remoteHold ? 'inactive' : 'sendonly';
    return false;
  }
  call.onHold = false;
  return true;
}
