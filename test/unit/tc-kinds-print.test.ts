/**
 * Printing of the tc kinds this kernel lacks, checked against iproute2 on
 * real kernel replies: test/fixtures/golden/tc-kinds-replies.json holds,
 * per scenario and show command, the RTM_NEWQDISC/RTM_NEWTCLASS messages a
 * full kernel sent and what iproute2 6.1's tc printed from them (text and
 * -j), captured in the VM by test/integration/tc-kinds-replies.capture.ts.
 * We print the same messages through the tc command's printers (which call
 * the kind modules' print/printXstats/printClass) and compare.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Printer, StringSink } from '../../src/output/printer.js';
import type { MessageView } from '../../src/netlink/socket.js';
import type { TcEnv } from '../../src/tc/kind.js';
import '../../src/tc/kinds/index.js';
import { printQdisc } from '../../src/cli/tc/qdisc.js';
import { printClass } from '../../src/cli/tc/class.js';
import { TcLinks } from '../../src/cli/tc/common.js';
import { goldenPath } from '../helpers/golden.js';
import type { ReplyCapture } from '../integration/tc-kinds-replies.capture.js';

const file = goldenPath('tc-kinds-replies');
const captures: ReplyCapture[] = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ReplyCapture[]) : [];

// `show dev veth0` filters by ifindex, so tc never prints device names here.
const names = new TcLinks(new Map(), new Map());

function view(hex: string): MessageView {
  const buf = Buffer.from(hex, 'hex');
  return { type: buf.readUInt16LE(4), flags: buf.readUInt16LE(6), seq: 0, pid: 0, buf, off: 16, len: buf.readUInt32LE(0) - 16 };
}

function render(c: ReplyCapture, json: boolean): string {
  const sink = new StringSink();
  const p = new Printer(sink, { json });
  const env: TcEnv = {
    ifindex: c.ifindex, iec: false, raw: false, dev: 'veth0',
    stats: c.show.includes('-s') ? 1 : 0, details: c.show.includes('-d') ? 1 : 0,
  };
  const isClass = c.show.includes('class');
  // tc 6.1's class listing never opens a JSON context: `-j class show` prints text.
  if (!isClass) p.start();
  for (const hex of json ? c.jsonReplies : c.textReplies) {
    const m = view(hex);
    if (isClass) printClass(p, m, env, names, { ifindex: c.ifindex, qdisc: 0, classid: 0 });
    else printQdisc(p, m, env, names, { ifindex: c.ifindex, parent: 0, handle: 0 });
  }
  if (!isClass) p.finish();
  return sink.toString();
}

test('reply captures present (run the VM capture script to refresh)', () => {
  assert.ok(captures.length > 0, `no captures in ${file}`);
});

for (const c of captures) {
  const label = `${c.scenario}: tc ${c.show.join(' ')}`;
  test(`text: ${label}`, () => assert.equal(render(c, false), c.text));
  test(`json: ${label}`, () => assert.equal(render(c, true), c.json));
}
