/* rip native addon: the two classes that move the kernel's work of big
 * batches and dumps onto a thread of their own (Sender for requests, Reader
 * for a dump's replies). */
#include "addon.h"

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

void define_thread_classes(napi_env env, napi_value exports) {
  napi_value cls;
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
}
