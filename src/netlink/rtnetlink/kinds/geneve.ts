/**
 * GENEVE (`kind: 'geneve'`) IFLA_INFO_DATA schema (IFLA_GENEVE_*).
 * @module
 */
import { attrs, attr, u8, u32, be16, be32, flag, type Infer, type Codec } from '../../codec/schema.js';
import { constants } from '../../constants.js';
import { linkKinds, type KindData } from '../link-schema.js';
import { in4, in6 } from './common.js';

/** IFLA_GENEVE_* */
export const IFLA_GENEVE = constants('IFLA_GENEVE_', ['linux/if_link.h'], {
  UNSPEC: 0, ID: 1, REMOTE: 2, TTL: 3, TOS: 4, PORT: 5, COLLECT_METADATA: 6, REMOTE6: 7, UDP_CSUM: 8,
  UDP_ZERO_CSUM6_TX: 9, UDP_ZERO_CSUM6_RX: 10, LABEL: 11, TTL_INHERIT: 12, DF: 13, INNER_PROTO_INHERIT: 14,
});

/** IFLA_INFO_DATA of a GENEVE device. */
export const geneveData = attrs('geneve', {
  id: attr(IFLA_GENEVE.ID, u32),
  remote: attr(IFLA_GENEVE.REMOTE, in4),
  remote6: attr(IFLA_GENEVE.REMOTE6, in6),
  ttl: attr(IFLA_GENEVE.TTL, u8),
  ttl_inherit: attr(IFLA_GENEVE.TTL_INHERIT, u8),
  tos: attr(IFLA_GENEVE.TOS, u8),
  df: attr(IFLA_GENEVE.DF, u8),
  label: attr(IFLA_GENEVE.LABEL, be32),
  /** Destination UDP port (host order; big-endian on the wire). */
  port: attr(IFLA_GENEVE.PORT, be16),
  collect_metadata: attr(IFLA_GENEVE.COLLECT_METADATA, flag),
  udp_csum: attr(IFLA_GENEVE.UDP_CSUM, u8),
  udp_zero_csum6_tx: attr(IFLA_GENEVE.UDP_ZERO_CSUM6_TX, u8),
  udp_zero_csum6_rx: attr(IFLA_GENEVE.UDP_ZERO_CSUM6_RX, u8),
  inner_proto_inherit: attr(IFLA_GENEVE.INNER_PROTO_INHERIT, flag),
});
/** GENEVE attributes. */
export type GeneveData = Infer<typeof geneveData>;

linkKinds.set('geneve', geneveData as Codec<KindData>);
