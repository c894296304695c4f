/**
 * TIPC sockets without a kernel: the tipc_diag request against the bytes
 * iproute2's ss sends, replies (built byte by byte from the UAPI layout, and
 * captured from a 6.1 kernel) decoded into typed sockets, and the captured
 * replies printed the way iproute2 printed them on the same kernel.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writer } from '../../src/netlink/codec/writer.js';
import { decodeTipc, buildTipcRequest, tipcDiagAttrs, type TipcSocket } from '../../src/sockdiag/index.js';
import { UNKNOWN } from '../../src/netlink/codec/schema.js';
import { parseOptions, finishTables } from '../../src/cli/ss/options.js';
import { ColumnRenderer, COL } from '../../src/cli/ss/render.js';
import { LinkNames, CgroupPaths } from '../../src/cli/ss/lookup.js';
import { Services } from '../../src/sockdiag/names.js';
import { parseStateWords } from '../../src/sockdiag/filter-parser.js';
import { StringSink } from '../../src/output/printer.js';
import { printTipc } from '../../src/cli/ss/format-tipc.js';
import type { FormatContext } from '../../src/cli/ss/format.js';
import { repoRoot } from '../helpers/golden.js';

/** One netlink attribute: 16-bit length, 16-bit type, payload, padding to 4. */
function nla(type: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt16LE(4 + payload.length, 0);
  h.writeUInt16LE(type, 2);
  return Buffer.concat([h, payload, Buffer.alloc((4 - (payload.length % 4)) % 4)]);
}
const u32 = (v: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0, 0); return b; };
const u64 = (v: bigint): Buffer => { const b = Buffer.alloc(8); b.writeBigUInt64LE(v, 0); return b; };

test('tipc_diag request: the bytes ss 6.1 sends (strace), default and -a states', () => {
  for (const [states, payload] of [[0x482, '1e00000082040000'], [0xfff, '1e000000ff0f0000']] as const) {
    const w = new Writer();
    buildTipcRequest(w, 123456, states);
    const b = w.toBuffer();
    // nlmsghdr: len 24, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST|NLM_F_ROOT|NLM_F_MATCH, seq, pid 0.
    assert.equal(b.toString('hex'), '18000000' + '1400' + '0103' + '40e20100' + '00000000' + payload);
  }
});

test('a reply captured from Debian 6.1 (the topology server\'s listener) decodes into a typed socket', () => {
  // ss -a --tipc under strace in the VM: nlmsg payload of the kernel's SEQPACKET listener.
  const payload = Buffer.from(
    '60000200' + '08000200' + '6c1fb19f' + '08000100' + '00000000' + '04000400' + '08000600' + '05000000' +
    '08000900' + '0a000000' + '08000700' + '4c290000' + '08000800' + '00000000' + '0c000a00' + '0100000000000000' +
    '1c000500' + '08000000' + '00000000' + '08000100' + '00000000' + '08000400' + '00000000', 'hex');
  const s = decodeTipc(payload, 0, payload.length);
  assert.ok(s);
  assert.deepEqual(s, {
    kind: 'tipc', netid: 'ti_sq', type: 5, state: 10, stateName: 'LISTEN', recvQ: 0, sendQ: 0, inode: 10572, cookie: 1n,
    node: 0, ref: 2679185260, published: true, linkCongested: false, connCongested: false, drops: 0, uid: 0,
  } satisfies TipcSocket);
});

test('a connected socket: peer, service name, congestion, drops, group and unknown attributes', () => {
  const con = Buffer.concat([nla(1), nla(2, u32(0x01001001)), nla(3, u32(0x8000_0001)), nla(4, u32(18889)), nla(5, u32(7))]);
  const stat = Buffer.concat([nla(0, u32(3)), nla(1, u32(2)), nla(3), nla(4, u32(9))]);
  const group = Buffer.concat([nla(0, u32(42)), nla(1), nla(3), nla(4, u32(11)), nla(5, u32(77))]);
  const sock = Buffer.concat([
    nla(1, u32(0x01001002)), nla(2, u32(123456789)), nla(3 | 0x8000, con), nla(5 | 0x8000, stat), nla(6, u32(1)),
    nla(7, u32(4242)), nla(8, u32(1000)), nla(9, u32(1)), nla(10, u64(0xffff_0000_0000_0001n)), nla(12, group), nla(99, u32(5)),
  ]);
  const payload = nla(2, sock);
  const s = decodeTipc(payload, 0, payload.length);
  assert.ok(s);
  assert.equal(s.netid, 'ti_st');
  assert.equal(s.stateName, 'ESTAB');
  assert.equal(s.node, 0x01001002);
  assert.equal(s.ref, 123456789);
  assert.deepEqual(s.peer, { node: 0x01001001, ref: 0x8000_0001, service: { type: 18889, instance: 7 } });
  assert.equal(s.recvQ, 3);
  assert.equal(s.sendQ, 2);
  assert.equal(s.linkCongested, false);
  assert.equal(s.connCongested, true);
  assert.equal(s.drops, 9);
  assert.equal(s.published, false);
  assert.equal(s.uid, 1000);
  assert.equal(s.inode, 4242);
  assert.equal(s.cookie, 0xffff_0000_0000_0001n);
  assert.deepEqual(s.group, { id: 42, open: true, nodeScope: false, clusterScope: true, instance: 11, bcSendNext: 77 });
  // A newer kernel's attribute is kept by the schema (and does not break the socket).
  const raw = tipcDiagAttrs.decode(payload, 0, payload.length, {});
  assert.deepEqual(raw.sock?.[UNKNOWN], [{ type: 99, data: u32(5) }]);
  // Connected by port id (no TIPC_NLA_CON_FLAG): no service name.
  const byId = nla(2, Buffer.concat([nla(2, u32(5)), nla(3, Buffer.concat([nla(2, u32(1)), nla(3, u32(6))])), nla(6, u32(5)), nla(9, u32(1))]));
  assert.deepEqual(decodeTipc(byId, 0, byId.length)?.peer, { node: 1, ref: 6 });
  // Messages without a TIPC_NLA_SOCK nest are skipped, as ss skips them; types ss does not name are '???'.
  const other = nla(3, nla(1, u32(1)));
  assert.equal(decodeTipc(other, 0, other.length), null);
  const odd = nla(2, nla(6, u32(3)));
  assert.equal(decodeTipc(odd, 0, odd.length)?.netid, '???');
});

test('a truncated attribute is a typed parse error, not garbage', () => {
  const bad = Buffer.from('60000200080002006c1f', 'hex');
  assert.throws(() => decodeTipc(bad, 0, bad.length), { name: 'ParseError' });
});

interface Capture { kernel: string; messages: string[]; outputs: Record<string, string> }

/** Decode captured replies and print them as ss `args` would (tables/states/columns as ss's main()). */
function render(cap: Capture, args: string[]): string {
  const o = parseOptions(args);
  const st = parseStateWords(o.rest);
  if (st.saw) o.stateFilter = st.states;
  finishTables(o);
  const f = o.filter;
  const sink = new StringSink();
  const r = new ColumnRenderer(sink, -1);
  if (!(f.dbs & (f.dbs - 1))) r.disable(COL.NETID);
  if (!(f.states & (f.states - 1))) r.disable(COL.STATE);
  const ctx: FormatContext = {
    o, r, services: new Services(), links: new LinkNames(undefined), cgroups: new CgroupPaths(() => {}, false), owners: null,
    ephemeral: { min: 32768, max: 60999 }, dgProto: 'tcp', serviceCache: new Map(),
  };
  if (o.header) r.header();
  for (const hex of cap.messages) {
    const m = Buffer.from(hex, 'hex');
    const s = decodeTipc(m, 16, m.readUInt32LE(0) - 16);
    // The kernel applies the state mask (tipc_diag's request); the capture holds every state.
    if (s && (f.states & (1 << s.state))) printTipc(ctx, s);
  }
  r.render();
  return sink.toString();
}

test('captured 6.1 replies print exactly as iproute2 6.1 printed them', () => {
  const dir = path.join(repoRoot(), 'test', 'fixtures', 'tipc');
  const files = fs.readdirSync(dir).filter((n) => n.endsWith('.json'));
  assert.ok(files.length > 0);
  for (const file of files) {
    const cap = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Capture;
    assert.ok(cap.messages.length >= 8, `${file}: the capture holds the helper's sockets`);
    for (const [args, text] of Object.entries(cap.outputs)) {
      if (args.includes('netlink')) continue; // other tables: the VM test compares those
      assert.equal(render(cap, args.split(' ')), text, `${file}: ss ${args}`);
    }
  }
});
