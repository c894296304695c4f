/**
 * Rate tables and tick conversions against iproute2: every tbf/htb request
 * captured in the golden fixtures carries tc's rate tables and tick values;
 * recompute them from the same inputs with src/tc/psched.ts and compare.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadGolden } from '../helpers/golden.js';
import { parsePsched, calcRtable, adjustSize } from '../../src/tc/psched.js';
import { classMessage, qdiscMessage } from '../../src/tc/schema.js';
import { RTM } from '../../src/netlink/constants.js';
import { parseRate, parseSizeAndCell } from '../../src/tc/units.js';
import type { HtbOptions } from '../../src/tc/kinds/htb.js';
import type { TbfOptions } from '../../src/tc/kinds/tbf.js';
import '../../src/tc/kinds/index.js';

// /proc/net/psched of the machine the fixtures were captured on.
const ps = parsePsched('000003e8 00000040 000f4240 3b9aca00\n');

test('psched: tc_core_init arithmetic', () => {
  assert.equal(ps.tickInUsec, 15.625);
  assert.equal(ps.clockFactor, 1);
  assert.equal(ps.hz, 1000000000);
  assert.equal(ps.time2tick(64), 1000);
  assert.equal(ps.tick2time(1000), 64);
  assert.equal(ps.xmittime(125000n, 10240), 1280000);
  assert.equal(ps.xmitsize(125000n, 1280000), 10240);
  // Scalar conversions wrap to the low 32 bits like gcc's cvttsd2si.
  assert.equal(ps.xmittime(1, 280), (4375000000 % 2 ** 32));
  // Old-style psched (clock_res 1e9): t2us is taken as us2t.
  const old = parsePsched('000003e8 00000040 3b9aca00 00000064');
  assert.equal(old.tickInUsec, 1000);
  // Unreadable: tc's defaults.
  assert.equal(parsePsched('').tickInUsec, 1);
});

test('adjustSize: mpu floor and ATM cells', () => {
  assert.equal(adjustSize(10, 64, 1), 64);
  assert.equal(adjustSize(100, 0, 1), 100);
  assert.equal(adjustSize(48, 0, 2), 53);
  assert.equal(adjustSize(49, 0, 2), 106);
});

interface TableCase { cmd: string; name: string; table: number[]; spec: { rate: number; mpu: number; cell_log: number; linklayer: number } }

function tablesOf(): { tables: TableCase[]; ticks: Array<{ cmd: string; rate: bigint; size: number; ticks: number }> } {
  const tables: TableCase[] = [];
  const ticks: Array<{ cmd: string; rate: bigint; size: number; ticks: number }> = [];
  for (const c of [...loadGolden('tc-core'), ...loadGolden('tc-core-rates')]) {
    const m = c.buffers[0]!;
    const type = m.readUInt16LE(4);
    const codec = type === RTM.NEWTCLASS ? classMessage : type === RTM.NEWQDISC ? qdiscMessage : undefined;
    if (!codec) continue;
    const { attrs } = codec.decode(m, 16, m.length - 16);
    if (attrs.kind === 'tbf') {
      const o = attrs.options as TbfOptions;
      if (!o.parms || !o.rtab) continue;
      tables.push({ cmd: c.cmd, name: 'rtab', table: o.rtab, spec: o.parms.rate });
      if (o.ptab) tables.push({ cmd: c.cmd, name: 'ptab', table: o.ptab, spec: o.parms.peakrate });
      ticks.push({ cmd: c.cmd, rate: BigInt(o.parms.rate.rate), size: o.burst!, ticks: o.parms.buffer });
      if (o.pburst !== undefined) ticks.push({ cmd: c.cmd, rate: BigInt(o.parms.peakrate.rate), size: o.pburst, ticks: o.parms.mtu });
    } else if (attrs.kind === 'htb' && type === RTM.NEWTCLASS) {
      const o = attrs.options as HtbOptions;
      if (!o.parms || !o.rtab || !o.ctab) continue;
      tables.push({ cmd: c.cmd, name: 'rtab', table: o.rtab, spec: o.parms.rate });
      tables.push({ cmd: c.cmd, name: 'ctab', table: o.ctab, spec: o.parms.ceil });
      // Explicit bursts of the command line: tc_calc_xmittime(rate64, burst).
      const argv = c.cmd.split(' ');
      const rate64 = o.rate64 ?? BigInt(o.parms.rate.rate);
      const ceil64 = o.ceil64 ?? BigInt(o.parms.ceil.rate);
      for (const [kw, r, t] of [['burst', rate64, o.parms.buffer], ['cburst', ceil64, o.parms.cbuffer]] as const) {
        const i = argv.indexOf(kw);
        if (i >= 0) ticks.push({ cmd: c.cmd, rate: r, size: parseSizeAndCell(argv[i + 1]!)!.size, ticks: t });
      }
    }
  }
  return { tables, ticks };
}

const { tables, ticks } = tablesOf();

test('the fixtures hold many rate tables and tick values', () => {
  assert.ok(tables.length >= 60, `${tables.length} tables`);
  assert.ok(ticks.length >= 40, `${ticks.length} tick values`);
});

test('calcRtable equals every rate table tc sent', () => {
  for (const t of tables) {
    const ours = calcRtable(ps, { rate: t.spec.rate, mpu: t.spec.mpu, cellLog: t.spec.cell_log, linklayer: t.spec.linklayer });
    assert.equal(ours.cellLog, t.spec.cell_log);
    assert.deepEqual(Array.from(ours.table), t.table, `${t.cmd}: ${t.name}`);
  }
});

test('xmittime equals every tick value tc sent', () => {
  for (const t of ticks) assert.equal(ps.xmittime(t.rate, t.size), t.ticks, t.cmd);
});

test('cell_log derived from mtu as tc does', () => {
  assert.equal(calcRtable(ps, { rate: 125000, mtu: 0 }).cellLog, 3);
  assert.equal(calcRtable(ps, { rate: 125000, mtu: 1600 }).cellLog, 3);
  assert.equal(calcRtable(ps, { rate: 125000, mtu: 255 }).cellLog, 0);
  assert.equal(calcRtable(ps, { rate: 125000, mtu: 9000 }).cellLog, 6);
  assert.equal(calcRtable(ps, { rate: 125000, mtu: 65535 }).cellLog, 8);
  assert.equal(parseRate('1mbit'), 125000n);
});
