/* Fuzz harness for native/route-scan.c, built with AddressSanitizer and
 * UndefinedBehaviorSanitizer by test/unit/route-scan-fuzz.test.ts: random
 * and mutated route lines, in buffers of exactly their size (source, chunk,
 * link and word blobs, result array), so any read or write out of bounds
 * stops the run. It includes the scanner's source to reach its static
 * scan_run(), without its N-API entry point (ROUTE_SCAN_NO_NAPI). Prints
 * the requests taken and the runs made. */
#define ROUTE_SCAN_NO_NAPI
#include "../../native/route-scan.c"

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(uint32_t n) {
  rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
  return n ? (uint32_t)(rng % n) : 0;
}

static const char *const lines[] = {
  "route add 10.1.2.3/32 dev veth0", "route del 10.1.2.0/24 dev eth1 metric 7",
  "route replace 192.0.2.0/24 via 10.0.0.1 table 300", "route add 10.0.0.0/8 table main proto static scope link",
  "route append 0.0.0.0/0 via 10.0.0.1 dev a-b.c proto 99 scope 200", "route prepend 10.9.9.9 metric 4294967295",
  "route change 10.0.0.0/16 dev veth0 table 4294967295", "   ", "", "# comment", "route add 10.1.1.1/32 dev nosuch",
};
static const char *const frags[] = {
  "0", "1", "9", "25", "255", "256", "4294967296", ".", "/", " ", "  ", "\t", "\r", "#", "\"", "\\", "x", "dev", "via",
  "table", "proto", "scope", "metric", "route", "add", "\xff", "\xc3\xa9", "veth0", "main", "static", "link",
};

/* A blob of u32 last-hit slot + (u32 index, u16 len, name) entries, cut to `cut` bytes if smaller. */
static size_t make_links(uint8_t *b, size_t cap) {
  static const char *const names[] = {"veth0", "eth1", "a-b.c", "v", ""};
  size_t n = 4;
  uint32_t slot = rnd(4) ? 0 : rnd(200);
  memcpy(b, &slot, 4);
  for (size_t i = 0; i < sizeof names / sizeof names[0] && n + 6 + 16 <= cap; i++) {
    uint32_t idx = (uint32_t)i + 1; uint16_t len = (uint16_t)strlen(names[i]);
    memcpy(b + n, &idx, 4); memcpy(b + n + 4, &len, 2); memcpy(b + n + 6, names[i], len);
    n += 6 + len;
  }
  return rnd(5) ? n : rnd((uint32_t)n + 1);
}
static size_t make_words(uint8_t *b) {
  static const struct { uint8_t kind; const char *w; uint32_t v; } ws[] = {
    {W_TABLE, "main", 254}, {W_TABLE, "local", 255}, {W_PROTO, "static", 4}, {W_SCOPE, "link", 253}, {W_SCOPE, "host", 254},
  };
  size_t n = 0;
  for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++) {
    uint16_t len = (uint16_t)strlen(ws[i].w);
    b[n] = ws[i].kind; memcpy(b + n + 1, &len, 2); memcpy(b + n + 3, &ws[i].v, 4); memcpy(b + n + 7, ws[i].w, len);
    n += 7 + len;
  }
  return rnd(5) ? n : rnd((uint32_t)n + 1);
}

int main(int argc, char **argv) {
  long iters = argc > 1 ? atol(argv[1]) : 100000;
  char text[4096];
  uint8_t lb[256], wb[256];
  unsigned long taken = 0, runs = 0;
  for (long it = 0; it < iters; it++) {
    /* A file of a few lines, each a known line mutated, or fragments. */
    size_t n = 0;
    for (int k = 1 + (int)rnd(6); k > 0 && n < 3000; k--) {
      char l[512];
      size_t ln = 0;
      if (rnd(3)) {
        const char *b = lines[rnd(sizeof lines / sizeof lines[0])];
        ln = strlen(b); memcpy(l, b, ln);
        for (int m = (int)rnd(3); m > 0 && ln < 400; m--) {
          size_t at = rnd((uint32_t)ln + 1);
          const char *f = frags[rnd(sizeof frags / sizeof frags[0])];
          size_t fl = strlen(f);
          if (rnd(2)) { memmove(l + at + fl, l + at, ln - at); memcpy(l + at, f, fl); ln += fl; }
          else if (at < ln) { memmove(l + at, l + at + 1, ln - at - 1); ln--; }
        }
      } else {
        for (int m = (int)rnd(12); m > 0 && ln < 400; m--) {
          const char *f = frags[rnd(sizeof frags / sizeof frags[0])];
          size_t fl = strlen(f);
          memcpy(l + ln, f, fl); ln += fl;
        }
      }
      memcpy(text + n, l, ln); n += ln;
      if (k > 1 || rnd(2)) text[n++] = '\n';
    }
    uint8_t *src = malloc(n ? n : 1);
    memcpy(src, text, n);
    size_t links_n = make_links(lb, sizeof lb), words_n = make_words(wb);
    uint8_t *links_p = malloc(links_n ? links_n : 1), *words_p = malloc(words_n ? words_n : 1);
    memcpy(links_p, lb, links_n); memcpy(words_p, wb, words_n);
    blob links = { links_p, links_n }, words = { words_p, words_n };
    size_t chunk_len = rnd(700);
    uint8_t *chunk = malloc(chunk_len ? chunk_len : 1);
    uint32_t pos = 0, line = 0;
    while (pos <= n) {
      uint32_t room = 1 + rnd(8);
      uint32_t off = (uint32_t)(rnd((uint32_t)chunk_len / 4 + 1) * 4);
      uint32_t *out = malloc((INFO_HEAD + 3 * room) * sizeof *out);
      uint32_t c = scan_run(src, n, pos, line, chunk, chunk_len, off, room, 1, 1, &links, &words, out);
      runs++;
      if (c > room || out[3] > chunk_len || out[1] > n + 1 || out[1] < pos) { fprintf(stderr, "bad result\n"); return 1; }
      uint32_t at = off;
      for (uint32_t i = 0; i < c; i++) {
        uint32_t len; memcpy(&len, chunk + at, 4);
        if (out[INFO_HEAD + 3 * i] != at || len < 28 || len > ROUTE_REQ_MAX) { fprintf(stderr, "bad request\n"); return 1; }
        at += len;
      }
      if (at != out[3]) { fprintf(stderr, "bad end\n"); return 1; }
      taken += c;
      if (out[4] == STOP_DECLINED) { /* the caller reads that line: skip it */
        const uint8_t *nl = memchr(src + out[1], '\n', n - out[1]);
        pos = nl ? (uint32_t)(nl - src) + 1 : (uint32_t)n + 1;
        line = out[2] + 1;
      } else if (out[4] == STOP_FULL && c == 0) {
        free(out);
        break; /* no room for a request in this chunk */
      } else {
        pos = out[1]; line = out[2];
      }
      free(out);
    }
    free(chunk); free(links_p); free(words_p); free(src);
  }
  printf("%lu %lu\n", taken, runs);
  return 0;
}
