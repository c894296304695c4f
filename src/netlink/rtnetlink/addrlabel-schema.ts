/**
 * RTM_*ADDRLABEL message schema (linux/if_addrlabel.h): struct ifaddrlblmsg
 * + IFAL_* attributes (IPv6 address selection labels, RFC 6724).
 * @module
 */
import { attrs, attr, u8, u32, bytes, struct, message, type Infer } from '../codec/schema.js';
import { constants } from '../constants.js';

/** IFAL_* attributes. */
export const IFAL = constants('IFAL_', ['linux/if_addrlabel.h'], { ADDRESS: 1, LABEL: 2 });

/** struct ifaddrlblmsg */
export const ifaddrlblmsg = struct('ifaddrlblmsg', {
  family: u8, reserved: u8, prefixlen: u8, flags: u8, index: u32, seq: u32,
});
export type IfAddrLblMsg = Infer<typeof ifaddrlblmsg>;

/** IFAL_* attribute set; the address is raw bytes (its length is the family's, or 0 for `default` as iproute2 may send it). */
export const addrlabelAttrs = attrs('IFAL', {
  address: attr(IFAL.ADDRESS, bytes),
  label: attr(IFAL.LABEL, u32),
});
export type AddrlabelAttrs = Infer<typeof addrlabelAttrs>;

/** A whole RTM_*ADDRLABEL body. */
export const addrlabelMessage = message('ifaddrlblmsg', ifaddrlblmsg, addrlabelAttrs);
