/* rip native addon: ProcScan, the /proc walk behind ss -p/-T (which process
 * holds which socket), done on background threads.
 *
 * ss finds a socket's owners by reading every /proc/PID/fd/N link (and, for
 * -T, every thread's). With tens of thousands of socket fds that walk costs
 * as much as the whole socket dump, and in JS (one readlinkSync per fd) more
 * than twice as much. A ProcScan starts the walk before the dump, on threads
 * of its own, and JS collects the result when it prints the first socket
 * (taking part in what is left of the walk rather than sleeping).
 *
 * The walk follows ss's user_ent_hash_build (iproute2 6.1 misc/ss.c): the
 * entries of $PROC_ROOT that start with a number (sscanf "%d"), in readdir
 * order; for each, ROOT/PID/fd/ and, with threads, ROOT/TID/fd/ of each
 * ROOT/PID/task/TID other than PID itself; each fd entry that starts with a
 * number, whose link reads "socket:[INODE]"; the command name from
 * ROOT/ID/stat ("%*d (%[^)])": up to the first ')'), read at the first socket
 * of each fd directory. Processes come and go during the walk: a directory
 * or link that cannot be read (ENOENT, ESRCH, EACCES …) is skipped, as ss does.
 *
 * Work is split by /proc entry (a process with its threads): each worker
 * takes the next entry and fills that entry's own result, and the last
 * worker to finish concatenates them in /proc's order, so the result is the
 * same whatever the number of workers or how they were scheduled. */
#include "addon.h"
#include <ctype.h>
#include <dirent.h>
#include <limits.h>

#define PS_MAX_WORKERS 4
/* Longest path built: ROOT (checked in the constructor) + "/%d/task/" + name. */
#define PS_PATH 4352
/* ss reads links into char[64]; socket:[4294967295] needs 19 bytes. */
#define PS_LINK 64
/* How much of a stat file is read for the name: a real one is far shorter
 * and the kernel's comm has at most 15 bytes. */
#define PS_STAT 4096

/* One socket fd found (ps_assemble writes it out as five 32-bit words). */
typedef struct { uint32_t ino; int32_t pid, tid, fd; uint32_t comm; } ps_rec;

/* What one /proc entry yielded: its records and the names they refer to
 * (NUL-terminated, back to back; a record's comm counts names in this unit). */
typedef struct {
  ps_rec *recs; size_t nrec, caprec;
  char *names; size_t nlen, ncap; uint32_t nnames;
} ps_unit;

typedef struct {
  pthread_mutex_t mu; pthread_cond_t cv;
  pthread_t th[PS_MAX_WORKERS]; int nth;
  char root[PS_PATH]; /* ends with '/' */
  int threads;
  uint32_t *only; size_t nonly; /* sorted; NULL: keep every socket */
  int *ids; size_t nids, capids; /* the numeric /proc entries, in readdir order */
  ps_unit *units;
  int listing, listed; /* one worker lists /proc; the others wait for it */
  size_t next; /* next entry to take */
  int running, done, err, quit, joined;
  /* The result, assembled by the last worker (see ps_assemble). */
  uint32_t *out; size_t nout, outwords; int bits;
  char *outn; size_t outnlen; uint32_t noutn;
} procscan;

static int ps_quit(procscan *s) { return __atomic_load_n(&s->quit, __ATOMIC_RELAXED); }

/* sscanf's "%d" at the start of `p` (leading white space, a sign): ss
 * accepts every name that starts with a number and uses that number. */
static int ps_parse_int(const char *p, int *out) {
  while (isspace((unsigned char)*p)) p++;
  int neg = *p == '-';
  if (*p == '+' || *p == '-') p++;
  if (!isdigit((unsigned char)*p)) return 0;
  long long v = 0;
  for (; isdigit((unsigned char)*p); p++) {
    v = v * 10 + (*p - '0');
    if (v > (long long)INT_MAX + 1) return 0; /* out of range: undefined in sscanf, skipped here */
  }
  if (neg) v = -v;
  if (v > INT_MAX || v < INT_MIN) return 0;
  *out = (int)v;
  return 1;
}

/* The inode of "socket:[N]": digits only, within 32 bits (as the kernel writes it). */
static int ps_parse_ino(const char *p, uint32_t *out) {
  if (!isdigit((unsigned char)*p)) return 0;
  uint64_t v = 0;
  for (; isdigit((unsigned char)*p); p++) {
    v = v * 10 + (uint64_t)(*p - '0');
    if (v > UINT32_MAX) return 0;
  }
  *out = (uint32_t)v;
  return 1;
}

static int ps_cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* Grow `*p` (elements of `size` bytes, capacity `*cap`) to hold `need`; 0 on ENOMEM. */
static int ps_grow(void **p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return 1;
  size_t n = *cap ? *cap : 64;
  while (n < need) {
    if (n > SIZE_MAX / 2 / size) return 0;
    n *= 2;
  }
  void *q = realloc(*p, n * size);
  if (!q) return 0;
  *p = q; *cap = n;
  return 1;
}

/* The command name of ROOT/ID/stat, as ss's fscanf "%*d (%[^)])" reads it
 * (a missing or unreadable file, or another format: ""), into `name`. */
static void ps_read_comm(procscan *s, int id, char *name, size_t size) {
  char path[PS_PATH], buf[PS_STAT];
  name[0] = '\0';
  int n = snprintf(path, sizeof path, "%s%d/stat", s->root, id);
  if (n < 0 || (size_t)n >= sizeof path) return;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  size_t len = 0;
  while (len < sizeof buf - 1) {
    ssize_t r = read(fd, buf + len, sizeof buf - 1 - len);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    len += (size_t)r;
  }
  close(fd);
  buf[len] = '\0';
  const char *p = buf;
  while (isspace((unsigned char)*p)) p++;
  if (*p == '+' || *p == '-') p++;
  if (!isdigit((unsigned char)*p)) return;
  while (isdigit((unsigned char)*p)) p++;
  while (isspace((unsigned char)*p)) p++;
  if (*p++ != '(') return;
  /* Up to ')' or the end of what was read; the NUL also ends ss's C string. */
  size_t k = 0;
  while (p[k] && p[k] != ')' && k < size - 1) k++;
  memcpy(name, p, k);
  name[k] = '\0';
}

/* Scan ROOT/ID/fd/ for sockets, recorded with owner (pid, tid = ID). 0 on ENOMEM. */
static int ps_scan_fds(procscan *s, ps_unit *u, int pid, int id) {
  char path[PS_PATH];
  int n = snprintf(path, sizeof path, "%s%d/fd/", s->root, id);
  if (n < 0 || (size_t)n >= sizeof path) return 1;
  int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return 1; /* gone, or not ours to read */
  DIR *d = fdopendir(dfd);
  if (!d) { close(dfd); return 1; }
  int have_comm = 0;
  uint32_t comm = 0;
  struct dirent *e;
  /* readdir ends with NULL on an error too (the process exited): what was read is kept. */
  while ((e = readdir(d)) != NULL && !ps_quit(s)) {
    int fd;
    if (!ps_parse_int(e->d_name, &fd)) continue;
    /* ss reads the link by the number it parsed, relative to the fd directory here. */
    char num[16], lnk[PS_LINK];
    snprintf(num, sizeof num, "%d", fd);
    ssize_t len = readlinkat(dfd, num, lnk, sizeof lnk - 1);
    if (len < 0) continue;
    lnk[len] = '\0';
    uint32_t ino;
    if (strncmp(lnk, "socket:[", 8) != 0 || !ps_parse_ino(lnk + 8, &ino)) continue;
    if (s->only && !bsearch(&ino, s->only, s->nonly, sizeof *s->only, ps_cmp_u32)) continue;
    if (!have_comm) {
      char name[PS_STAT];
      ps_read_comm(s, id, name, sizeof name);
      size_t nl = strlen(name) + 1;
      if (!ps_grow((void **)&u->names, &u->ncap, u->nlen + nl, 1)) { closedir(d); return 0; }
      memcpy(u->names + u->nlen, name, nl);
      u->nlen += nl;
      comm = u->nnames++;
      have_comm = 1;
    }
    if (!ps_grow((void **)&u->recs, &u->caprec, u->nrec + 1, sizeof *u->recs)) { closedir(d); return 0; }
    u->recs[u->nrec++] = (ps_rec){ ino, pid, id, fd, comm };
  }
  closedir(d);
  return 1;
}

/* One /proc entry: the process's fds, then (-T) each other thread's. 0 on ENOMEM. */
static int ps_scan_unit(procscan *s, ps_unit *u, int pid) {
  if (!ps_scan_fds(s, u, pid, pid)) return 0;
  if (!s->threads) return 1;
  char path[PS_PATH];
  int n = snprintf(path, sizeof path, "%s%d/task/", s->root, pid);
  if (n < 0 || (size_t)n >= sizeof path) return 1;
  DIR *d = opendir(path);
  if (!d) return 1;
  struct dirent *e;
  int ok = 1;
  while (ok && (e = readdir(d)) != NULL && !ps_quit(s)) {
    int tid;
    if (!ps_parse_int(e->d_name, &tid) || tid == pid) continue;
    ok = ps_scan_fds(s, u, pid, tid);
  }
  closedir(d);
  return ok;
}

/* List the numeric entries of ROOT (ss: a root it cannot open has no owners). */
static int ps_list(procscan *s) {
  DIR *d = opendir(s->root);
  if (!d) return 0;
  struct dirent *e;
  int err = 0;
  while ((e = readdir(d)) != NULL) {
    int id;
    if (!ps_parse_int(e->d_name, &id)) continue;
    if (!ps_grow((void **)&s->ids, &s->capids, s->nids + 1, sizeof *s->ids)) { err = ENOMEM; break; }
    s->ids[s->nids++] = id;
  }
  closedir(d);
  if (!err && s->nids) {
    s->units = calloc(s->nids, sizeof *s->units);
    if (!s->units) err = ENOMEM;
  }
  return err;
}

/* Where JS looks an inode up first: Fibonacci hashing to `bits` bits
 * (procs.ts computes the same with Math.imul). */
static uint32_t ps_hash(uint32_t ino, int bits) { return (uint32_t)(ino * 2654435761u) >> (32 - bits); }

/* The result, as one array of 32-bit words that JS reads without
 * converting: the units' records in /proc's order (five words each: inode,
 * pid, tid, fd, name index); then for each record the index of the previous
 * record of the same inode (-1: none); then a hash table of 2^bits slots
 * holding the last record of each inode (-1: empty slot), at its hash or in
 * the slots after it. ss prints a socket's owners last found first: the
 * table's record, then down its chain. Built here, on the last worker, so
 * that the main thread only copies it. Called alone (no other worker runs). */
static int ps_assemble(procscan *s) {
  size_t nrec = 0, nlen = 0;
  for (size_t i = 0; i < s->nids; i++) { nrec += s->units[i].nrec; nlen += s->units[i].nlen; }
  /* A table at least twice the records, and word indexes JS can hold in 32-bit numbers. */
  if (nrec > ((size_t)1 << 28)) return ENOMEM;
  int bits = 1;
  while (((size_t)1 << bits) < 2 * nrec) bits++;
  size_t slots = (size_t)1 << bits;
  size_t words = 6 * nrec + slots;
  s->out = malloc(words * sizeof *s->out);
  s->outn = malloc(nlen ? nlen : 1);
  if (!s->out || !s->outn) return ENOMEM;
  uint32_t *chain = s->out + 5 * nrec, *table = chain + nrec;
  memset(table, 0xff, slots * sizeof *table);
  uint32_t base = 0;
  size_t r = 0;
  for (size_t i = 0; i < s->nids; i++) {
    ps_unit *u = &s->units[i];
    for (size_t k = 0; k < u->nrec; k++, r++) {
      const ps_rec *x = &u->recs[k];
      uint32_t *w = s->out + 5 * r;
      w[0] = x->ino; w[1] = (uint32_t)x->pid; w[2] = (uint32_t)x->tid; w[3] = (uint32_t)x->fd; w[4] = x->comm + base;
      uint32_t h = ps_hash(x->ino, bits);
      while (table[h] != UINT32_MAX && s->out[5 * (size_t)table[h]] != x->ino) h = (h + 1) & (uint32_t)(slots - 1);
      chain[r] = table[h]; /* the inode's previous record, or -1 */
      table[h] = (uint32_t)r;
    }
    if (u->nlen) memcpy(s->outn + s->outnlen, u->names, u->nlen);
    s->outnlen += u->nlen;
    base += u->nnames;
  }
  s->nout = nrec; s->outwords = words; s->bits = bits;
  s->noutn = base;
  return 0;
}

static void ps_free_units(procscan *s) {
  if (s->units)
    for (size_t i = 0; i < s->nids; i++) { free(s->units[i].recs); free(s->units[i].names); }
  free(s->units); free(s->ids);
  s->units = NULL; s->ids = NULL; s->nids = s->capids = 0;
}

/* Take entries until none is left, then leave; whoever leaves last
 * assembles the result. Called with the mutex held, by a worker or by the
 * thread waiting for the result (counted in `running` before the call);
 * returns with it held. */
static void ps_work(procscan *s) {
  for (;;) {
    if (s->err || s->quit || s->next >= s->nids) break;
    size_t i = s->next++;
    pthread_mutex_unlock(&s->mu);
    int ok = ps_scan_unit(s, &s->units[i], s->ids[i]);
    pthread_mutex_lock(&s->mu);
    if (!ok && !s->err) s->err = ENOMEM;
  }
  if (--s->running == 0) {
    /* The others have stopped touching the units: this thread owns them now. */
    pthread_mutex_unlock(&s->mu);
    int err = s->err || s->quit ? 0 : ps_assemble(s);
    ps_free_units(s);
    pthread_mutex_lock(&s->mu);
    if (err && !s->err) s->err = err;
    s->done = 1;
    pthread_cond_broadcast(&s->cv);
  }
}

static void *ps_worker(void *arg) {
  procscan *s = arg;
  pthread_mutex_lock(&s->mu);
  if (!s->listing) {
    s->listing = 1;
    pthread_mutex_unlock(&s->mu);
    int err = ps_list(s);
    pthread_mutex_lock(&s->mu);
    s->listed = 1;
    if (err && !s->err) s->err = err;
    pthread_cond_broadcast(&s->cv);
  }
  while (!s->listed) pthread_cond_wait(&s->cv, &s->mu);
  ps_work(s);
  pthread_mutex_unlock(&s->mu);
  return NULL;
}

static void ps_stop(procscan *s) { /* stops the walk early, joins the workers, frees the result */
  if (s->joined) return;
  pthread_mutex_lock(&s->mu);
  __atomic_store_n(&s->quit, 1, __ATOMIC_RELAXED);
  pthread_mutex_unlock(&s->mu);
  for (int i = 0; i < s->nth; i++) pthread_join(s->th[i], NULL);
  s->joined = 1;
  ps_free_units(s);
  free(s->out); free(s->outn); free(s->only);
  s->out = NULL; s->outn = NULL; s->only = NULL;
}
static void ps_finalize(napi_env env, void *data, void *hint) {
  (void)env; (void)hint;
  procscan *s = data;
  ps_stop(s);
  pthread_mutex_destroy(&s->mu); pthread_cond_destroy(&s->cv);
  free(s);
}
static procscan *ps_unwrap(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv) {
  napi_value self;
  procscan *s = NULL;
  napi_get_cb_info(env, info, argc, argv, &self, NULL);
  if (napi_unwrap(env, self, (void **)&s) != napi_ok || !s) type_err(env, "not a ProcScan");
  return s;
}

/* new ProcScan(root, threads, only: Uint32Array | null, workers): starts the
 * walk of `root` (ss's PROC_ROOT, "/proc/"), with threads' fd tables if
 * `threads`, keeping only the inodes in `only` if given, on `workers`
 * threads (0: one per online CPU but the caller's, 1 to PS_MAX_WORKERS). */
FN(ps_new) { ARGS(4); STR(0, root);
  bool threads = false;
  if (napi_get_value_bool(env, argv[1], &threads) != napi_ok) return type_err(env, "threads must be a boolean");
  uint32_t *only = NULL; size_t nonly = 0;
  if (!is_nullish(env, argv[2])) {
    napi_typedarray_type t; size_t len; void *data;
    if (napi_get_typedarray_info(env, argv[2], &t, &len, &data, NULL, NULL) != napi_ok || t != napi_uint32_array)
      return type_err(env, "only must be a Uint32Array or null");
    only = malloc(len ? len * sizeof *only : 1);
    if (!only) return throw_errno(env, "malloc", ENOMEM);
    if (len) memcpy(only, data, len * sizeof *only);
    qsort(only, len, sizeof *only, ps_cmp_u32);
    nonly = len;
  }
  INT(3, workers);
  if (workers <= 0) {
    /* One per CPU but the caller's: it joins the walk when it waits for the
     * result, and until then it has its own work (ss loads and dumps). */
    long cpus = sysconf(_SC_NPROCESSORS_ONLN) - 1;
    workers = cpus < 1 ? 1 : cpus > PS_MAX_WORKERS ? PS_MAX_WORKERS : (int)cpus;
  }
  if (workers > PS_MAX_WORKERS) workers = PS_MAX_WORKERS;
  procscan *s = calloc(1, sizeof *s);
  if (!s) { free(only); return throw_errno(env, "malloc", ENOMEM); }
  /* ss's root: "/proc/" by default, a '/' appended when missing (so "" is "/"). */
  size_t rl = strlen(root);
  if (rl + 2 > 4096) { free(only); free(s); return type_err(env, "root is too long"); }
  memcpy(s->root, root, rl);
  if (rl == 0 || root[rl - 1] != '/') s->root[rl++] = '/';
  s->root[rl] = '\0';
  s->threads = threads; s->only = only; s->nonly = nonly;
  pthread_mutex_init(&s->mu, NULL); pthread_cond_init(&s->cv, NULL);
  /* The mutex is held while the workers are created: none of them can
   * finish (and see itself as the last one) before `running` is final. */
  int rc = 0;
  pthread_mutex_lock(&s->mu);
  for (int i = 0; i < workers; i++) {
    rc = pthread_create(&s->th[i], NULL, ps_worker, s);
    if (rc != 0) break;
    s->nth++;
  }
  s->running = s->nth;
  pthread_mutex_unlock(&s->mu);
  if (s->nth == 0) {
    free(only);
    pthread_mutex_destroy(&s->mu); pthread_cond_destroy(&s->cv); free(s);
    return throw_errno(env, "pthread_create", rc);
  }
  /* With fewer workers than asked the walk is just slower; the last one to finish still assembles. */
  if (napi_wrap(env, self, s, ps_finalize, NULL, NULL) != napi_ok) {
    ps_finalize(env, s, NULL);
    return type_err(env, "napi_wrap failed");
  }
  return self;
}

/* wait(block): null while the walk runs (block false; with block, the
 * caller helps with the walk until it ends); then { words:
 * ArrayBuffer, count, bits, names: string[] }, `words` laid out as
 * ps_assemble describes for `count` records and a table of 2^bits slots. A
 * failed walk (out of memory) throws. */
FN(ps_wait) {
  size_t argc = 1; napi_value argv[1];
  procscan *s = ps_unwrap(env, info, &argc, argv);
  if (!s) return NULL;
  bool block = false;
  if (argc > 0) napi_get_value_bool(env, argv[0], &block);
  if (s->joined) return throw_errno(env, "ProcScan", EBADF);
  pthread_mutex_lock(&s->mu);
  while (block && !s->done) {
    /* The caller has nothing to do until the result is there: rather than
     * sleep, it takes entries too (one more thread on the walk when the
     * machine has a core for it). Entries are left only while a worker is
     * still in ps_work, so `running` is not 0 here. */
    if (s->listed && !s->err && !s->quit && s->next < s->nids) {
      s->running++;
      ps_work(s);
    } else {
      pthread_cond_wait(&s->cv, &s->mu);
    }
  }
  int done = s->done, err = s->err;
  pthread_mutex_unlock(&s->mu);
  if (!done) return null_(env);
  if (err) return throw_errno(env, "ProcScan", err);
  /* Done: the workers no longer touch the result. */
  napi_value res, ab, names;
  void *words;
  size_t bytes = s->outwords * sizeof *s->out;
  if (napi_create_arraybuffer(env, bytes, &words, &ab) != napi_ok) return throw_errno(env, "ProcScan", ENOMEM);
  memcpy(words, s->out, bytes);
  napi_create_array_with_length(env, s->noutn, &names);
  const char *p = s->outn, *end = s->outn + s->outnlen;
  for (uint32_t i = 0; i < s->noutn && p < end; i++) {
    size_t len = strnlen(p, (size_t)(end - p));
    napi_value v;
    /* Decoded as UTF-8 (the bytes ss prints, for a UTF-8 name). */
    napi_create_string_utf8(env, p, len, &v);
    napi_set_element(env, names, i, v);
    p += len + 1;
  }
  napi_create_object(env, &res);
  setp(env, res, "words", ab);
  setp(env, res, "count", num(env, (double)s->nout));
  setp(env, res, "bits", num(env, s->bits));
  setp(env, res, "names", names);
  return res;
}
FN(ps_close) { size_t argc = 0;
  procscan *s = ps_unwrap(env, info, &argc, NULL);
  if (s) ps_stop(s);
  return undef(env);
}

void define_procscan_class(napi_env env, napi_value exports) {
  napi_value cls;
  napi_property_descriptor methods[] = {
    {"wait", NULL, ps_wait, NULL, NULL, NULL, napi_default, NULL},
    {"close", NULL, ps_close, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_class(env, "ProcScan", NAPI_AUTO_LENGTH, ps_new, NULL,
                    sizeof methods / sizeof methods[0], methods, &cls);
  setp(env, exports, "ProcScan", cls);
}
