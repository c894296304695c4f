/* rip native addon: what its source files share — includes, the errno →
 * Error conversion, and the N-API argument and value helpers. */
#ifndef RIP_ADDON_H
#define RIP_ADDON_H
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
static inline napi_value make_err(napi_env env, const char *call, int e) {
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
static inline napi_value throw_errno(napi_env env, const char *call, int e) {
  napi_throw(env, make_err(env, call, e)); return NULL;
}
static inline napi_value type_err(napi_env env, const char *what) {
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
static inline napi_valuetype type_of(napi_env env, napi_value v) {
  napi_valuetype t = napi_undefined; napi_typeof(env, v, &t); return t;
}
static inline int is_nullish(napi_env env, napi_value v) {
  napi_valuetype t = type_of(env, v); return t == napi_null || t == napi_undefined;
}
static inline int get_str(napi_env env, napi_value v, char *buf, size_t sz) { /* 0 if not a string/too long */
  size_t len;
  return napi_get_value_string_utf8(env, v, buf, sz, &len) == napi_ok && len < sz - 1;
}
static inline char *dup_str(napi_env env, napi_value v) {
  size_t len;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) return NULL;
  char *s = malloc(len + 1);
  if (s) napi_get_value_string_utf8(env, v, s, len + 1, &len);
  return s;
}
static inline napi_value num(napi_env env, double d) { napi_value v; napi_create_double(env, d, &v); return v; }
static inline napi_value undef(napi_env env) { napi_value v; napi_get_undefined(env, &v); return v; }
static inline napi_value null_(napi_env env) { napi_value v; napi_get_null(env, &v); return v; }
static inline napi_value boolv(napi_env env, int b) { napi_value v; napi_get_boolean(env, b, &v); return v; }
static inline napi_value buf_copy(napi_env env, const void *data, size_t len) {
  napi_value v; void *out; napi_create_buffer_copy(env, len, len ? data : "", &out, &v); return v;
}
static inline void setp(napi_env env, napi_value o, const char *k, napi_value v) { napi_set_named_property(env, o, k, v); }

/* threads.c: the Sender and Reader classes, defined on `exports`. */
void define_thread_classes(napi_env env, napi_value exports);
/* route-scan.c: scanRoutes, the `ip -batch` route-line scanner. */
void define_route_scan(napi_env env, napi_value exports);
/* procfd.c: the ProcScan class (ss -p's /proc walk on background threads). */
void define_procscan_class(napi_env env, napi_value exports);

#endif
