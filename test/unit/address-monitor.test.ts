/**
 * The monitor's object table: groups per object and family (as ip monitor
 * joins them), message classification, and decoder registration.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MONITOR_OBJECTS, MONITOR_OBJECT_NAMES, monitorTypes, registerMonitorDecoder, decodeNsid, decodeNetconf, netconfMessage } from '../../src/netlink/monitor.js';
import { RTM, RTNLGRP } from '../../src/netlink/constants.js';
import { Writer } from '../../src/netlink/codec/writer.js';
import { nsidMessage } from '../../src/netlink/netns.js';
import type { MessageView } from '../../src/netlink/socket.js';

const view = (type: number, payload: Buffer): MessageView => ({ type, flags: 0, seq: 0, pid: 0, buf: payload, off: 0, len: payload.length });

test('groups per object follow ip monitor (family-specific where iproute2 is)', () => {
  assert.deepEqual(MONITOR_OBJECTS.link.groups(0), [RTNLGRP.LINK]);
  assert.deepEqual(MONITOR_OBJECTS.address.groups(0), [RTNLGRP.IPV4_IFADDR, RTNLGRP.IPV6_IFADDR]);
  assert.deepEqual(MONITOR_OBJECTS.address.groups(2), [RTNLGRP.IPV4_IFADDR]);
  assert.deepEqual(MONITOR_OBJECTS.address.groups(10), [RTNLGRP.IPV6_IFADDR]);
  assert.deepEqual(MONITOR_OBJECTS.route.groups(0), [RTNLGRP.IPV4_ROUTE, RTNLGRP.IPV6_ROUTE, RTNLGRP.MPLS_ROUTE]);
  assert.deepEqual(MONITOR_OBJECTS.route.groups(10), [RTNLGRP.IPV6_ROUTE]);
  assert.deepEqual(MONITOR_OBJECTS.rule.groups(0), [RTNLGRP.IPV4_RULE, RTNLGRP.IPV6_RULE]);
  assert.deepEqual(MONITOR_OBJECTS.neigh.groups(2), [RTNLGRP.NEIGH]);
  assert.deepEqual(MONITOR_OBJECTS.nsid.groups(0), [RTNLGRP.NSID]);
  assert.deepEqual(MONITOR_OBJECTS.prefix.groups(2), []);
});

test('classification: new/del per type, multicast routes apart from routes, neighbour get', () => {
  const rt = (family: number): Buffer => Buffer.from([family, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(MONITOR_OBJECTS.route.classify(view(RTM.NEWROUTE, rt(2))), 'new');
  assert.equal(MONITOR_OBJECTS.route.classify(view(RTM.DELROUTE, rt(10))), 'del');
  assert.equal(MONITOR_OBJECTS.route.classify(view(RTM.NEWROUTE, rt(128))), undefined);
  assert.equal(MONITOR_OBJECTS.mroute.classify(view(RTM.NEWROUTE, rt(128))), 'new');
  assert.equal(MONITOR_OBJECTS.neigh.classify(view(RTM.GETNEIGH, Buffer.alloc(12))), 'get');
  assert.equal(MONITOR_OBJECTS.link.classify(view(RTM.NEWADDR, Buffer.alloc(8))), undefined);
  assert.equal(MONITOR_OBJECTS.address.classify(view(RTM.DELADDR, Buffer.alloc(8))), 'del');
});

test('monitorTypes: all, dedup, unknown rejected', () => {
  assert.deepEqual(monitorTypes('all'), [...MONITOR_OBJECT_NAMES]);
  assert.deepEqual(monitorTypes(['link', 'link', 'address']), ['link', 'address']);
  assert.throws(() => monitorTypes(['bogus' as 'link']), TypeError);
});

test('registerMonitorDecoder replaces the lazy lookup', () => {
  const saved = { decode: MONITOR_OBJECTS.nexthop.decode, lazy: MONITOR_OBJECTS.nexthop.lazy };
  try {
    registerMonitorDecoder('nexthop', (m) => ({ len: m.len }));
    assert.equal(MONITOR_OBJECTS.nexthop.lazy, undefined);
    assert.deepEqual(MONITOR_OBJECTS.nexthop.decode!(view(RTM.NEWNEXTHOP, Buffer.alloc(4))), { len: 4 });
  } finally {
    MONITOR_OBJECTS.nexthop.decode = saved.decode;
    if (saved.lazy) MONITOR_OBJECTS.nexthop.lazy = saved.lazy;
  }
});

test('netconf notifications decode', () => {
  const w = new Writer();
  netconfMessage.encode(w, { family: 10 }, { ifindex: -2, forwarding: 1, rp_filter: 2, proxy_neigh: 0 });
  assert.deepEqual(decodeNetconf(view(RTM.NEWNETCONF, w.toBuffer())), { family: 10, ifindex: -2, forwarding: 1, rp_filter: 2, proxy_neigh: 0 });
});

test('nsid notifications decode (unassigned is -1)', () => {
  const w = new Writer();
  nsidMessage.encode(w, { family: 0 }, { nsid: 5, current_nsid: -1 });
  assert.deepEqual(decodeNsid(view(RTM.NEWNSID, w.toBuffer())), { nsid: 5, 'current-nsid': -1 });
  const w2 = new Writer();
  nsidMessage.encode(w2, { family: 0 }, {});
  assert.deepEqual(decodeNsid(view(RTM.DELNSID, w2.toBuffer())), { nsid: -1 });
});
