#!/usr/bin/env python3
"""Hold multicast forwarding cache entries in the current namespace for a test.

argv[1] is JSON: {"v4": [{"table": N|null, "vifs": [dev...], "mfcs": [[src, grp, parent, [ttl per vif]]]}],
                  "v6": [{"mifs": [dev...], "mfcs": [[src, grp, parent, [out mif...]]]}]}
Opens one raw socket per table (MRT_INIT/MRT6_INIT), adds the vifs/mifs and
MFC entries, prints "ready", and keeps the sockets (and so the entries) until
stdin closes. Numbers from linux/mroute.h and linux/mroute6.h.
"""
import json, socket, struct, sys

MRT_INIT, MRT_ADD_VIF, MRT_ADD_MFC, MRT_TABLE = 200, 202, 204, 209
VIFF_USE_IFINDEX = 0x8

cfg = json.loads(sys.argv[1])
keep = []
for t in cfg.get('v4', []):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_IGMP)
    if t.get('table') is not None:
        s.setsockopt(socket.IPPROTO_IP, MRT_TABLE, struct.pack('I', t['table']))
    s.setsockopt(socket.IPPROTO_IP, MRT_INIT, struct.pack('i', 1))
    for i, dev in enumerate(t['vifs']):
        # struct vifctl: vifi, flags, threshold, rate_limit, lcl_ifindex, rmt_addr
        s.setsockopt(socket.IPPROTO_IP, MRT_ADD_VIF, struct.pack('HBBIiI', i, VIFF_USE_IFINDEX, 1, 0, socket.if_nametoindex(dev), 0))
    for src, grp, parent, ttls in t['mfcs']:
        # struct mfcctl: origin, mcastgrp, parent, ttls[32], pkt/byte/wrong_if counts, expire
        s.setsockopt(socket.IPPROTO_IP, MRT_ADD_MFC, socket.inet_aton(src) + socket.inet_aton(grp) + struct.pack('H', parent)
                     + bytes(ttls + [0] * (32 - len(ttls))) + b'\0\0' + struct.pack('IIIi', 0, 0, 0, 0))
    keep.append(s)
for t in cfg.get('v6', []):
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.setsockopt(socket.IPPROTO_IPV6, MRT_INIT, struct.pack('i', 1))
    for i, dev in enumerate(t['mifs']):
        # struct mif6ctl: mifi, flags, threshold, pifi, rate_limit
        s.setsockopt(socket.IPPROTO_IPV6, MRT_ADD_VIF, struct.pack('HBBHxxI', i, 0, 1, socket.if_nametoindex(dev), 0))
    def sa(a):
        return struct.pack('HHI', socket.AF_INET6, 0, 0) + socket.inet_pton(socket.AF_INET6, a) + struct.pack('I', 0)
    for src, grp, parent, outs in t['mfcs']:
        bits = [0] * 8
        for o in outs:
            bits[o // 32] |= 1 << (o % 32)
        # struct mf6cctl: origin, mcastgrp, parent, if_set
        s.setsockopt(socket.IPPROTO_IPV6, MRT_ADD_MFC, sa(src) + sa(grp) + struct.pack('Hxx', parent) + struct.pack('8I', *bits))
    keep.append(s)
print('ready', flush=True)
sys.stdin.read()
