/**
 * XML bodies of event packages (PIDF, dialog-info, …) parsed with fast-xml-parser, behind limits
 * a hostile notifier cannot get past: at most 64 KiB, 32 levels deep, no DOCTYPE (so no entity
 * definitions, hence no entity expansion), well-formed or refused. The result is a small tree of
 * elements with local names (namespace prefixes dropped: packages match local names, which is how
 * deployed PIDF with any prefix choice stays readable).
 */
import { createRequire } from 'node:module';
import type { XMLParser } from 'fast-xml-parser';

type FastXmlParser = typeof import('fast-xml-parser');

export const maxXmlBodyBytes = 64 * 1024;
export const maxXmlDepth = 32;
/** Elements in one body: far more than any presence or dialog document has. */
export const maxXmlElements = 2048;

export interface XmlElement {
  /** Local name (no prefix). */
  name: string;
  /** Attributes by local name. */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Text directly inside the element, trimmed. */
  text: string;
}

export type XmlResult = { ok: true; root: XmlElement } | { ok: false; reason: string };

let xml: { lib: FastXmlParser; parser: XMLParser } | undefined;
/** fast-xml-parser loads at the first body parsed, not with every SIP stack (memory of a call, issue 10). */
function xmlParser(): { lib: FastXmlParser; parser: XMLParser } {
  if (xml) return xml;
  const lib = createRequire(import.meta.url)('fast-xml-parser') as FastXmlParser;
  return (xml = { lib, parser: new lib.XMLParser(parserOptions) });
}

const parserOptions = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: maxXmlDepth,
  // Only the five predefined entities and character references remain once DOCTYPE is refused.
  processEntities: { enabled: true, maxEntityCount: 1, maxExpandedLength: maxXmlBodyBytes },
  htmlEntities: false,
};

export function parseXmlBody(body: Buffer | string): XmlResult {
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (size > maxXmlBodyBytes) return { ok: false, reason: `XML body of ${size} bytes (limit ${maxXmlBodyBytes})` };
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return { ok: false, reason: 'XML with a DOCTYPE or entity declaration' };
  const shape = xmlShape(text);
  if (shape.depth > maxXmlDepth) return { ok: false, reason: `XML nested deeper than ${maxXmlDepth} levels` };
  if (shape.elements > maxXmlElements) return { ok: false, reason: `XML with more than ${maxXmlElements} elements` };
  const { lib, parser } = xmlParser();
  const valid = lib.XMLValidator.validate(text);
  if (valid !== true) return { ok: false, reason: `malformed XML: ${valid.err.msg} (line ${valid.err.line})` };
  let ordered: unknown;
  try {
    ordered = parser.parse(text);
  } catch (e) {
    return { ok: false, reason: `malformed XML: ${(e as Error).message}` };
  }
  const roots = toElements(ordered);
  if (roots.length !== 1) return { ok: false, reason: 'XML without exactly one root element' };
  return { ok: true, root: roots[0]! };
}

/**
 * Deepest element nesting and element count, in one pass without parsing (so a 64 KiB body of
 * `<a><a>…` is refused before a parser builds anything). Comments, CDATA and PIs are skipped.
 */
export function xmlShape(text: string): { depth: number; elements: number } {
  let depth = 0;
  let max = 0;
  let elements = 0;
  let i = 0;
  while ((i = text.indexOf('<', i)) >= 0) {
    const next = text[i + 1];
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      i = end < 0 ? text.length : end + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9);
      i = end < 0 ? text.length : end + 3;
      continue;
    }
    const close = text.indexOf('>', i + 1);
    if (close < 0) break;
    if (next === '/') depth--;
    else if (next !== '?' && next !== '!') {
      elements++;
      if (text[close - 1] !== '/') max = Math.max(max, ++depth);
    }
    i = close + 1;
  }
  return { depth: max, elements };
}

/** Character references (&#233; &#x1F600;), which the parser leaves as they are; invalid ones stay. */
function decodeCharRefs(s: string): string {
  if (!s.includes('&#')) return s;
  return s.replace(/&#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}));/g, (whole, hex: string | undefined, dec: string | undefined) => {
    const cp = hex !== undefined ? parseInt(hex, 16) : Number(dec);
    const valid = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff));
    return valid ? String.fromCodePoint(cp) : whole;
  });
}

/** fast-xml-parser's ordered output → our elements (depth is already bounded). */
function toElements(nodes: unknown): XmlElement[] {
  const out: XmlElement[] = [];
  if (!Array.isArray(nodes)) return out;
  for (const node of nodes as Array<Record<string, unknown>>) {
    for (const [key, value] of Object.entries(node)) {
      if (key === ':@' || key === '#text') continue;
      const attrs: Record<string, string> = {};
      const rawAttrs = node[':@'];
      if (rawAttrs && typeof rawAttrs === 'object') {
        for (const [name, v] of Object.entries(rawAttrs as Record<string, unknown>)) {
          if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') attrs[name] = decodeCharRefs(String(v));
        }
      }
      const kids = Array.isArray(value) ? value as Array<Record<string, unknown>> : [];
      const text = decodeCharRefs(kids.filter((k) => '#text' in k).map((k) => String(k['#text'])).join('').trim());
      out.push({ name: key, attrs, children: toElements(kids), text });
    }
  }
  return out;
}

/** First child element named `name` (local name). */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

export function childrenNamed(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}
