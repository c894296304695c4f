/**
 * IPv6 address selection labels (RFC 6724 policy table): `nl.addrlabel.list()`, `add`, `del`, `flush`.
 *
 * ```ts
 * await nl.addrlabel.add({ prefix: '2001:db8::/32', label: 100 });
 * for await (const l of nl.addrlabel.list()) console.log(`${l.address}/${l.prefixlen}`, l.label);
 * ```
 * @module
 */
import { NLM_F, RTM, AF } from './constants.js';
import { addrlabelMessage, ifaddrlblmsg, type IfAddrLblMsg, type AddrlabelAttrs } from './rtnetlink/addrlabel-schema.js';
import { rtRequest, CREATE_FLAGS } from './rtnetlink/request.js';
import type { NetlinkSocket, DumpOptions, DumpStream, RequestOptions, RequestBuilder, MessageView } from './socket.js';
import { ValidationError } from './errors.js';
import { formatAddress, parsePrefix } from './addr.js';

export { IFAL } from './rtnetlink/addrlabel-schema.js';

/** One entry of the address label table. */
export interface AddressLabel {
  readonly family: number;
  /** The prefix address as text; undefined when the entry has none. */
  readonly address: string | undefined;
  readonly prefixlen: number;
  /** Interface the entry is limited to; 0 for any. */
  readonly ifindex: number;
  /** undefined when the kernel sent no 4-byte IFAL_LABEL. */
  readonly label: number | undefined;
  /** The whole message as decoded. */
  readonly raw: { readonly header: IfAddrLblMsg; readonly attrs: AddrlabelAttrs };
}

/** Decode an RTM_NEWADDRLABEL/DELADDRLABEL message. */
export function decodeAddrlabel(m: MessageView): AddressLabel {
  const { header, attrs } = addrlabelMessage.decode(m.buf, m.off, m.len);
  const a = attrs.address;
  return {
    family: header.family,
    address: a && (a.length === 4 || a.length === 16) ? formatAddress(a, 0, a.length) : undefined,
    prefixlen: header.prefixlen,
    ifindex: header.index,
    label: attrs.label,
    raw: { header, attrs },
  };
}

/** An entry to add or delete. */
export interface AddressLabelSpec {
  /** `ADDR/LEN` (IPv6). */
  readonly prefix: string;
  /** 0 … 0xfffffffe. */
  readonly label: number;
  /** Limit to one interface. */
  readonly ifindex?: number;
}

/** The RTM_GETADDRLABEL dump request (rtnl_addrlbldump_req()'s bytes). */
export function addrlabelDumpRequest(family: number): RequestBuilder {
  return rtRequest(addrlabelMessage, RTM.GETADDRLABEL, NLM_F.DUMP, { ...ifaddrlblmsg.zero, family }, {});
}

function build(spec: AddressLabelSpec): { header: IfAddrLblMsg; attrs: AddrlabelAttrs } {
  const p = parsePrefix(spec.prefix);
  if (!p) throw new ValidationError(`invalid prefix "${spec.prefix}"`);
  if (!Number.isInteger(spec.label) || spec.label < 0 || spec.label >= 0xffffffff) throw new ValidationError(`invalid label ${spec.label}`);
  return {
    header: { ...ifaddrlblmsg.zero, family: p.family, prefixlen: p.len, index: spec.ifindex ?? 0 },
    // iproute2's order: label, then address.
    attrs: { label: spec.label, address: p.bytes },
  };
}

/** Address label operations on one namespace's rtnetlink socket. */
export class AddrlabelApi {
  constructor(private readonly sock: NetlinkSocket) {}

  /** Stream the label table (IPv6 unless told otherwise). */
  list(family: number = AF.INET6, opts: DumpOptions = {}): DumpStream<AddressLabel> {
    return this.sock.dump(addrlabelDumpRequest(family), (m) => (m.type === RTM.NEWADDRLABEL ? decodeAddrlabel(m) : undefined), 'list address labels', opts);
  }

  /** Add an entry (EEXIST if the prefix and interface already have one). */
  async add(spec: AddressLabelSpec, opts: RequestOptions = {}): Promise<void> {
    const { header, attrs } = build(spec);
    await this.sock.request(rtRequest(addrlabelMessage, RTM.NEWADDRLABEL, CREATE_FLAGS, header, attrs), 'add address label', opts);
  }

  /** Delete the entry of the prefix and interface (ESRCH if there is none). */
  async del(spec: AddressLabelSpec, opts: RequestOptions = {}): Promise<void> {
    const { header, attrs } = build(spec);
    await this.sock.request(rtRequest(addrlabelMessage, RTM.DELADDRLABEL, NLM_F.ACK, header, attrs), 'delete address label', opts);
  }

  /** Delete every entry, the kernel's defaults included (as `ip addrlabel flush`). Returns how many. */
  async flush(family: number = AF.INET6, opts: DumpOptions = {}): Promise<number> {
    const all = await this.list(family, opts).toArray();
    let n = 0;
    for (const l of all) {
      if (l.raw.attrs.address === undefined) continue;
      await this.sock.request(rtRequest(addrlabelMessage, RTM.DELADDRLABEL, NLM_F.ACK, l.raw.header, l.raw.attrs), 'flush address labels', opts);
      n++;
    }
    return n;
  }
}
