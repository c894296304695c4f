/* rip native addon: the `ip -batch` route-line scanner, for a whole run of
 * lines at once.
 *
 * This is the C twin of FastRouteLine in src/cli/ip/route-batch-fast.ts,
 * which stays the definition: the same grammar (`route VERB` then a
 * destination and `dev`/`via`/`metric`/`table`/`proto`/`scope`, each at
 * most once, in any order), the same request bytes (iproute2's attribute
 * order), and it declines at least every line that one declines. It declines
 * more (hexadecimal and octal numbers, and the like); the JavaScript scanner
 * or the general path then takes that line exactly as before, and
 * test/unit/route-batch-fast.test.ts checks all three against each other.
 *
 * Why C: bulk batches (100,000 route lines) are made of exactly these
 * lines. In JavaScript the first ~8,000 of them run before V8 has optimised
 * the scanner, and on a 2-core machine that JIT work and the GC compete
 * with the kernel inserting the routes on the sender thread. Here a line
 * costs ~0.1 µs and no allocation, and JavaScript runs once per chunk.
 *
 * Everything is read from and written to caller-owned buffers with every
 * access bounds-checked: a line may be any length and hold any bytes; what
 * is not exactly understood is declined, never guessed. */
#include "addon.h"
#include <linux/rtnetlink.h>

/* Largest request: nlmsghdr, rtmsg, and the five 8-byte attributes. */
#define ROUTE_REQ_MAX (16 + 12 + 5 * 8)
/* Entries of the info array before the per-request triples (see js_scan_routes). */
#define INFO_HEAD 8

enum { STOP_DECLINED = 0, STOP_FULL = 1, STOP_END = 2 };
/* Word kinds of the names blob built by route-batch-native.ts. */
enum { W_TABLE = 1, W_PROTO = 2, W_SCOPE = 3 };
/* Attributes in keyword order (iproute2 adds them while parsing). */
enum { K_DST = 1, K_GW, K_PRIO, K_TABLE };

typedef struct {
  const uint8_t *t; /* the batch file */
  size_t pos, end;  /* cursor and end of the current line */
  /* the parsed line */
  uint16_t type, flags, undo;
  int is_del, has_dev, has_scope, has_table, has_proto;
  uint32_t dst, gw, prio, table, oif;
  uint8_t dst_len, proto, scope;
  uint8_t order[4];
  int n_order;
} line_scan;

typedef struct { const uint8_t *p; size_t n; } blob;

static void skip_blanks(line_scan *s) {
  while (s->pos < s->end && s->t[s->pos] == ' ') s->pos++;
}

/* End of the token at the cursor; -1 when it holds a byte the general
 * splitter treats specially (quotes, `#`, other blanks, backslash) or
 * anything outside printable ASCII (so UTF-8 text is never interpreted). */
static ptrdiff_t token_end(const line_scan *s) {
  size_t i = s->pos;
  for (; i < s->end; i++) {
    uint8_t c = s->t[i];
    if (c == ' ') break;
    if (c < 33 || c > 126 || c == '"' || c == '#' || c == '\'' || c == '\\') return -1;
  }
  return (ptrdiff_t)i;
}

static int eq(const line_scan *s, size_t from, size_t to, const char *w) {
  size_t n = strlen(w);
  return to - from == n && memcmp(s->t + from, w, n) == 0;
}

/* A canonical decimal number (no sign, no leading zero except "0" itself:
 * other spellings are octal or hexadecimal to strtoul and are declined)
 * spanning exactly [from, to), at most `max`. */
static int decimal(const line_scan *s, size_t from, size_t to, uint32_t max, uint32_t *out) {
  size_t n = to - from;
  if (n < 1 || n > 10 || (n > 1 && s->t[from] == '0')) return 0;
  uint64_t v = 0;
  for (size_t i = from; i < to; i++) {
    uint8_t c = s->t[i];
    if (c < '0' || c > '9') return 0;
    v = v * 10 + (uint64_t)(c - '0');
  }
  if (v > max) return 0;
  *out = (uint32_t)v;
  return 1;
}

/* A dotted quad in canonical decimal ending exactly at `to`; advances past it. */
static int ipv4(line_scan *s, size_t to, uint32_t *out) {
  size_t i = s->pos;
  uint32_t addr = 0;
  for (int octet = 0; octet < 4; octet++) {
    size_t from = i;
    uint32_t v = 0;
    while (i < to && s->t[i] >= '0' && s->t[i] <= '9' && i - from < 4) v = v * 10 + (uint32_t)(s->t[i++] - '0');
    size_t n = i - from;
    if (n == 0 || n > 3 || v > 255 || (n > 1 && s->t[from] == '0')) return 0;
    addr = addr << 8 | v;
    if (octet < 3) {
      if (i >= to || s->t[i] != '.') return 0;
      i++;
    }
  }
  if (i != to) return 0;
  s->pos = i;
  *out = addr;
  return 1;
}

/* The destination: a canonical dotted quad with an optional canonical /N (N <= 32). */
static int prefix(line_scan *s) {
  ptrdiff_t e = token_end(s);
  if (e < 0) return 0;
  size_t end = (size_t)e;
  const uint8_t *slash = memchr(s->t + s->pos, '/', end - s->pos);
  size_t addr_end = slash ? (size_t)(slash - s->t) : end;
  uint32_t a, len = 32;
  if (!ipv4(s, addr_end, &a)) return 0;
  if (addr_end < end && !decimal(s, addr_end + 1, end, 32, &len)) return 0;
  /* decimal() allows "0"; the JavaScript scanner allows one or two digits
   * without a leading zero, which is the same set for 0..32. */
  s->dst = a;
  s->dst_len = (uint8_t)len;
  s->pos = end;
  return 1;
}

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }

/* A link name's ifindex from the links blob: a u32 "last hit" slot (offset
 * of the entry + 1, 0 for none; the common batch names one device on every
 * line, so that is one comparison), then entries of u32 ifindex, u16 name
 * length, name bytes. Any entry that does not fit the blob ends the search. */
static int link_index(blob *links, const uint8_t *name, size_t n, uint32_t *out) {
  if (links->n < 4 + 6) return 0;
  uint8_t *lb = (uint8_t *)links->p; /* the slot is ours to update */
  uint32_t hit = rd32(lb);
  if (hit > 4 && hit - 1 <= links->n - 6) {
    size_t at = hit - 1;
    size_t len = rd16(lb + at + 4);
    if (len == n && len <= links->n - at - 6 && memcmp(lb + at + 6, name, n) == 0) { *out = rd32(lb + at); return 1; }
  }
  for (size_t at = 4; links->n - at >= 6;) {
    size_t len = rd16(lb + at + 4);
    if (len > links->n - at - 6) break;
    if (len == n && memcmp(lb + at + 6, name, n) == 0) {
      uint32_t slot = (uint32_t)(at + 1);
      memcpy(lb, &slot, 4);
      *out = rd32(lb + at);
      return 1;
    }
    at += 6 + len;
  }
  return 0;
}

/* A table, protocol or scope name from the words blob (entries of u8 kind,
 * u16 length, u32 value, name bytes): the names iproute2 would resolve from
 * its built-in lists and /etc/iproute2, looked up before numbers as rtnl_*_a2n do. */
static int word_value(const blob *words, int kind, const uint8_t *w, size_t n, uint32_t *out) {
  for (size_t at = 0; at <= words->n && words->n - at >= 7;) {
    const uint8_t *e = words->p + at;
    size_t len = rd16(e + 1);
    if (len > words->n - at - 7) break;
    if (e[0] == kind && len == n && memcmp(e + 7, w, n) == 0) { *out = rd32(e + 3); return 1; }
    at += 7 + len;
  }
  return 0;
}

/* A table/proto/scope value: a name first, else a canonical number up to max. */
static int named(line_scan *s, const blob *words, int kind, size_t to, uint32_t max, uint32_t *out) {
  if (word_value(words, kind, s->t + s->pos, to - s->pos, out)) return 1;
  return decimal(s, s->pos, to, max, out);
}

/* Parse the line [s->pos, s->end); 1 if it is one this scanner takes, with
 * everything valid. Mirrors FastRouteLine.scan step by step. */
static int scan_line(line_scan *s, blob *links, const blob *words) {
  static const char route[] = "route";
  size_t rl = sizeof route - 1;
  if (s->end - s->pos <= rl || memcmp(s->t + s->pos, route, rl) != 0 || s->t[s->pos + rl] != ' ') return 0;
  s->pos += rl;
  skip_blanks(s);
  ptrdiff_t ve = token_end(s);
  if (ve < 0) return 0;
  size_t vb = s->pos, vend = (size_t)ve;
  s->undo = 0;
  s->is_del = 0;
  if (eq(s, vb, vend, "add")) { s->type = RTM_NEWROUTE; s->flags = NLM_F_CREATE | NLM_F_EXCL; s->undo = RTM_DELROUTE; }
  else if (eq(s, vb, vend, "change")) { s->type = RTM_NEWROUTE; s->flags = NLM_F_REPLACE; }
  else if (eq(s, vb, vend, "replace")) { s->type = RTM_NEWROUTE; s->flags = NLM_F_CREATE | NLM_F_REPLACE; }
  else if (eq(s, vb, vend, "prepend")) { s->type = RTM_NEWROUTE; s->flags = NLM_F_CREATE; }
  else if (eq(s, vb, vend, "append")) { s->type = RTM_NEWROUTE; s->flags = NLM_F_CREATE | NLM_F_APPEND; }
  else if (eq(s, vb, vend, "del") || eq(s, vb, vend, "delete")) { s->type = RTM_DELROUTE; s->flags = 0; s->is_del = 1; }
  else return 0;
  s->pos = vend;
  s->n_order = 0;
  s->has_dev = s->has_scope = s->has_table = s->has_proto = 0;
  unsigned seen = 0; /* a bit per keyword: duplicates go to the general path */
  for (;;) {
    skip_blanks(s);
    if (s->pos >= s->end) break;
    uint8_t c = s->t[s->pos];
    if (c >= '0' && c <= '9') {
      if (seen & 1) return 0;
      seen |= 1;
      if (!prefix(s)) return 0;
      s->order[s->n_order++] = K_DST;
      continue;
    }
    ptrdiff_t ke = token_end(s);
    if (ke < 0) return 0;
    size_t kb = s->pos, kend = (size_t)ke;
    s->pos = kend;
    skip_blanks(s);
    ptrdiff_t e = token_end(s);
    if (e < 0 || (size_t)e == s->pos) return 0; /* no value: the general path says so */
    size_t vto = (size_t)e;
    uint32_t v;
    if (eq(s, kb, kend, "dev")) {
      if (seen & 2) return 0;
      seen |= 2;
      if (!link_index(links, s->t + s->pos, vto - s->pos, &v)) return 0;
      s->oif = v;
      s->has_dev = 1;
    } else if (eq(s, kb, kend, "via")) {
      if (seen & 4) return 0;
      seen |= 4;
      if (!ipv4(s, vto, &v)) return 0;
      s->gw = v;
      s->order[s->n_order++] = K_GW;
    } else if (eq(s, kb, kend, "metric") || eq(s, kb, kend, "priority") || eq(s, kb, kend, "preference")) {
      if (seen & 8) return 0;
      seen |= 8;
      if (!decimal(s, s->pos, vto, 0xffffffffu, &v)) return 0;
      s->prio = v;
      s->order[s->n_order++] = K_PRIO;
    } else if (eq(s, kb, kend, "table")) {
      if (seen & 16) return 0;
      seen |= 16;
      if (!named(s, words, W_TABLE, vto, 0xffffffffu, &v)) return 0;
      s->table = v;
      s->has_table = 1;
      if (v >= 256) s->order[s->n_order++] = K_TABLE;
    } else if (eq(s, kb, kend, "proto") || eq(s, kb, kend, "protocol")) {
      if (seen & 32) return 0;
      seen |= 32;
      if (!named(s, words, W_PROTO, vto, 255, &v)) return 0;
      s->proto = (uint8_t)v;
      s->has_proto = 1;
    } else if (eq(s, kb, kend, "scope")) {
      if (seen & 64) return 0;
      seen |= 64;
      if (!named(s, words, W_SCOPE, vto, 255, &v)) return 0;
      s->scope = (uint8_t)v;
      s->has_scope = 1;
    } else {
      return 0;
    }
    s->pos = vto;
  }
  return (seen & 1) != 0;
}

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static uint8_t *attr32(uint8_t *p, uint16_t type, uint32_t v) { put16(p, 8); put16(p + 2, type); put32(p + 4, v); return p + 8; }
static uint8_t *attr_be32(uint8_t *p, uint16_t type, uint32_t v) {
  put16(p, 8); put16(p + 2, type);
  p[4] = (uint8_t)(v >> 24); p[5] = (uint8_t)(v >> 16); p[6] = (uint8_t)(v >> 8); p[7] = (uint8_t)v;
  return p + 8;
}

/* The request of a scanned line (as FastRouteLine.encode after the
 * header); its length, or 0 if it does not fit in `room` bytes. */
static size_t encode(const line_scan *s, uint8_t *out, size_t room, uint16_t nlm_flags, uint32_t seq) {
  size_t len = 16 + 12 + 8 * (size_t)s->n_order + (s->has_dev ? 8 : 0);
  if (len > room) return 0;
  int has_gw = 0;
  for (int k = 0; k < s->n_order; k++) if (s->order[k] == K_GW) has_gw = 1;
  uint32_t table = s->has_table ? s->table : RT_TABLE_MAIN;
  uint8_t scope = s->has_scope ? s->scope : s->is_del ? RT_SCOPE_NOWHERE : has_gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
  put32(out, (uint32_t)len);
  put16(out + 4, s->type);
  put16(out + 6, (uint16_t)(s->flags | nlm_flags));
  put32(out + 8, seq);
  put32(out + 12, 0);
  uint8_t *p = out + 16;
  p[0] = AF_INET; p[1] = s->dst_len; p[2] = 0; p[3] = 0;
  p[4] = (uint8_t)(table < 256 ? table : 0);
  p[5] = s->has_proto ? s->proto : s->is_del ? 0 : RTPROT_BOOT;
  p[6] = scope;
  p[7] = s->is_del ? 0 : RTN_UNICAST;
  put32(p + 8, 0);
  p += 12;
  for (int k = 0; k < s->n_order; k++) {
    switch (s->order[k]) {
      case K_DST: p = attr_be32(p, RTA_DST, s->dst); break;
      case K_GW: p = attr_be32(p, RTA_GATEWAY, s->gw); break;
      case K_PRIO: p = attr32(p, RTA_PRIORITY, s->prio); break;
      case K_TABLE: p = attr32(p, RTA_TABLE, table); break;
    }
  }
  if (s->has_dev) attr32(p, RTA_OIF, s->oif);
  return len;
}

/* The run of js_scan_routes, without N-API (so a harness can drive it
 * alone): `out` has room for INFO_HEAD + 3 * room entries. */
static uint32_t scan_run(const uint8_t *src, size_t src_len, uint32_t pos, uint32_t line,
                         uint8_t *chunk, size_t chunk_len, uint32_t off, uint32_t room, uint32_t seq,
                         uint16_t nlm_flags, blob *links, const blob *words, uint32_t *out) {
  line_scan s = { .t = src };
  uint32_t count = 0, reason = STOP_END;
  /* As runBatch's loop: a line starts at every pos <= src_len (the empty
   * one after a final newline included) and ends at the next '\n'. */
  while (pos <= src_len) {
    if (count >= room || chunk_len - off < ROUTE_REQ_MAX) { reason = STOP_FULL; break; }
    const uint8_t *nl = pos < src_len ? memchr(src + pos, '\n', src_len - pos) : NULL;
    size_t end = nl ? (size_t)(nl - src) : src_len;
    size_t i = pos;
    while (i < end && src[i] == ' ') i++;
    if (i == end) { pos = (uint32_t)end + 1; line++; continue; } /* an empty command */
    s.pos = pos; s.end = end;
    if (!scan_line(&s, links, words)) { reason = STOP_DECLINED; break; }
    size_t len = encode(&s, chunk + off, chunk_len - off, nlm_flags, seq + count);
    if (!len) { reason = STOP_FULL; break; } /* cannot happen after the check above */
    uint32_t *e = out + INFO_HEAD + 3 * count;
    e[0] = off; e[1] = line + 1; e[2] = s.undo;
    off += (uint32_t)len;
    count++;
    pos = (uint32_t)end + 1;
    line++;
  }
  out[0] = count; out[1] = pos; out[2] = line; out[3] = off; out[4] = reason;
  return count;
}

#ifndef ROUTE_SCAN_NO_NAPI /* the fuzz harness (test/native/route-scan-fuzz.c) builds the scanner alone */
static int get_u32(napi_env env, napi_value v, uint32_t *out) {
  return napi_get_value_uint32(env, v, out) == napi_ok;
}

/* scanRoutes(src, pos, lineIndex, chunk, offset, room, seq, nlmFlags, links, words, info):
 * encode the route lines of `src` from byte `pos` (line index `lineIndex`,
 * 0-based) into `chunk` from `offset`, at most `room` requests, numbered
 * from `seq`, with `nlmFlags` added to each verb's flags. Lines of spaces
 * only are skipped (they are empty commands). Stops at the first line it
 * declines (left unread), a full chunk, or the end of `src`. Returns the
 * requests written; info (a Uint32Array) receives [count, pos, lineIndex,
 * offset, stop reason] and from index 8, per request, its start offset in
 * `chunk`, its line number (1-based) and the message type that undoes it. */
FN(js_scan_routes) { ARGS(11);
  BUF(0, srcp, src_len); BUF(3, chunkp, chunk_len); BUF(8, linksp, links_len); BUF(9, wordsp, words_len);
  uint32_t pos, line, off, room, seq, nlm_flags;
  if (!get_u32(env, argv[1], &pos) || !get_u32(env, argv[2], &line) || !get_u32(env, argv[4], &off) ||
      !get_u32(env, argv[5], &room) || !get_u32(env, argv[6], &seq) || !get_u32(env, argv[7], &nlm_flags))
    return type_err(env, "scanRoutes: positions, room, seq and flags must be numbers");
  napi_typedarray_type tt; size_t info_len; void *infop; napi_value ab; size_t boff;
  bool is_ta = false;
  napi_is_typedarray(env, argv[10], &is_ta);
  if (!is_ta || napi_get_typedarray_info(env, argv[10], &tt, &info_len, &infop, &ab, &boff) != napi_ok ||
      tt != napi_uint32_array || info_len < INFO_HEAD)
    return type_err(env, "scanRoutes: info must be a Uint32Array of at least 8 entries");
  /* Positions are 32-bit; readFileSync never returns more than 2 GiB. */
  if (src_len >= UINT32_MAX || chunk_len >= UINT32_MAX || pos > src_len + 1 || off > chunk_len || (off & 3) || nlm_flags > 0xffff)
    return type_err(env, "scanRoutes: position, offset or flags out of range");
  if (room > (info_len - INFO_HEAD) / 3) room = (uint32_t)((info_len - INFO_HEAD) / 3);
  blob links = { linksp, links_len }, words = { wordsp, words_len };
  uint32_t count = scan_run(srcp, src_len, pos, line, chunkp, chunk_len, off, room, seq, (uint16_t)nlm_flags,
                            &links, &words, infop);
  return num(env, count);
}

void define_route_scan(napi_env env, napi_value exports) {
  napi_value f;
  napi_create_function(env, "scanRoutes", NAPI_AUTO_LENGTH, js_scan_routes, NULL, &f);
  setp(env, exports, "scanRoutes", f);
}
#endif
