/* rip native addon: syscall primitives (N-API). Knows nothing about netlink
 * messages (beyond the Reader's end-of-dump check). All fds are nonblocking;
 * readiness comes from uv_poll on the loop thread; namespace work happens on
 * short-lived threads or in a forked child; Sender and Reader move the
 * kernel's work of big batches and dumps onto a thread of their own. */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>
#include <uv.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* ---------- errors ---------- */
#define E(x) {x, #x}
static const struct { int no; const char *name; } errnames[] = {
  E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(EBADF), E(EAGAIN),
  E(ENOMEM), E(EACCES), E(EFAULT), E(EBUSY), E(EEXIST), E(ENODEV), E(EINVAL),
  E(ENFILE), E(EMFILE), E(ENOSPC), E(EPIPE), E(ERANGE), E(EOPNOTSUPP),
  E(ENOBUFS), E(EPROTONOSUPPORT), E(EAFNOSUPPORT), E(EADDRINUSE),
  E(EADDRNOTAVAIL), E(ENETDOWN), E(ENETUNREACH), E(ECONNREFUSED), E(ENOTCONN),
  E(EMSGSIZE), E(ENOPROTOOPT), E(ETIMEDOUT), E(ENOTDIR), E(EISDIR), E(ELOOP),
  E(ENAMETOOLONG), E(ENOTEMPTY),
};
#undef E
static napi_value make_err(napi_env env, const char *call, int e) {
  char msg[320], name[24];
  const char *code = NULL;
  for (size_t i = 0; i < sizeof errnames / sizeof errnames[0]; i++)
    if (errnames[i].no == e) { code = errnames[i].name; break; }
  if (!code) { snprintf(name, sizeof name, "E%d", e); code = name; }
  snprintf(msg, sizeof msg, "%s: %s", call, strerror(e));
  napi_value m, c, err, no;
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &m); napi_create_int32(env, e, &no);
  napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &c); napi_create_error(env, c, m, &err);
  napi_set_named_property(env, err, "errno", no);
  return err;
}
static napi_value throw_errno(napi_env env, const char *call, int e) {
  napi_throw(env, make_err(env, call, e)); return NULL;
}
static napi_value type_err(napi_env env, const char *what) {
  napi_throw_type_error(env, NULL, what); return NULL;
}

/* ---------- argument and value helpers ---------- */
#define FN(name) static napi_value name(napi_env env, napi_callback_info info)
#define ARGS(n) size_t argc = (n); napi_value argv[n], self; \
  napi_get_cb_info(env, info, &argc, argv, &self, NULL); (void)self;
#define INT(i, var) int32_t var; if (napi_get_value_int32(env, argv[i], &var) != napi_ok) \
  return type_err(env, "argument " #i " must be a number");
#define BUF(i, data, len) void *data; size_t len; \
  if (napi_get_buffer_info(env, argv[i], &data, &len) != napi_ok) \
    return type_err(env, "argument " #i " must be a Buffer");
#define STR(i, var) char var[4096]; if (!get_str(env, argv[i], var, sizeof var)) \
  return type_err(env, "argument " #i " must be a string");
static napi_valuetype type_of(napi_env env, napi_value v) {
  napi_valuetype t = napi_undefined; napi_typeof(env, v, &t); return t;
}
static int is_nullish(napi_env env, napi_value v) {
  napi_valuetype t = type_of(env, v); return t == napi_null || t == napi_undefined;
}
static int get_str(napi_env env, napi_value v, char *buf, size_t sz) { /* 0 if not a string/too long */
  size_t len;
  return napi_get_value_string_utf8(env, v, buf, sz, &len) == napi_ok && len < sz - 1;
}
static char *dup_str(napi_env env, napi_value v) {
  size_t len;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) return NULL;
  char *s = malloc(len + 1);
  if (s) napi_get_value_string_utf8(env, v, s, len + 1, &len);
  return s;
}
static napi_value num(napi_env env, double d) { napi_value v; napi_create_double(env, d, &v); return v; }
static napi_value undef(napi_env env) { napi_value v; napi_get_undefined(env, &v); return v; }
static napi_value null_(napi_env env) { napi_value v; napi_get_null(env, &v); return v; }
static napi_value boolv(napi_env env, int b) { napi_value v; napi_get_boolean(env, b, &v); return v; }
static napi_value buf_copy(napi_env env, const void *data, size_t len) {
  napi_value v; void *out; napi_create_buffer_copy(env, len, len ? data : "", &out, &v); return v;
}
static void setp(napi_env env, napi_value o, const char *k, napi_value v) { napi_set_named_property(env, o, k, v); }

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

/* ---------- Sender: sendmsg on a background thread ----------
 * A netlink request is processed by the kernel synchronously inside the
 * sender's sendmsg, so a large batch of requests costs its kernel time in
 * whichever thread sends it. A Sender owns one thread that performs one
 * send at a time for JS, so the kernel works through batch N on another
 * core while JS prepares batch N+1. JS hands over a Buffer (referenced until
 * the send is collected, so it cannot be collected or must not be reused)
 * and collects the result with wait(): non-blocking (null while busy) or
 * blocking. One send in flight at most keeps the requests in order. With
 * send(buf, true) the requests are sent one by one and the run stops at the
 * first one the kernel answered (for requests without NLM_F_ACK: failed). */
typedef struct {
  pthread_t th; pthread_mutex_t mu; pthread_cond_t cv;
  napi_env env; napi_ref buf;
  const char *data; size_t len;
  int fd, state, quit, joined, err; /* state: 0 idle, 1 sending, 2 done (result not collected) */
  int stop_on_answer; /* send message by message, stopping after one that was answered */
  ssize_t result;
} sender;
enum { S_IDLE, S_BUSY, S_DONE };
static void *sender_thread(void *arg) {
  sender *s = arg;
  pthread_mutex_lock(&s->mu);
  for (;;) {
    while (s->state != S_BUSY && !s->quit) pthread_cond_wait(&s->cv, &s->mu);
    if (s->state != S_BUSY) break; /* quit with nothing to send */
    const char *data = s->data; size_t len = s->len; int fd = s->fd, one_by_one = s->stop_on_answer;
    pthread_mutex_unlock(&s->mu);
    ssize_t n;
    int e = 0;
    if (!one_by_one) {
      do n = send(fd, data, len, 0); while (n < 0 && errno == EINTR);
      e = n < 0 ? errno : 0;
    } else {
      /* Requests without NLM_F_ACK are answered only when they fail, and the
       * answer is queued before send() returns: peeking after each request
       * stops the run at the first failure, as a sequential sender would,
       * and the result is the bytes sent up to and including it. */
      size_t off = 0;
      n = 0;
      while (off + sizeof(struct nlmsghdr) <= len) {
        const struct nlmsghdr *h = (const struct nlmsghdr *)(data + off);
        size_t mlen = NLMSG_ALIGN(h->nlmsg_len);
        if (h->nlmsg_len < sizeof(struct nlmsghdr) || mlen > len - off) mlen = len - off;
        ssize_t r;
        do r = send(fd, data + off, mlen, 0); while (r < 0 && errno == EINTR);
        if (r < 0) { e = errno; break; }
        off += mlen;
        n = (ssize_t)off;
        char c;
        do r = recv(fd, &c, 0, MSG_PEEK | MSG_DONTWAIT | MSG_TRUNC); while (r < 0 && errno == EINTR);
        if (r >= 0) break; /* an answer is waiting: this request failed */
      }
      if (e && off == 0) n = -1;
    }
    pthread_mutex_lock(&s->mu);
    s->result = n; s->err = e; s->state = S_DONE;
    pthread_cond_broadcast(&s->cv);
  }
  pthread_mutex_unlock(&s->mu);
  return NULL;
}
static void sender_stop(sender *s) { /* joins the thread (after any send in progress) */
  if (s->joined) return;
  pthread_mutex_lock(&s->mu);
  s->quit = 1;
  pthread_cond_broadcast(&s->cv);
  pthread_mutex_unlock(&s->mu);
  pthread_join(s->th, NULL);
  s->joined = 1;
  if (s->buf) { napi_delete_reference(s->env, s->buf); s->buf = NULL; }
}
static void sender_finalize(napi_env env, void *data, void *hint) {
  (void)env; (void)hint;
  sender *s = data;
  sender_stop(s);
  pthread_mutex_destroy(&s->mu); pthread_cond_destroy(&s->cv);
  free(s);
}
static sender *sender_unwrap(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv) {
  napi_value self;
  sender *s = NULL;
  napi_get_cb_info(env, info, argc, argv, &self, NULL);
  if (napi_unwrap(env, self, (void **)&s) != napi_ok || !s) type_err(env, "not a Sender");
  return s;
}
FN(sender_new) { ARGS(1); INT(0, fd);
  sender *s = calloc(1, sizeof *s);
  if (!s) return throw_errno(env, "pthread_create", ENOMEM);
  s->fd = fd; s->env = env;
  pthread_mutex_init(&s->mu, NULL); pthread_cond_init(&s->cv, NULL);
  int rc = pthread_create(&s->th, NULL, sender_thread, s);
  if (rc != 0) {
    pthread_mutex_destroy(&s->mu); pthread_cond_destroy(&s->cv); free(s);
    return throw_errno(env, "pthread_create", rc);
  }
  if (napi_wrap(env, self, s, sender_finalize, NULL, NULL) != napi_ok) {
    sender_finalize(env, s, NULL);
    return type_err(env, "napi_wrap failed");
  }
  return self;
}
FN(sender_send) {
  size_t argc = 2; napi_value argv[2];
  sender *s = sender_unwrap(env, info, &argc, argv);
  if (!s) return NULL;
  void *data; size_t len;
  if (argc < 1 || napi_get_buffer_info(env, argv[0], &data, &len) != napi_ok)
    return type_err(env, "argument 0 must be a Buffer");
  bool one_by_one = false;
  if (argc > 1) napi_get_value_bool(env, argv[1], &one_by_one);
  if (s->joined) return throw_errno(env, "send", EBADF);
  pthread_mutex_lock(&s->mu);
  int busy = s->state != S_IDLE;
  if (!busy) {
    s->data = data; s->len = len; s->state = S_BUSY; s->stop_on_answer = one_by_one;
    pthread_cond_signal(&s->cv);
  }
  pthread_mutex_unlock(&s->mu);
  if (busy) return throw_errno(env, "send", EBUSY);
  napi_create_reference(env, argv[0], 1, &s->buf);
  return undef(env);
}
/* wait(block): the collected result of the send in flight (bytes sent, or
 * throws its errno); null if none is in flight, or (block false) if it has
 * not finished yet. */
FN(sender_wait) {
  size_t argc = 1; napi_value argv[1];
  sender *s = sender_unwrap(env, info, &argc, argv);
  if (!s) return NULL;
  bool block = false;
  if (argc > 0) napi_get_value_bool(env, argv[0], &block);
  pthread_mutex_lock(&s->mu);
  if (block) while (s->state == S_BUSY) pthread_cond_wait(&s->cv, &s->mu);
  int state = s->state, e = s->err;
  ssize_t n = s->result;
  if (state == S_DONE) s->state = S_IDLE;
  pthread_mutex_unlock(&s->mu);
  if (state != S_DONE) return null_(env);
  if (s->buf) { napi_delete_reference(env, s->buf); s->buf = NULL; }
  if (n < 0) return throw_errno(env, "sendmsg", e);
  return num(env, (double)n);
}
FN(sender_close) { size_t argc = 0;
  sender *s = sender_unwrap(env, info, &argc, NULL);
  if (s) sender_stop(s);
  return undef(env);
}

/* ---------- Reader: a dump received on a background thread ----------
 * The kernel fills a netlink dump's datagrams inside the receiver's recvmsg
 * (the next one each time the previous is taken), so that work costs its
 * time in whichever thread reads. A Reader owns a thread that sends one
 * request and receives its replies into a ring of datagram slots, so the
 * kernel fills datagram N+1.. on another core while JS handles datagram N.
 * JS takes datagrams with next(): they are copied into a Buffer of its own,
 * so no memory is shared with the thread and nothing JS holds is written
 * later. The thread stops after the datagram that holds the request's
 * NLMSG_DONE or NLMSG_ERROR (later replies stay in the socket), at the first
 * receive error (which next() reports once the datagrams before it are
 * taken), or on close(). It works on its own dup() of the fd, so closing the
 * socket cannot hand it another file; close() and GC join it. */
#define RD_SLOTS 16
#define RD_SLOT 65536
typedef struct {
  pthread_t th; pthread_mutex_t mu; pthread_cond_t cv;
  int fd, wake; /* dup of the socket; eventfd that wakes the thread's poll on close */
  uint32_t seq;
  char *req; size_t req_len;
  char *ring; uint32_t len[RD_SLOTS];
  unsigned head, count; /* filled slots: head .. head+count-1, mod RD_SLOTS */
  int finished, err, quit, joined;
} reader;
/* Whether a datagram holds the end of request `seq`: its NLMSG_DONE or
 * NLMSG_ERROR; a malformed datagram ends the dump too (JS reports it). */
static int rd_ends(const char *p, size_t n, uint32_t seq) {
  size_t off = 0;
  while (n - off >= 16) {
    uint32_t len, mseq; uint16_t type;
    memcpy(&len, p + off, 4); memcpy(&type, p + off + 4, 2); memcpy(&mseq, p + off + 8, 4);
    if (len < 16 || len > n - off) return 1;
    if (mseq == seq && (type == 2 /* NLMSG_ERROR */ || type == 3 /* NLMSG_DONE */)) return 1;
    off += (len + 3) & ~(size_t)3;
  }
  return 0;
}
static void *reader_thread(void *arg) {
  reader *r = arg;
  int e = 0, done = 0;
  if (r->req_len) {
    ssize_t n;
    do n = send(r->fd, r->req, r->req_len, 0); while (n < 0 && errno == EINTR);
    if (n < 0) e = errno;
  }
  while (!e && !done) {
    pthread_mutex_lock(&r->mu);
    while (r->count == RD_SLOTS && !r->quit) pthread_cond_wait(&r->cv, &r->mu);
    int quit = r->quit;
    unsigned slot = (r->head + r->count) % RD_SLOTS;
    pthread_mutex_unlock(&r->mu);
    if (quit) break;
    char *p = r->ring + (size_t)slot * RD_SLOT;
    struct iovec iov = { p, RD_SLOT };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
    ssize_t n = recvmsg(r->fd, &mh, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        /* Nothing yet: wait for the socket, or for close() (quit is checked above). */
        struct pollfd pf[2] = { { r->fd, POLLIN, 0 }, { r->wake, POLLIN, 0 } };
        if (poll(pf, 2, -1) < 0 && errno != EINTR) e = errno;
        continue;
      }
      e = errno;
      break;
    }
    if (mh.msg_flags & MSG_TRUNC) { e = EMSGSIZE; break; }
    done = rd_ends(p, (size_t)n, r->seq);
    pthread_mutex_lock(&r->mu);
    r->len[slot] = (uint32_t)n;
    r->count++;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
  }
  pthread_mutex_lock(&r->mu);
  r->finished = 1; r->err = e;
  pthread_cond_broadcast(&r->cv);
  pthread_mutex_unlock(&r->mu);
  return NULL;
}
static void reader_stop(reader *r) { /* joins the thread and frees what it used */
  if (r->joined) return;
  pthread_mutex_lock(&r->mu);
  r->quit = 1;
  pthread_cond_broadcast(&r->cv);
  pthread_mutex_unlock(&r->mu);
  uint64_t one = 1;
  if (write(r->wake, &one, sizeof one) < 0) { /* the eventfd cannot be full with one write */ }
  pthread_join(r->th, NULL);
  r->joined = 1;
  close(r->fd); close(r->wake);
  free(r->ring); free(r->req);
  r->ring = r->req = NULL;
}
static void reader_finalize(napi_env env, void *data, void *hint) {
  (void)env; (void)hint;
  reader *r = data;
  reader_stop(r);
  pthread_mutex_destroy(&r->mu); pthread_cond_destroy(&r->cv);
  free(r);
}
static reader *reader_unwrap(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv) {
  napi_value self;
  reader *r = NULL;
  napi_get_cb_info(env, info, argc, argv, &self, NULL);
  if (napi_unwrap(env, self, (void **)&r) != napi_ok || !r) type_err(env, "not a Reader");
  return r;
}
/* new Reader(fd, request: Buffer | null, seq) */
FN(reader_new) { ARGS(3); INT(0, fd);
  uint32_t seq;
  if (napi_get_value_uint32(env, argv[2], &seq) != napi_ok) return type_err(env, "seq must be a number");
  void *req = NULL; size_t req_len = 0;
  if (!is_nullish(env, argv[1]) && napi_get_buffer_info(env, argv[1], &req, &req_len) != napi_ok)
    return type_err(env, "request must be a Buffer or null");
  reader *r = calloc(1, sizeof *r);
  if (!r) return throw_errno(env, "pthread_create", ENOMEM);
  r->seq = seq; r->fd = -1; r->wake = -1;
  int e = 0;
  const char *call = "dup";
  r->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (r->fd < 0) e = errno;
  if (!e) { call = "eventfd"; r->wake = eventfd(0, EFD_CLOEXEC); if (r->wake < 0) e = errno; }
  if (!e) {
    call = "malloc";
    r->ring = malloc((size_t)RD_SLOTS * RD_SLOT);
    r->req = req_len ? malloc(req_len) : NULL;
    if (!r->ring || (req_len && !r->req)) e = ENOMEM;
  }
  if (!e) {
    if (req_len) memcpy(r->req, req, req_len);
    r->req_len = req_len;
    pthread_mutex_init(&r->mu, NULL); pthread_cond_init(&r->cv, NULL);
    int rc = pthread_create(&r->th, NULL, reader_thread, r);
    if (rc != 0) { pthread_mutex_destroy(&r->mu); pthread_cond_destroy(&r->cv); call = "pthread_create"; e = rc; }
  }
  if (e) {
    if (r->fd >= 0) close(r->fd);
    if (r->wake >= 0) close(r->wake);
    free(r->ring); free(r->req); free(r);
    return throw_errno(env, call, e);
  }
  if (napi_wrap(env, self, r, reader_finalize, NULL, NULL) != napi_ok) {
    reader_finalize(env, r, NULL);
    return type_err(env, "napi_wrap failed");
  }
  return self;
}
/* next(target, block): copy the datagrams received so far (as many whole
 * ones as fit, each at a 4-byte aligned offset, the gaps zeroed) into
 * target; returns the bytes written. 0: none yet (block false); null: the
 * reader finished and everything was taken. A receive error is thrown once,
 * after the datagrams before it. */
FN(reader_next) {
  size_t argc = 2; napi_value argv[2];
  reader *r = reader_unwrap(env, info, &argc, argv);
  if (!r) return NULL;
  char *t; size_t tlen;
  if (argc < 1 || napi_get_buffer_info(env, argv[0], (void **)&t, &tlen) != napi_ok)
    return type_err(env, "argument 0 must be a Buffer");
  if (tlen < RD_SLOT) return type_err(env, "target must hold at least 65536 bytes");
  bool block = false;
  if (argc > 1) napi_get_value_bool(env, argv[1], &block);
  if (r->joined) return null_(env);
  size_t off = 0;
  pthread_mutex_lock(&r->mu);
  if (block) while (r->count == 0 && !r->finished) pthread_cond_wait(&r->cv, &r->mu);
  while (r->count) {
    uint32_t n = r->len[r->head];
    size_t padded = ((size_t)n + 3) & ~(size_t)3;
    if (off + padded > tlen) break;
    memcpy(t + off, r->ring + (size_t)r->head * RD_SLOT, n);
    memset(t + off + n, 0, padded - n);
    off += padded;
    r->head = (r->head + 1) % RD_SLOTS;
    r->count--;
  }
  int finished = r->finished, e = r->err;
  if (off) pthread_cond_broadcast(&r->cv);
  else if (finished) r->err = 0;
  pthread_mutex_unlock(&r->mu);
  if (off) return num(env, (double)off);
  if (!finished) return num(env, 0);
  if (e) return throw_errno(env, "recvmsg", e);
  return null_(env);
}
FN(reader_close) { size_t argc = 0;
  reader *r = reader_unwrap(env, info, &argc, NULL);
  if (r) reader_stop(r);
  return undef(env);
}

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
  napi_property_descriptor smethods[] = {
    {"send", NULL, sender_send, NULL, NULL, NULL, napi_default, NULL},
    {"wait", NULL, sender_wait, NULL, NULL, NULL, napi_default, NULL},
    {"close", NULL, sender_close, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_class(env, "Sender", NAPI_AUTO_LENGTH, sender_new, NULL,
                    sizeof smethods / sizeof smethods[0], smethods, &cls);
  setp(env, exports, "Sender", cls);
  napi_property_descriptor rmethods[] = {
    {"next", NULL, reader_next, NULL, NULL, NULL, napi_default, NULL},
    {"close", NULL, reader_close, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_class(env, "Reader", NAPI_AUTO_LENGTH, reader_new, NULL,
                    sizeof rmethods / sizeof rmethods[0], rmethods, &cls);
  setp(env, exports, "Reader", cls);
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
