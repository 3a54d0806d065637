/** A SIP datagram as the hostile peers read it: start line, body, headers by name. Loose on purpose: no validation. */
export interface RawSip {
  text: string;
  startLine: string;
  /** Status code of a response, undefined for a request. */
  status: number | undefined;
  method: string | undefined;
  body: string;
  /** The first header of that name (case-insensitive), its value trimmed of the leading blanks. */
  header(name: string): string | undefined;
}

export function readRawSip(text: string): RawSip {
  const [head = '', body = ''] = text.split('\r\n\r\n');
  const lines = head.split('\r\n');
  const startLine = lines[0] ?? '';
  const status = /^SIP\/2\.0 (\d{3})/.exec(startLine)?.[1];
  return {
    text, startLine, body,
    status: status ? Number(status) : undefined,
    method: status ? undefined : startLine.split(' ')[0],
    header(name) {
      const re = new RegExp(`^${name}\\s*:\\s*(.*)$`, 'i');
      for (const l of lines.slice(1)) {
        const m = re.exec(l);
        if (m) return m[1];
      }
      return undefined;
    },
  };
}
