/** Answer-after hints (RFC 5373 Answer-Mode, Call-Info answer-after, Alert-Info intercom). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequest, parseUri } from '../../../src-main/sip/message/index.js';
import { answerAfterSeconds } from '../../../src-main/sip/ua/session/auto-answer-hints.js';

const invite = (...headers: Array<[string, string]>) => createRequest('INVITE', parseUri('sip:a@b'), headers);

const cases: Array<[string, Array<[string, string]>, number | undefined]> = [
  ['RFC 5373 no hint', [], undefined],
  ['RFC 5373 §6.1 Answer-Mode: Auto', [['Answer-Mode', 'Auto']], 0],
  ['RFC 5373 §6.1 Answer-Mode: Auto;require', [['Answer-Mode', 'Auto;require']], 0],
  ['RFC 5373 §6.1 Answer-Mode: Manual', [['Answer-Mode', 'Manual'], ['Call-Info', '<sip:x>;answer-after=3']], undefined],
  ['RFC 5373 §6.2 Priv-Answer-Mode wins over Answer-Mode', [['Answer-Mode', 'Manual'], ['Priv-Answer-Mode', 'Auto']], 0],
  ['RFC 3261 §20.9 Call-Info answer-after=0', [['Call-Info', '<sip:pbx.example.com>;answer-after=0']], 0],
  ['RFC 3261 §20.9 Call-Info answer-after=5 on an http URI', [['Call-Info', '<http://x.example/a>;purpose=info;answer-after=5']], 5],
  ['RFC 3261 §20.9 Call-Info with a list, second element', [['Call-Info', '<http://x/icon>;purpose=icon, <sip:y>;answer-after=2']], 2],
  ['RFC 3261 §20.4 Alert-Info info=alert-autoanswer', [['Alert-Info', '<http://www.notused.com>;info=alert-autoanswer']], 0],
  ['RFC 3261 §20.4 Alert-Info info=alert-autoanswer;delay=3', [['Alert-Info', '<http://www.notused.com>;info=alert-autoanswer;delay=3']], 3],
  ['RFC 3261 §20.4 Alert-Info info=intercom', [['Alert-Info', '<sip:x>;info=intercom']], 0],
  ['RFC 3261 §20.4 Alert-Info with a ring tone only', [['Alert-Info', '<http://x/ring.wav>']], undefined],
  ['RFC 3261 §20.9 malformed answer-after', [['Call-Info', '<sip:x>;answer-after=soon']], undefined],
];

for (const [name, headers, expected] of cases) {
  test(`answerAfterSeconds: ${name}`, () => assert.equal(answerAfterSeconds(invite(...headers)), expected));
}
