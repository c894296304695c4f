/* rip native addon: syscall primitives (N-API). Knows nothing about netlink
 * messages. All fds are nonblocking; readiness comes from uv_poll on the loop
 * thread; namespace work happens on short-lived threads or in a forked child.
 * The Sender and Reader classes (threads.c) move the kernel's work of big
 * batches and dumps onto a thread of their own; ProcScan (procfd.c) walks
 * /proc for ss -p on threads of its own. */
#include "addon.h"

/* ---------- short-lived namespace threads ---------- */
typedef struct { /* op 0 = socket in netns, 1 = netnsCreate */
  int op, domain, type, protocol, result, err; const char *path, *call;
} ns_job;
static void *ns_thread(void *arg) {
  ns_job *j = arg;
  j->result = -1;
  if (j->op == 0) {
    int nsfd = open(j->path, O_RDONLY | O_CLOEXEC);
    if (nsfd < 0) { j->err = errno; j->call = "open"; return NULL; }
    int rc = setns(nsfd, CLONE_NEWNET);
    j->err = errno;
    close(nsfd);
    if (rc < 0) { j->call = "setns"; return NULL; }
    j->result = socket(j->domain, j->type, j->protocol);
    if (j->result < 0) { j->err = errno; j->call = "socket"; }
    return NULL;
  }
  if (unshare(CLONE_NEWNET) < 0) { j->err = errno; j->call = "unshare"; return NULL; }
  if (mount("/proc/thread-self/ns/net", j->path, "none", MS_BIND, NULL) < 0) {
    char p[64];
    snprintf(p, sizeof p, "/proc/self/task/%ld/ns/net", (long)syscall(SYS_gettid));
    if (mount(p, j->path, "none", MS_BIND, NULL) < 0) {
      j->err = errno; j->call = "mount"; return NULL;
    }
  }
  j->result = 0;
  return NULL;
}
static int run_ns_job(ns_job *j) {
  pthread_t th;
  int rc = pthread_create(&th, NULL, ns_thread, j);
  if (rc != 0) { j->err = rc; j->call = "pthread_create"; return -1; }
  pthread_join(th, NULL);
  return j->result;
}

/* ---------- sockets ---------- */
FN(js_socket) { ARGS(4); INT(0, domain); INT(1, type); INT(2, protocol);
  type |= SOCK_CLOEXEC | SOCK_NONBLOCK;
  if (argc < 4 || is_nullish(env, argv[3])) {
    int fd = socket(domain, type, protocol);
    if (fd < 0) return throw_errno(env, "socket", errno);
    return num(env, fd);
  }
  char path[4096];
  if (type_of(env, argv[3]) == napi_number) {
    int32_t pid;
    napi_get_value_int32(env, argv[3], &pid);
    snprintf(path, sizeof path, "/proc/%d/ns/net", pid);
  } else if (!get_str(env, argv[3], path, sizeof path)) {
    return type_err(env, "netns must be a string, number or null");
  }
  ns_job j = { .op = 0, .path = path, .domain = domain, .type = type, .protocol = protocol };
  int fd = run_ns_job(&j);
  if (fd < 0) return throw_errno(env, j.call, j.err);
  return num(env, fd);
}
FN(js_bind) { ARGS(2); INT(0, fd); BUF(1, addr, len);
  if (bind(fd, addr, (socklen_t)len) < 0) return throw_errno(env, "bind", errno);
  return undef(env);
}
FN(js_getsockname) { ARGS(1); INT(0, fd);
  struct sockaddr_storage ss; socklen_t len = sizeof ss;
  if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
    return throw_errno(env, "getsockname", errno);
  return buf_copy(env, &ss, len < sizeof ss ? len : sizeof ss);
}
FN(js_setsockopt) { ARGS(4); INT(0, fd); INT(1, level); INT(2, name);
  int ival; void *val = &ival; size_t len = sizeof ival;
  if (type_of(env, argv[3]) == napi_number) napi_get_value_int32(env, argv[3], &ival);
  else if (napi_get_buffer_info(env, argv[3], &val, &len) != napi_ok)
    return type_err(env, "value must be a number or Buffer");
  if (setsockopt(fd, level, name, val, (socklen_t)len) < 0)
    return throw_errno(env, "setsockopt", errno);
  return undef(env);
}
FN(js_getsockopt) { ARGS(4); INT(0, fd); INT(1, level); INT(2, name); INT(3, length);
  if (length < 0) return type_err(env, "length must be >= 0");
  char *b = calloc(1, length ? (size_t)length : 1);
  if (!b) return throw_errno(env, "getsockopt", ENOMEM);
  socklen_t len = (socklen_t)length;
  int rc = getsockopt(fd, level, name, b, &len), e = errno;
  napi_value r = rc < 0 ? throw_errno(env, "getsockopt", e)
                        : buf_copy(env, b, len < (socklen_t)length ? len : (socklen_t)length);
  free(b);
  return r;
}
FN(js_sendmsg) { ARGS(3); INT(0, fd); BUF(1, data, len);
  void *addr = NULL; size_t alen = 0;
  if (argc >= 3 && !is_nullish(env, argv[2]) &&
      napi_get_buffer_info(env, argv[2], &addr, &alen) != napi_ok)
    return type_err(env, "addr must be a Buffer or null");
  ssize_t n = sendto(fd, data, len, MSG_DONTWAIT, addr, (socklen_t)alen);
  if (n < 0) return throw_errno(env, "sendmsg", errno);
  return num(env, (double)n);
}
/* recvmany: static scratch area (SLOTS x SLOT_SIZE), allocated once. */
#define SLOTS 64
#define SLOT_SIZE 65536
static char *scratch, *acc; /* acc: concatenation across recvmmsg calls */
static size_t acc_cap;
static struct mmsghdr msgs[SLOTS];
static struct iovec iovs[SLOTS];
static int *pend_err, pend_cap; /* per-fd errors deferred to the next call */
static void set_pending(int fd, int e) {
  if (fd >= pend_cap) {
    int cap = fd + 64, *p = realloc(pend_err, (size_t)cap * sizeof *p);
    if (!p) return;
    memset(p + pend_cap, 0, (size_t)(cap - pend_cap) * sizeof *p);
    pend_err = p; pend_cap = cap;
  }
  pend_err[fd] = e;
}
static int take_pending(int fd) {
  if (fd < 0 || fd >= pend_cap) return 0;
  int e = pend_err[fd]; pend_err[fd] = 0; return e;
}
FN(js_recvmany) { ARGS(2); INT(0, fd); INT(1, maxd);
  int e = take_pending(fd), got = 0;
  if (e) return throw_errno(env, "recvmmsg", e);
  if (!scratch && !(scratch = malloc((size_t)SLOTS * SLOT_SIZE)))
    return throw_errno(env, "recvmmsg", ENOMEM);
  size_t total = 0;
  while (got < maxd) {
    unsigned want = (unsigned)(maxd - got < SLOTS ? maxd - got : SLOTS);
    memset(msgs, 0, sizeof msgs);
    for (unsigned i = 0; i < want; i++) {
      iovs[i].iov_base = scratch + (size_t)i * SLOT_SIZE;
      iovs[i].iov_len = SLOT_SIZE;
      msgs[i].msg_hdr.msg_iov = &iovs[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int n = recvmmsg(fd, msgs, want, MSG_DONTWAIT, NULL);
    if (n < 0) {
      e = errno;
      if (e == EINTR) continue;
      if (e == EAGAIN || e == EWOULDBLOCK) break;
      if (got > 0) { set_pending(fd, e); break; }
      return throw_errno(env, "recvmmsg", e);
    }
    if (n == 0) break;
    size_t add = 0;
    for (int i = 0; i < n; i++) {
      if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) return throw_errno(env, "recvmmsg", EMSGSIZE);
      add += msgs[i].msg_len;
    }
    if (total + add > acc_cap) {
      char *p = realloc(acc, (total + add) * 2);
      if (!p) return throw_errno(env, "recvmmsg", ENOMEM);
      acc = p; acc_cap = (total + add) * 2;
    }
    for (int i = 0; i < n; total += msgs[i].msg_len, i++)
      memcpy(acc + total, iovs[i].iov_base, msgs[i].msg_len);
    got += n;
    if ((unsigned)n < want) break; /* short batch: recvmmsg hit EAGAIN (or kept an error for next time) */
  }
  return got ? buf_copy(env, acc, total) : null_(env);
}
/* One recvfrom()/read() into a temporary buffer; null on EAGAIN. */
static napi_value recv1(napi_env env, napi_callback_info info, int from) {
  ARGS(2); INT(0, fd); INT(1, maxlen);
  if (maxlen < 0) return type_err(env, "maxLen must be >= 0");
  char *b = malloc(maxlen ? (size_t)maxlen : 1);
  if (!b) return throw_errno(env, from ? "recvfrom" : "read", ENOMEM);
  struct sockaddr_storage ss;
  socklen_t alen = sizeof ss;
  ssize_t n;
  do n = from ? recvfrom(fd, b, (size_t)maxlen, MSG_DONTWAIT, (struct sockaddr *)&ss, &alen)
              : read(fd, b, (size_t)maxlen);
  while (n < 0 && errno == EINTR);
  int e = errno;
  napi_value r;
  if (n < 0) r = (e == EAGAIN || e == EWOULDBLOCK) ? null_(env)
                 : throw_errno(env, from ? "recvfrom" : "read", e);
  else if (!from) r = buf_copy(env, b, (size_t)n);
  else {
    napi_create_object(env, &r);
    setp(env, r, "data", buf_copy(env, b, (size_t)n));
    setp(env, r, "addr", buf_copy(env, &ss, alen < sizeof ss ? alen : sizeof ss));
  }
  free(b);
  return r;
}
FN(js_recvfrom) { return recv1(env, info, 1); }
FN(js_read) { return recv1(env, info, 0); }

/* ---------- plain fds ---------- */
FN(js_write) { ARGS(2); INT(0, fd); BUF(1, data, len);
  ssize_t n;
  do n = write(fd, data, len); while (n < 0 && errno == EINTR);
  if (n < 0) return throw_errno(env, "write", errno);
  return num(env, (double)n);
}
FN(js_ioctl) { ARGS(3); INT(0, fd);
  uint32_t req;
  if (napi_get_value_uint32(env, argv[1], &req) != napi_ok)
    return type_err(env, "request must be a number");
  int64_t v; void *d; size_t l;
  if (napi_get_value_int64(env, argv[2], &v) == napi_ok) d = (void *)(uintptr_t)(unsigned long)v;
  else if (napi_get_buffer_info(env, argv[2], &d, &l) != napi_ok)
    return type_err(env, "arg must be a Buffer or number");
  int r = ioctl(fd, (unsigned long)req, d);
  if (r < 0) return throw_errno(env, "ioctl", errno);
  return num(env, r);
}
FN(js_open) { ARGS(2); STR(0, path); INT(1, flags);
  int fd = open(path, flags | O_CLOEXEC, 0666);
  if (fd < 0) return throw_errno(env, "open", errno);
  return num(env, fd);
}
FN(js_close) { ARGS(1); INT(0, fd);
  take_pending(fd);
  if (close(fd) < 0 && errno != EINTR) return throw_errno(env, "close", errno);
  return undef(env);
}

/* ---------- Poller (uv_poll_t wrapper) ---------- */
typedef struct {
  uv_poll_t h; napi_env env; napi_ref cb; napi_async_context ctx; int closing, closed, finalized;
} poller;
/* uv_close is async: memory is freed once both the handle is closed and the
 * JS object is finalized, whichever comes last. */
static void poller_closed(uv_handle_t *h) {
  poller *p = h->data;
  p->closed = 1;
  if (p->finalized) free(p);
}
static void poller_release(poller *p) {
  if (p->closing) return;
  p->closing = 1;
  uv_poll_stop(&p->h);
  uv_close((uv_handle_t *)&p->h, poller_closed);
  if (p->cb) { napi_delete_reference(p->env, p->cb); p->cb = NULL; }
  if (p->ctx) { napi_async_destroy(p->env, p->ctx); p->ctx = NULL; }
}
static void poller_finalize(napi_env env, void *data, void *hint) {
  (void)env; (void)hint;
  poller *p = data;
  p->finalized = 1;
  if (!p->closing) poller_release(p);
  else if (p->closed) free(p);
}
static void on_poll(uv_poll_t *h, int status, int events) {
  poller *p = h->data;
  if (p->closing || !p->cb) return;
  napi_env env = p->env;
  napi_handle_scope scope; napi_open_handle_scope(env, &scope);
  napi_value cb, args[3], res, global;
  napi_get_reference_value(env, p->cb, &cb); napi_get_global(env, &global);
  args[0] = status < 0 ? make_err(env, "poll", -status) : null_(env);
  args[1] = boolv(env, status >= 0 && (events & UV_READABLE));
  args[2] = boolv(env, status >= 0 && (events & UV_WRITABLE));
  if (napi_make_callback(env, p->ctx, global, cb, 3, args, &res) == napi_pending_exception) {
    napi_value ex; napi_get_and_clear_last_exception(env, &ex); napi_fatal_exception(env, ex);
  }
  napi_close_handle_scope(env, scope);
}
static poller *unwrap(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv) {
  napi_value self;
  poller *p = NULL;
  napi_get_cb_info(env, info, argc, argv, &self, NULL);
  if (napi_unwrap(env, self, (void **)&p) != napi_ok || !p) type_err(env, "not a Poller");
  return p;
}
FN(poller_new) { ARGS(2); INT(0, fd);
  if (type_of(env, argv[1]) != napi_function) return type_err(env, "callback must be a function");
  uv_loop_t *loop;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) return type_err(env, "no event loop");
  poller *p = calloc(1, sizeof *p);
  if (!p) return throw_errno(env, "uv_poll_init", ENOMEM);
  int rc = uv_poll_init(loop, &p->h, fd);
  if (rc < 0) { free(p); return throw_errno(env, "uv_poll_init", -rc); }
  p->h.data = p;
  p->env = env;
  if (napi_wrap(env, self, p, poller_finalize, NULL, NULL) != napi_ok) {
    p->closing = p->finalized = 1;
    uv_close((uv_handle_t *)&p->h, poller_closed);
    return type_err(env, "napi_wrap failed");
  }
  napi_create_reference(env, argv[1], 1, &p->cb);
  napi_value name; napi_create_string_utf8(env, "rip:Poller", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, NULL, name, &p->ctx);
  return self;
}
FN(poller_start) {
  size_t argc = 2;
  napi_value argv[2];
  poller *p = unwrap(env, info, &argc, argv);
  if (!p) return NULL;
  if (p->closing) return throw_errno(env, "uv_poll_start", EBADF);
  bool r = false, w = false;
  if (argc > 0) napi_get_value_bool(env, argv[0], &r);
  if (argc > 1) napi_get_value_bool(env, argv[1], &w);
  int ev = (r ? UV_READABLE : 0) | (w ? UV_WRITABLE : 0);
  int rc = ev ? uv_poll_start(&p->h, ev, on_poll) : uv_poll_stop(&p->h);
  if (rc < 0) return throw_errno(env, "uv_poll_start", -rc);
  return undef(env);
}
#define POLLER_METHOD(fname, body) FN(fname) { size_t argc = 0; \
  poller *p = unwrap(env, info, &argc, NULL); if (!p) return NULL; \
  if (!p->closing) { body; } return undef(env); }
POLLER_METHOD(poller_stop, uv_poll_stop(&p->h))
POLLER_METHOD(poller_ref, uv_ref((uv_handle_t *)&p->h))
POLLER_METHOD(poller_unref, uv_unref((uv_handle_t *)&p->h))
POLLER_METHOD(poller_close, poller_release(p))

/* ---------- namespaces and mounts ---------- */
FN(js_netns_create) { ARGS(1); STR(0, path);
  ns_job j = { .op = 1, .path = path };
  if (run_ns_job(&j) < 0) return throw_errno(env, j.call, j.err);
  return undef(env);
}
FN(js_umount) { ARGS(2); STR(0, path); INT(1, flags);
  if (umount2(path, flags) < 0) return throw_errno(env, "umount2", errno);
  return undef(env);
}
FN(js_mount) { ARGS(5);
  char *s[5] = { NULL, NULL, NULL, NULL, NULL };
  int idx[4] = { 0, 1, 2, 4 }, bad = argc < 4;
  for (int i = 0; i < 4 && !bad; i++) {
    if ((size_t)idx[i] >= argc || is_nullish(env, argv[idx[i]])) { bad |= idx[i] == 1; continue; }
    if (type_of(env, argv[idx[i]]) != napi_string) { bad = 1; continue; }
    s[idx[i]] = dup_str(env, argv[idx[i]]);
  }
  uint32_t flags = 0;
  if (!bad && napi_get_value_uint32(env, argv[3], &flags) != napi_ok) bad = 1;
  int rc = bad ? 0 : mount(s[0], s[1], s[2], flags, s[4]), e = errno;
  for (int i = 0; i < 5; i++) free(s[i]);
  if (bad) return type_err(env, "mount(source|null, target, fstype|null, flags, data|null)");
  if (rc < 0) return throw_errno(env, "mount", e);
  return undef(env);
}
/* Child side of spawnInNetns: only raw syscalls, no malloc, then exec. */
static void wr(const char *s) { if (write(2, s, strlen(s)) < 0) {} }
static void child_fail(const char *call) {
  const char *msg = strerror(errno);
  wr(call); wr(": "); wr(msg); wr("\n");
  _exit(255);
}
struct dirent64_ { uint64_t ino; int64_t off; unsigned short reclen; unsigned char type; char name[]; };
static void child_bind_etc(const char *name) {
  char dir[512], src[1024], dst[1024];
  snprintf(dir, sizeof dir, "/etc/netns/%s", name);
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) {
    if (errno == ENOENT) return;
    child_fail("open /etc/netns");
  }
  union { char b[4096]; uint64_t align; } buf;
  long n;
  while ((n = syscall(SYS_getdents64, dfd, buf.b, sizeof buf.b)) > 0) {
    for (long off = 0; off < n;) {
      struct dirent64_ *d = (struct dirent64_ *)(buf.b + off);
      off += d->reclen;
      if (!strcmp(d->name, ".") || !strcmp(d->name, "..")) continue;
      snprintf(src, sizeof src, "%s/%s", dir, d->name);
      snprintf(dst, sizeof dst, "/etc/%s", d->name);
      if (mount(src, dst, "none", MS_BIND, NULL) < 0) { /* like iproute2: warn, go on */
        const char *msg = strerror(errno);
        wr("Bind "); wr(src); wr(" -> "); wr(dst); wr(" failed: "); wr(msg); wr("\n");
      }
    }
  }
  if (n < 0) child_fail("getdents64");
  close(dfd);
}
static void child_run(const char *nspath, const char *sysname, const char *etc, char **cargv) {
  sigset_t set; sigemptyset(&set); sigprocmask(SIG_SETMASK, &set, NULL);
  for (int s = 1; s < NSIG; s++) signal(s, SIG_DFL);
  int fd = open(nspath, O_RDONLY | O_CLOEXEC);
  if (fd < 0) child_fail("open");
  if (setns(fd, CLONE_NEWNET) < 0) child_fail("setns");
  close(fd);
  if (unshare(CLONE_NEWNS) < 0) child_fail("unshare");
  if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL) < 0) child_fail("mount /");
  unsigned long mflags = 0;
  struct statvfs st;
  if (statvfs("/sys", &st) == 0 && (st.f_flag & ST_RDONLY)) mflags = MS_RDONLY;
  umount2("/sys", MNT_DETACH); /* may fail if /sys wasn't mounted: fine */
  if (mount(sysname, "/sys", "sysfs", mflags, NULL) < 0) child_fail("mount /sys");
  if (etc) child_bind_etc(etc);
  /* Node opens stdio close-on-exec; the command must inherit them. */
  for (int i = 0; i < 3; i++) fcntl(i, F_SETFD, 0);
  execvp(cargv[0], cargv);
  child_fail("execvp");
}
FN(js_spawn_in_netns) { ARGS(3); STR(0, nspath);
  bool isarr = false; uint32_t n = 0;
  napi_is_array(env, argv[1], &isarr);
  if (isarr) napi_get_array_length(env, argv[1], &n);
  if (!isarr || n == 0) return type_err(env, "argv must be a non-empty string array");
  char etcname[256] = "none";
  int have_etc = argc >= 3 && !is_nullish(env, argv[2]);
  if (have_etc && (!get_str(env, argv[2], etcname, sizeof etcname) || strchr(etcname, '/')))
    return type_err(env, "etcNetnsName must be a name or null");
  char **cargv = calloc(n + 1, sizeof *cargv);
  if (!cargv) return throw_errno(env, "fork", ENOMEM);
  int bad = 0;
  for (uint32_t i = 0; i < n && !bad; i++) {
    napi_value el;
    napi_get_element(env, argv[1], i, &el);
    if (type_of(env, el) != napi_string || !(cargv[i] = dup_str(env, el))) bad = 1;
  }
  pid_t pid = bad ? 0 : fork();
  if (pid == 0 && !bad) child_run(nspath, etcname, have_etc ? etcname : NULL, cargv);
  int e = errno;
  for (uint32_t i = 0; i < n; i++) free(cargv[i]);
  free(cargv);
  if (bad) return type_err(env, "argv must be a non-empty string array");
  if (pid < 0) return throw_errno(env, "fork", e);
  int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  if (pidfd < 0) {
    e = errno; kill(pid, SIGKILL); waitpid(pid, NULL, 0);
    return throw_errno(env, "pidfd_open", e);
  }
  napi_value obj;
  napi_create_object(env, &obj);
  setp(env, obj, "pid", num(env, pid));
  setp(env, obj, "pidfd", num(env, pidfd));
  return obj;
}
FN(js_wait_pidfd) { ARGS(1); INT(0, pidfd);
  siginfo_t si; memset(&si, 0, sizeof si);
  if (waitid((idtype_t)P_PIDFD, (id_t)pidfd, &si, WEXITED | WNOHANG) < 0)
    return throw_errno(env, "waitid", errno);
  if (si.si_pid == 0) return null_(env);
  int exited = si.si_code == CLD_EXITED;
  napi_value obj;
  napi_create_object(env, &obj);
  setp(env, obj, "exited", boolv(env, exited));
  setp(env, obj, "status", num(env, exited ? si.si_status : 0));
  setp(env, obj, "signal", num(env, exited ? 0 : si.si_status));
  return obj;
}

/* ---------- files and sysfs of another netns (tun/tap) ----------
 * A tun fd belongs to the netns of the thread that opened /dev/net/tun, and
 * sysfs shows the devices of the netns of the thread that created its
 * superblock; both are done on a short-lived thread that joined the netns. */
typedef struct {
  const char *nspath, *path, *call; int flags, result, err;
} nsfile_job;
static void *nsfile_thread(void *arg) {
  nsfile_job *j = arg;
  j->result = -1;
  int nsfd = open(j->nspath, O_RDONLY | O_CLOEXEC);
  if (nsfd < 0) { j->err = errno; j->call = "open"; return NULL; }
  int rc = setns(nsfd, CLONE_NEWNET);
  j->err = errno;
  close(nsfd);
  if (rc < 0) { j->call = "setns"; return NULL; }
  if (j->path) { /* a file, e.g. /dev/net/tun */
    j->result = open(j->path, j->flags | O_CLOEXEC, 0666);
    if (j->result < 0) { j->err = errno; j->call = "open"; }
    return NULL;
  }
  /* A detached, read-only sysfs mount (new mount API): no mount namespace
   * is touched, and closing the fd unmounts it. */
  int fs = (int)syscall(SYS_fsopen, "sysfs", FSOPEN_CLOEXEC);
  if (fs < 0) { j->err = errno; j->call = "fsopen"; return NULL; }
  if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
    j->err = errno; j->call = "fsconfig"; close(fs); return NULL;
  }
  j->result = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC,
                           MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
  if (j->result < 0) { j->err = errno; j->call = "fsmount"; }
  close(fs);
  return NULL;
}
/* A netns argument: a namespace file path or a pid. */
static int nsfile_target(napi_env env, napi_value v, char *path, size_t sz) {
  if (type_of(env, v) == napi_number) {
    int32_t pid;
    napi_get_value_int32(env, v, &pid);
    snprintf(path, sz, "/proc/%d/ns/net", pid);
    return 1;
  }
  return get_str(env, v, path, sz);
}
static napi_value nsfile_run(napi_env env, nsfile_job *j) {
  pthread_t th;
  int rc = pthread_create(&th, NULL, nsfile_thread, j);
  if (rc != 0) return throw_errno(env, "pthread_create", rc);
  pthread_join(th, NULL);
  if (j->result < 0) return throw_errno(env, j->call, j->err);
  return num(env, j->result);
}
FN(js_open_in_netns) { ARGS(3); STR(0, path); INT(1, flags);
  char nspath[4096];
  if (!nsfile_target(env, argv[2], nspath, sizeof nspath))
    return type_err(env, "netns must be a string or number");
  nsfile_job j = { .nspath = nspath, .path = path, .flags = flags };
  return nsfile_run(env, &j);
}
FN(js_sysfs_in_netns) { ARGS(1);
  char nspath[4096];
  if (!nsfile_target(env, argv[0], nspath, sizeof nspath))
    return type_err(env, "netns must be a string or number");
  nsfile_job j = { .nspath = nspath };
  return nsfile_run(env, &j);
}

/* ---------- module init ---------- */
static napi_value init(napi_env env, napi_value exports) {
  static const struct { const char *name; napi_callback fn; } fns[] = {
    {"socket", js_socket}, {"bind", js_bind}, {"getsockname", js_getsockname},
    {"setsockopt", js_setsockopt}, {"getsockopt", js_getsockopt},
    {"sendmsg", js_sendmsg}, {"recvmany", js_recvmany}, {"recvfrom", js_recvfrom},
    {"read", js_read}, {"write", js_write}, {"ioctl", js_ioctl}, {"open", js_open},
    {"close", js_close}, {"netnsCreate", js_netns_create}, {"umount", js_umount},
    {"mount", js_mount}, {"spawnInNetns", js_spawn_in_netns}, {"waitPidfd", js_wait_pidfd},
    {"openInNetns", js_open_in_netns}, {"sysfsInNetns", js_sysfs_in_netns},
  };
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value f;
    napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f);
    setp(env, exports, fns[i].name, f);
  }
#define M(n, f) {n, NULL, f, NULL, NULL, NULL, napi_default, NULL}
  napi_property_descriptor methods[] = {
    M("start", poller_start), M("stop", poller_stop), M("ref", poller_ref),
    M("unref", poller_unref), M("close", poller_close),
  };
#undef M
  napi_value cls, c;
  napi_define_class(env, "Poller", NAPI_AUTO_LENGTH, poller_new, NULL,
                    sizeof methods / sizeof methods[0], methods, &cls);
  setp(env, exports, "Poller", cls);
  define_thread_classes(env, exports);
  define_route_scan(env, exports);
  define_procscan_class(env, exports);
#define C(x) {#x, (long)(x)}
  static const struct { const char *name; long v; } consts[] = {
    C(AF_NETLINK), C(AF_INET), C(AF_INET6), C(AF_UNIX), C(AF_PACKET),
    C(SOCK_RAW), C(SOCK_DGRAM), C(SOCK_STREAM), C(SOL_SOCKET), C(SOL_NETLINK),
    C(SO_RCVBUF), C(SO_SNDBUF), C(SO_RCVBUFFORCE), C(SO_SNDBUFFORCE),
    C(O_RDWR), C(O_RDONLY), C(O_CLOEXEC), C(O_NONBLOCK), C(MS_BIND), C(MS_REC),
    C(MS_SHARED), C(MS_SLAVE), C(MNT_DETACH), C(CLONE_NEWNET),
  };
#undef C
  napi_create_object(env, &c);
  for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++)
    setp(env, c, consts[i].name, num(env, (double)consts[i].v));
  setp(env, exports, "constants", c);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
