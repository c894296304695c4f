/** Generic netlink family resolution against the running kernel (needs no root). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GenericNetlink } from '../../src/netlink/genl.js';
import { NetlinkError } from '../../src/netlink/errors.js';

test('resolves nlctrl and lists families', async () => {
  await using genl = await GenericNetlink.open();
  const ctrl = await genl.family('nlctrl');
  assert.equal(ctrl.id, 16);
  assert.equal(ctrl.name, 'nlctrl');
  assert.equal(ctrl.groups.get('notify'), 16);
  const all = await genl.families().toArray();
  assert.ok(all.some((f) => f.name === 'nlctrl' && f.id === 16));
  assert.equal(new Set(all.map((f) => f.id)).size, all.length);
  const missing = await genl.family('no-such-family').catch((e: unknown) => e);
  assert.ok(missing instanceof NetlinkError);
  assert.equal(missing.code, 'ENOENT');
});
