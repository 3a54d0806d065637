/** CLI output: one JSON object per line (--json) or short human-readable lines. Never passwords. */
export type CliEvent =
  | { event: 'ready'; transport: string; address: string; port: number }
  | { event: 'registration'; account: string; state: string; reason?: string; status?: number; expires?: number }
  | { event: 'call'; id: string; direction: 'incoming' | 'outgoing'; remote: string; state: string; cause?: string; status?: number; reason?: string; codec?: string }
  | { event: 'notice'; message: string }
  | { event: 'error'; message: string };

export function createOutput(json: boolean, write: (line: string) => void = (l) => process.stdout.write(l + '\n')) {
  return (e: CliEvent) => {
    if (json) {
      write(JSON.stringify(e));
      return;
    }
    switch (e.event) {
      case 'ready': write(`listening on ${e.transport} ${e.address}:${e.port}`); break;
      case 'registration': write(`registration ${e.account}: ${e.state}${e.reason ? ` (${e.reason})` : ''}`); break;
      case 'call': write(`call ${e.id} ${e.direction} ${e.remote}: ${e.state}${e.cause ? ` (${e.cause}${e.status ? ` ${e.status}` : ''})` : ''}`); break;
      case 'notice': write(`notice: ${e.message}`); break;
      case 'error': write(`error: ${e.message}`); break;
    }
  };
}
