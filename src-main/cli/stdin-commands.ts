/**
 * The CLI's stdin commands, one per line, mapped onto call-manager commands (the contract).
 * Public interface: keep the words stable (README.md, "CLI").
 */
import type { Command } from '../contract/calls.js';

export type StdinCommand = { kind: 'manager'; command: Command } | { kind: 'calls' } | { kind: 'quit' } | { kind: 'error'; message: string }
  | PresenceCommand;

/** Presence, messages and pickup (issue 11), mapped onto the presence channels. */
export type PresenceCommand =
  | { kind: 'subscribe' | 'unsubscribe' | 'pickup'; uri: string }
  | { kind: 'message'; uri: string; text: string }
  | { kind: 'status'; status: 'available' | 'away' | 'busy' | 'dnd' };

export const stdinHelp = 'call <uri> | answer [ID] | reject [ID] | hangup [ID] | hold [ID] | resume [ID] | mute | unmute | ' +
  'transfer URI | atransfer ID_A ID_B | accept-transfer [ID] | reject-transfer [ID] | conference ID_A ID_B | dtmf DIGITS | ' +
  'dnd on|off | redial | calls | quit | ' +
  'subscribe URI | unsubscribe URI | message URI TEXT | status available|away|busy|dnd | pickup URI';

export function parseStdinCommand(line: string): StdinCommand | undefined {
  const [verb, ...args] = line.trim().split(/\s+/);
  const id = args[0] ? { callId: args[0] } : {};
  const m = (command: Command): StdinCommand => ({ kind: 'manager', command });
  switch (verb) {
    case '':
    case undefined:
      return undefined;
    case 'call':
      return args.length === 1 ? m({ type: 'dial', uri: args[0]! }) : usage('call <uri>');
    case 'answer': return m({ type: 'answer', ...id });
    case 'accept-transfer': return m({ type: 'accept-transfer', ...id });
    case 'reject-transfer': return m({ type: 'reject-transfer', ...id });
    case 'reject': return m({ type: 'reject', ...id });
    case 'hangup': return m({ type: 'hangup', ...id });
    case 'hold': return m({ type: 'hold', ...id });
    case 'resume': return m({ type: 'resume', ...id });
    case 'mute': return m({ type: 'mute' });
    case 'unmute': return m({ type: 'unmute' });
    case 'dtmf': return args.length === 1 ? m({ type: 'dtmf', digits: args[0]! }) : usage('dtmf DIGITS');
    case 'transfer': return args.length === 1 ? m({ type: 'transfer', uri: args[0]! }) : usage('transfer URI');
    case 'atransfer':
      return args.length === 2 ? m({ type: 'attended-transfer', callId: args[0]!, targetCallId: args[1]! }) : usage('atransfer ID_A ID_B');
    case 'conference':
      return args.length === 2 ? m({ type: 'conference', callIds: [args[0]!, args[1]!] }) : usage('conference ID_A ID_B');
    case 'dnd':
      return args[0] === 'on' || args[0] === 'off' ? m({ type: 'dnd', on: args[0] === 'on' }) : usage('dnd on|off');
    case 'redial': return m({ type: 'redial' });
    case 'calls': return { kind: 'calls' };
    case 'subscribe':
    case 'unsubscribe':
    case 'pickup':
      return args.length === 1 ? { kind: verb, uri: args[0]! } : usage(`${verb} URI`);
    case 'message': {
      // TEXT is the rest of the line, spaces kept.
      const m = /^\s*message\s+(\S+)\s(.*\S.*)$/.exec(line);
      return m ? { kind: 'message', uri: m[1]!, text: m[2]!.trim() } : usage('message URI TEXT');
    }
    case 'status':
      return args.length === 1 && /^(available|away|busy|dnd)$/.test(args[0]!)
        ? { kind: 'status', status: args[0] as 'available' | 'away' | 'busy' | 'dnd' } : usage('status available|away|busy|dnd');
    case 'quit': return { kind: 'quit' };
    default:
      return { kind: 'error', message: `unknown command ${JSON.stringify(verb)} (${stdinHelp})` };
  }
}

function usage(form: string): StdinCommand {
  return { kind: 'error', message: `usage: ${form}` };
}
