/*
 * Load on an AWS JSON endpoint, native: the same load, command line and JSON report as
 * Benchmarks/serve_load.py, with a client that costs ~50 µs of CPU per call (most of it the
 * kernel's loopback TCP) instead of the Python client's ~450 µs, so that on a small machine the
 * figure is the server's.
 *
 * C concurrent clients, one thread each, every one issuing N signed AmazonSSM.GetParameter calls
 * one after another over its own keep-alive HTTP/1.1 connection (opened again when the server
 * closes it). All clients start together (a barrier); each call's latency is taken with
 * CLOCK_MONOTONIC from the first byte sent to the last byte of the response read. A call
 * succeeds when the status is 200 and the body holds "Parameter"; anything else is a failure,
 * reported with its status and the start of its body (or the socket error).
 *
 * Each request is signed with SigV4 exactly as serve_load.py signs it (service ssm, signed
 * headers content-type;host;x-amz-date;x-amz-target, the body's SHA-256), with the date taken
 * per request. The secret key comes from --secret-key or SERVE_LOAD_SECRET_KEY and is never
 * printed. Bounded: every attempt of a call gives up after --call-timeout seconds (30), the run
 * stops starting calls after --timeout seconds (600) and reports the calls not made as failed.
 *
 *   cc -O2 -Wall -Wextra -Werror -std=c11 -o serve_load serve_load.c -lcrypto -lpthread
 *   SERVE_LOAD_SECRET_KEY=… ./serve_load --endpoint http://127.0.0.1:4583 --name /bench/db \
 *       --access-key AKIA… [--clients 4] [--requests 2000] [--with-decryption]
 *
 * Prints one JSON object: the keys serve_load.py prints, "connections", the TCP connections opened
 * (one per client when the server keeps them alive), and "retried", the requests sent a second
 * time because their kept-alive connection turned out closed before any byte of the answer came
 * (a close found before sending just reconnects). Exits 0 when no call failed, 1 when some did,
 * 2 on a usage error.
 */

#define _GNU_SOURCE /* memmem, explicit_bzero, SOCK_CLOEXEC */

#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h> /* SHA256_DIGEST_LENGTH */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define TARGET "AmazonSSM.GetParameter"
#define SERVICE "ssm"
#define CONTENT_TYPE "application/x-amz-json-1.1"
#define SIGNED_HEADERS "content-type;host;x-amz-date;x-amz-target"
#define KEPT_FAILURES 5
#define FAILURE_TEXT 240
#define MAX_RESPONSE (16u << 20) /* a larger response is a failure, not an allocation */
#define MAX_HEAD (64u << 10)

/* ---------------------------------------------------------------------------------------- */
/* Options */

struct options {
    const char *endpoint;
    char host[256]; /* the endpoint's authority, as sent in Host and signed */
    char hostname[256];
    char port[16];
    const char *name;
    const char *access_key;
    const char *secret_key;
    const char *region;
    int clients;
    long requests;
    bool with_decryption;
    double timeout;
    double call_timeout;
};

static void usage_error(const char *format, ...) {
    va_list args;
    fputs("usage: serve_load --endpoint URL --name NAME [--access-key KEY] [--secret-key SECRET]\n"
          "                  [--region REGION] [--clients N] [--requests N] [--with-decryption]\n"
          "                  [--timeout SECONDS] [--call-timeout SECONDS]\n"
          "serve_load: error: ",
          stderr);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    exit(2);
}

static bool parse_long(const char *text, long *out) {
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno || end == text || *end) return false;
    *out = value;
    return true;
}

static bool parse_double(const char *text, double *out) {
    char *end;
    errno = 0;
    double value = strtod(text, &end);
    if (errno || end == text || *end || !(value > 0)) return false;
    *out = value;
    return true;
}

/* http://host[:port][/] only: the load is plain HTTP on loopback. */
static void parse_endpoint(struct options *o) {
    const char *prefix = "http://";
    if (strncmp(o->endpoint, prefix, strlen(prefix)) != 0) usage_error("--endpoint must be http://HOST[:PORT]");
    const char *authority = o->endpoint + strlen(prefix);
    size_t length = strcspn(authority, "/?#");
    if (length == 0 || length >= sizeof o->host) usage_error("--endpoint has no usable host");
    if (authority[length] == '/' && authority[length + 1] != '\0')
        usage_error("--endpoint must not have a path: requests go to /");
    memcpy(o->host, authority, length);
    o->host[length] = '\0';
    const char *port = NULL;
    size_t host_length = length;
    if (o->host[0] == '[') { /* [v6]:port */
        char *close = strchr(o->host, ']');
        if (!close) usage_error("--endpoint has an unterminated IPv6 address");
        host_length = (size_t)(close - o->host - 1);
        memcpy(o->hostname, o->host + 1, host_length);
        o->hostname[host_length] = '\0';
        if (close[1] == ':') port = close + 2;
    } else {
        char *colon = strchr(o->host, ':');
        if (colon) {
            host_length = (size_t)(colon - o->host);
            port = colon + 1;
        }
        memcpy(o->hostname, o->host, host_length);
        o->hostname[host_length] = '\0';
    }
    if (port && (!*port || strlen(port) >= sizeof o->port)) usage_error("--endpoint has a bad port");
    snprintf(o->port, sizeof o->port, "%s", port ? port : "80");
}

#define RANGES "--clients 1..64, --requests 1..1000000"

static void parse_options(int argc, char **argv, struct options *o) {
    memset(o, 0, sizeof *o);
    o->access_key = getenv("SERVE_LOAD_ACCESS_KEY");
    o->secret_key = getenv("SERVE_LOAD_SECRET_KEY");
    o->region = "us-east-1";
    o->clients = 4;
    o->requests = 2000;
    o->timeout = 600;
    o->call_timeout = 30;
    for (int i = 1; i < argc; i++) {
        const char *flag = argv[i];
        const char *value = NULL;
        const char *equals = strchr(flag, '=');
        char name[64];
        size_t name_length = equals ? (size_t)(equals - flag) : strlen(flag);
        if (name_length >= sizeof name) usage_error("unrecognized argument: %s", flag);
        memcpy(name, flag, name_length);
        name[name_length] = '\0';
        if (strcmp(name, "--with-decryption") == 0) {
            if (equals) usage_error("--with-decryption takes no value");
            o->with_decryption = true;
            continue;
        }
        if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0) {
            fputs("usage: serve_load --endpoint URL --name NAME [--access-key KEY] [--secret-key SECRET]\n"
                  "                  [--region REGION] [--clients N] [--requests N] [--with-decryption]\n"
                  "                  [--timeout SECONDS] [--call-timeout SECONDS]\n",
                  stdout);
            exit(0);
        }
        if (equals) {
            value = equals + 1;
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            usage_error("argument %s: expected one argument", name);
        }
        long number;
        if (strcmp(name, "--endpoint") == 0) o->endpoint = value;
        else if (strcmp(name, "--name") == 0) o->name = value;
        else if (strcmp(name, "--access-key") == 0) o->access_key = value;
        else if (strcmp(name, "--secret-key") == 0) o->secret_key = value;
        else if (strcmp(name, "--region") == 0) o->region = value;
        else if (strcmp(name, "--clients") == 0) {
            if (!parse_long(value, &number) || number < 1 || number > 64) usage_error(RANGES);
            o->clients = (int)number;
        } else if (strcmp(name, "--requests") == 0) {
            if (!parse_long(value, &number) || number < 1 || number > 1000000) usage_error(RANGES);
            o->requests = number;
        } else if (strcmp(name, "--timeout") == 0) {
            if (!parse_double(value, &o->timeout)) usage_error("--timeout must be a positive number of seconds");
        } else if (strcmp(name, "--call-timeout") == 0) {
            if (!parse_double(value, &o->call_timeout))
                usage_error("--call-timeout must be a positive number of seconds");
        } else usage_error("unrecognized argument: %s", name);
    }
    if (!o->endpoint || !o->name) usage_error("the following arguments are required: --endpoint, --name");
    if (!o->access_key || !*o->access_key || !o->secret_key || !*o->secret_key)
        usage_error("give --access-key and --secret-key (or SERVE_LOAD_ACCESS_KEY / SERVE_LOAD_SECRET_KEY)");
    if (strlen(o->region) < 1 || strlen(o->region) > 64) usage_error("--region must be 1..64 characters");
    parse_endpoint(o);
}

/* ---------------------------------------------------------------------------------------- */
/* Small helpers */

static double now_monotonic(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void hex(const unsigned char *bytes, size_t length, char *out) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < length; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * length] = '\0';
}

/* SHA-256, fetched once: OpenSSL 3 looks an implicit EVP_sha256() up (locks included) per call. */
static EVP_MD *sha256;

static void sha256_hex(const void *data, size_t length, char out[65]) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    EVP_Digest(data, length, digest, NULL, sha256, NULL);
    hex(digest, sizeof digest, out);
}

static void hmac_sha256(const void *key, size_t key_length, const void *data, size_t length,
                        unsigned char out[32]) {
    unsigned int out_length = 32;
    HMAC(sha256, key, (int)key_length, data, length, out, &out_length);
}

/* A growable byte buffer (the JSON body, the report). */
struct text {
    char *bytes;
    size_t length, capacity;
};

static void text_append(struct text *t, const char *bytes, size_t length) {
    if (t->length + length + 1 > t->capacity) {
        size_t capacity = t->capacity ? t->capacity : 256;
        while (t->length + length + 1 > capacity) capacity *= 2;
        char *grown = realloc(t->bytes, capacity);
        if (!grown) {
            fputs("serve_load: out of memory\n", stderr);
            exit(3);
        }
        t->bytes = grown;
        t->capacity = capacity;
    }
    memcpy(t->bytes + t->length, bytes, length);
    t->length += length;
    t->bytes[t->length] = '\0';
}

#define APPEND(t, literal) text_append((t), literal, sizeof literal - 1)

static void text_printf(struct text *t, const char *format, ...) {
    char buffer[512];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(buffer, sizeof buffer, format, args);
    va_end(args);
    if (n < 0) return;
    if ((size_t)n < sizeof buffer) {
        text_append(t, buffer, (size_t)n);
        return;
    }
    char *long_text = malloc((size_t)n + 1);
    if (!long_text) {
        fputs("serve_load: out of memory\n", stderr);
        exit(3);
    }
    va_start(args, format);
    vsnprintf(long_text, (size_t)n + 1, format, args);
    va_end(args);
    text_append(t, long_text, (size_t)n);
    free(long_text);
}

/* A JSON string: quotes, backslashes and control characters escaped; bytes that are not ASCII
 * are written as U+FFFD unless `utf8` (a name given on the command line, passed through). */
static void text_json_string(struct text *t, const char *bytes, size_t length, bool utf8) {
    APPEND(t, "\"");
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)bytes[i];
        if (c == '"' || c == '\\') {
            char escaped[2] = {'\\', (char)c};
            text_append(t, escaped, 2);
        } else if (c < 0x20 || c == 0x7f) {
            text_printf(t, "\\u%04x", c);
        } else if (c >= 0x80 && !utf8) {
            APPEND(t, "\\ufffd");
        } else {
            text_append(t, (const char *)&c, 1);
        }
    }
    APPEND(t, "\"");
}

/* ---------------------------------------------------------------------------------------- */
/* One client */

struct shared {
    const struct options *options;
    const char *body;
    size_t body_length;
    char body_hash[65];
    pthread_barrier_t barrier;
    atomic_bool stop; /* --timeout elapsed: start no more calls */
    struct addrinfo *addresses; /* the endpoint's, resolved once */
    const char *resolve_error;  /* or why it could not be: then every call fails with it */
    pthread_mutex_t lock;
    pthread_cond_t finished_changed;
    int finished;
};

struct client {
    struct shared *shared;
    int index;
    double *latencies; /* seconds, of the calls that succeeded */
    long succeeded;
    long failed;
    long not_run;
    long connections; /* opened: one per client when the server keeps them alive */
    long retried;     /* requests sent again after a kept-alive connection was found closed */
    size_t received;  /* bytes read since the request was sent */
    bool closed;      /* the last read found the connection closed */
    char why[FAILURE_TEXT];
    int kept;
    char failures[KEPT_FAILURES][FAILURE_TEXT];
    /* the connection */
    int fd;
    char *buffer; /* bytes read and not consumed yet: buffer[start, end) */
    size_t start, end, capacity;
    /* the signing key of `key_date` */
    char key_date[9];
    unsigned char key[32];
};

static void fail(struct client *c, const char *format, ...) {
    c->failed++;
    if (c->kept >= KEPT_FAILURES) return;
    va_list args;
    va_start(args, format);
    vsnprintf(c->failures[c->kept++], FAILURE_TEXT, format, args);
    va_end(args);
}

static void disconnect(struct client *c) {
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
    c->start = c->end = 0;
}

static const char *connect_endpoint(struct client *c) {
    const struct options *o = c->shared->options;
    if (c->shared->resolve_error) return c->shared->resolve_error;
    const char *why = "no address";
    struct timeval timeout = {(time_t)o->call_timeout,
                              (suseconds_t)((o->call_timeout - (double)(time_t)o->call_timeout) * 1e6)};
    for (struct addrinfo *a = c->shared->addresses; a; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            why = strerror(errno);
            continue;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        /* Bounds connect(), every send() and every recv(). */
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
            c->fd = fd;
            c->connections++;
            return NULL;
        }
        why = errno == EINPROGRESS || errno == EAGAIN ? "connect timed out" : strerror(errno);
        close(fd);
    }
    return why;
}

/* True when a kept-alive connection was closed by the server while idle (EOF or reset waiting):
 * it is opened again before the call instead of failing the call. */
static bool closed_while_idle(struct client *c) {
    if (c->start < c->end) return false; /* unread bytes: the next response parse decides */
    char byte;
    ssize_t n = recv(c->fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0) return true;
    if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR;
    return false; /* bytes nobody asked for: left for the parse to reject */
}

static bool send_all(int fd, const char *bytes, size_t length) {
    while (length > 0) {
        ssize_t n = send(fd, bytes, length, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        bytes += n;
        length -= (size_t)n;
    }
    return true;
}

/* Reads more bytes into the buffer. 1: read some, 0: the server closed, -1: error/timeout. */
static int fill(struct client *c, double deadline) {
    if (now_monotonic() > deadline) {
        errno = ETIMEDOUT;
        return -1;
    }
    if (c->start > 0 && c->start == c->end) c->start = c->end = 0;
    if (c->end == c->capacity) {
        if (c->start > 0) {
            memmove(c->buffer, c->buffer + c->start, c->end - c->start);
            c->end -= c->start;
            c->start = 0;
        } else {
            if (c->capacity >= MAX_RESPONSE) {
                errno = EMSGSIZE;
                return -1;
            }
            char *grown = realloc(c->buffer, c->capacity * 2);
            if (!grown) {
                errno = ENOMEM;
                return -1;
            }
            c->buffer = grown;
            c->capacity *= 2;
        }
    }
    for (;;) {
        ssize_t n = recv(c->fd, c->buffer + c->end, c->capacity - c->end, 0);
        c->closed = n == 0;
        if (n > 0) {
            c->end += (size_t)n;
            c->received += (size_t)n;
            return 1;
        }
        if (n == 0) return 0;
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) errno = ETIMEDOUT;
        return -1;
    }
}

/* Finds the next "\r\n" in the unconsumed bytes, reading more as needed. Returns the offset of
 * its '\r' in the buffer, or (size_t)-1 with *why set. A line is at most MAX_HEAD bytes. */
static size_t find_line(struct client *c, double deadline, const char **why) {
    size_t scanned = 0; /* relative to c->start, which fill() may move */
    for (;;) {
        size_t available = c->end - c->start;
        const char *at = c->buffer + c->start;
        for (size_t i = scanned; i + 1 < available; i++)
            if (at[i] == '\r' && at[i + 1] == '\n') return c->start + i;
        scanned = available ? available - 1 : 0;
        if (available > MAX_HEAD) {
            *why = "response line too long";
            return (size_t)-1;
        }
        int r = fill(c, deadline);
        if (r <= 0) {
            *why = r == 0 ? "the server closed the connection mid-response" : strerror(errno);
            return (size_t)-1;
        }
    }
}

struct response {
    int status;
    bool close_after; /* Connection: close, or HTTP/1.0 without keep-alive */
    struct text body;
};

static bool header_is(const char *line, size_t length, const char *name, const char **value, size_t *value_length) {
    size_t n = strlen(name);
    if (length <= n || line[n] != ':' || strncasecmp(line, name, n) != 0) return false;
    const char *v = line + n + 1;
    const char *end = line + length;
    while (v < end && (*v == ' ' || *v == '\t')) v++;
    while (end > v && (end[-1] == ' ' || end[-1] == '\t')) end--;
    *value = v;
    *value_length = (size_t)(end - v);
    return true;
}

static bool contains_token(const char *value, size_t length, const char *token) {
    size_t n = strlen(token);
    for (size_t i = 0; i + n <= length; i++) {
        if (strncasecmp(value + i, token, n) == 0 && (i == 0 || value[i - 1] == ',' || value[i - 1] == ' ') &&
            (i + n == length || value[i + n] == ',' || value[i + n] == ' ' || value[i + n] == ';'))
            return true;
    }
    return false;
}

/* Appends `length` body bytes from the connection to r->body. */
static const char *read_exact(struct client *c, struct response *r, size_t length, double deadline) {
    while (length > 0) {
        if (c->start == c->end) {
            int got = fill(c, deadline);
            if (got <= 0) return got == 0 ? "the server closed the connection mid-body" : strerror(errno);
        }
        size_t take = c->end - c->start < length ? c->end - c->start : length;
        text_append(&r->body, c->buffer + c->start, take);
        c->start += take;
        length -= take;
    }
    return NULL;
}

/* Reads one response: status line, headers, then a body framed by Content-Length, chunked
 * transfer coding or the connection's end. Returns NULL or why it could not. */
static const char *read_response(struct client *c, struct response *r, double deadline) {
    const char *why = NULL;
    for (;;) { /* 1xx interim responses are skipped */
        r->body.length = 0;
        size_t eol = find_line(c, deadline, &why);
        if (eol == (size_t)-1) return why;
        const char *line = c->buffer + c->start;
        size_t length = eol - c->start;
        int minor = 0, status = 0;
        if (length < 12 || strncmp(line, "HTTP/1.", 7) != 0 || (line[7] != '0' && line[7] != '1') || line[8] != ' ' ||
            line[9] < '1' || line[9] > '5' || line[10] < '0' || line[10] > '9' || line[11] < '0' || line[11] > '9')
            return "malformed status line";
        minor = line[7] - '0';
        status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
        c->start = eol + 2;
        bool chunked = false, has_length = false, keep_alive = minor == 1, close = false;
        unsigned long long content_length = 0;
        for (;;) {
            eol = find_line(c, deadline, &why);
            if (eol == (size_t)-1) return why;
            line = c->buffer + c->start;
            length = eol - c->start;
            c->start = eol + 2;
            if (length == 0) break;
            const char *value;
            size_t value_length;
            if (header_is(line, length, "content-length", &value, &value_length)) {
                char number[24];
                if (value_length == 0 || value_length >= sizeof number) return "bad Content-Length";
                memcpy(number, value, value_length);
                number[value_length] = '\0';
                char *end;
                unsigned long long parsed = strtoull(number, &end, 10);
                if (*end || number[0] < '0' || number[0] > '9' || (has_length && parsed != content_length))
                    return "bad Content-Length";
                content_length = parsed;
                has_length = true;
            } else if (header_is(line, length, "transfer-encoding", &value, &value_length)) {
                if (contains_token(value, value_length, "chunked")) chunked = true;
                else return "unsupported Transfer-Encoding";
            } else if (header_is(line, length, "connection", &value, &value_length)) {
                if (contains_token(value, value_length, "close")) close = true;
                if (contains_token(value, value_length, "keep-alive")) keep_alive = true;
            }
        }
        r->status = status;
        r->close_after = close || !keep_alive;
        if (status >= 100 && status < 200) continue;
        if (status == 204 || status == 304) return NULL;
        if (chunked) {
            for (;;) {
                eol = find_line(c, deadline, &why);
                if (eol == (size_t)-1) return why;
                char *end;
                errno = 0;
                if (!isxdigit((unsigned char)c->buffer[c->start])) return "bad chunk size";
                unsigned long long size = strtoull(c->buffer + c->start, &end, 16);
                if (end == c->buffer + c->start || errno || (*end != '\r' && *end != ';' && *end != ' '))
                    return "bad chunk size";
                c->start = eol + 2;
                if (size == 0) break;
                if (r->body.length + size > MAX_RESPONSE) return "response body too large";
                if ((why = read_exact(c, r, (size_t)size, deadline))) return why;
                eol = find_line(c, deadline, &why);
                if (eol == (size_t)-1) return why;
                if (eol != c->start) return "chunk not followed by CRLF";
                c->start = eol + 2;
            }
            for (;;) { /* trailers, up to the empty line */
                eol = find_line(c, deadline, &why);
                if (eol == (size_t)-1) return why;
                bool empty = eol == c->start;
                c->start = eol + 2;
                if (empty) break;
            }
            return NULL;
        }
        if (has_length) {
            if (content_length > MAX_RESPONSE) return "response body too large";
            return read_exact(c, r, (size_t)content_length, deadline);
        }
        /* Neither: the body runs to the end of the connection. */
        r->close_after = true;
        for (;;) {
            if (c->start < c->end) {
                text_append(&r->body, c->buffer + c->start, c->end - c->start);
                c->start = c->end;
                if (r->body.length > MAX_RESPONSE) return "response body too large";
            }
            int got = fill(c, deadline);
            if (got == 0) return NULL;
            if (got < 0) return strerror(errno);
        }
    }
}

static void signing_key(struct client *c, const char date[9]) {
    const struct options *o = c->shared->options;
    if (memcmp(c->key_date, date, 9) == 0) return;
    size_t secret_length = strlen(o->secret_key);
    char *secret = malloc(secret_length + 5);
    if (!secret) {
        fputs("serve_load: out of memory\n", stderr);
        exit(3);
    }
    memcpy(secret, "AWS4", 4);
    memcpy(secret + 4, o->secret_key, secret_length + 1);
    unsigned char key[32];
    hmac_sha256(secret, secret_length + 4, date, 8, key);
    hmac_sha256(key, 32, o->region, strlen(o->region), key);
    hmac_sha256(key, 32, SERVICE, strlen(SERVICE), key);
    hmac_sha256(key, 32, "aws4_request", 12, key);
    memcpy(c->key, key, 32);
    memcpy(c->key_date, date, 9);
    explicit_bzero(secret, secret_length + 4);
    free(secret);
    explicit_bzero(key, sizeof key);
}

/* The request, signed now, into `request` (NUL-terminated); returns its length. */
static size_t build_request(struct client *c, struct text *request) {
    const struct shared *s = c->shared;
    const struct options *o = s->options;
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    struct tm utc;
    gmtime_r(&wall.tv_sec, &utc);
    char amz_date[17], date[9];
    strftime(amz_date, sizeof amz_date, "%Y%m%dT%H%M%SZ", &utc);
    memcpy(date, amz_date, 8);
    date[8] = '\0';

    char canonical[1024], hash[65], scope[160], to_sign[512], signature[65];
    int n = snprintf(canonical, sizeof canonical,
                     "POST\n/\n\ncontent-type:" CONTENT_TYPE "\nhost:%s\nx-amz-date:%s\nx-amz-target:" TARGET
                     "\n\n" SIGNED_HEADERS "\n%s",
                     o->host, amz_date, s->body_hash);
    sha256_hex(canonical, (size_t)n, hash);
    snprintf(scope, sizeof scope, "%s/%s/" SERVICE "/aws4_request", date, o->region);
    n = snprintf(to_sign, sizeof to_sign, "AWS4-HMAC-SHA256\n%s\n%s\n%s", amz_date, scope, hash);
    signing_key(c, date);
    unsigned char mac[32];
    hmac_sha256(c->key, 32, to_sign, (size_t)n, mac);
    hex(mac, 32, signature);

    request->length = 0;
    text_printf(request,
                "POST / HTTP/1.1\r\nHost: %s\r\nAccept-Encoding: identity\r\nContent-Length: %zu\r\n"
                "content-type: " CONTENT_TYPE "\r\nx-amz-date: %s\r\nx-amz-target: " TARGET "\r\n",
                o->host, s->body_length, amz_date);
    text_printf(request, "authorization: AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=" SIGNED_HEADERS
                         ", Signature=%s\r\n\r\n", o->access_key, scope, signature);
    text_append(request, s->body, s->body_length);
    return request->length;
}

static void failure_with_body(struct client *c, int status, const struct text *body) {
    int shown = body->length < 200 ? (int)body->length : 200;
    fail(c, "HTTP %d: %.*s", status, shown, body->bytes ? body->bytes : "");
}

/* One request and its response on the client's connection (opened first when there is none).
 * Returns NULL or why it failed (the connection is then closed); *stale tells that a kept-alive
 * connection was found closed or reset before any byte of the response came, which makes the
 * request safe to send again (GetParameter only reads). */
static const char *exchange(struct client *c, const struct text *request, struct response *response,
                            double deadline, bool *stale) {
    *stale = false;
    bool reused = c->fd >= 0;
    if (!reused) {
        const char *why = connect_endpoint(c);
        if (why) {
            snprintf(c->why, sizeof c->why, "connect: %s", why);
            return c->why;
        }
    }
    c->received = 0;
    if (!send_all(c->fd, request->bytes, request->length)) {
        int error = errno;
        *stale = reused && (error == EPIPE || error == ECONNRESET);
        snprintf(c->why, sizeof c->why, "send: %s",
                 error == EAGAIN || error == EWOULDBLOCK ? "timed out" : strerror(error));
        disconnect(c);
        return c->why;
    }
    const char *why = read_response(c, response, deadline);
    if (why) {
        *stale = reused && c->received == 0 && (c->closed || errno == ECONNRESET);
        snprintf(c->why, sizeof c->why, "response: %s", why);
        disconnect(c);
        return c->why;
    }
    return NULL;
}

static void *client_main(void *argument) {
    struct client *c = argument;
    struct shared *s = c->shared;
    const struct options *o = s->options;
    struct text request = {0};
    struct response response = {0};
    c->capacity = 16384;
    c->buffer = malloc(c->capacity);
    c->latencies = malloc(sizeof(double) * (size_t)o->requests);
    if (!c->buffer || !c->latencies) {
        fputs("serve_load: out of memory\n", stderr);
        exit(3);
    }
    c->fd = -1;
    pthread_barrier_wait(&s->barrier);
    for (long i = 0; i < o->requests; i++) {
        if (atomic_load_explicit(&s->stop, memory_order_relaxed)) {
            c->not_run = o->requests - i;
            break;
        }
        build_request(c, &request);
        if (c->fd >= 0 && closed_while_idle(c)) disconnect(c);
        double begun = now_monotonic();
        double deadline = begun + o->call_timeout;
        bool stale;
        const char *why = exchange(c, &request, &response, deadline, &stale);
        if (why && stale) { /* closed by the server between the check and the request: once more */
            c->retried++;
            why = exchange(c, &request, &response, deadline, &stale);
        }
        double elapsed = now_monotonic() - begun;
        if (why) {
            fail(c, "%s", why);
            continue;
        }
        if (response.close_after) disconnect(c);
        if (response.status != 200 || !response.body.bytes ||
            !memmem(response.body.bytes, response.body.length, "\"Parameter\"", 11)) {
            failure_with_body(c, response.status, &response.body);
        } else {
            c->latencies[c->succeeded++] = elapsed;
        }
    }
    disconnect(c);
    free(c->buffer);
    free(request.bytes);
    free(response.body.bytes);
    pthread_mutex_lock(&s->lock);
    s->finished++;
    pthread_cond_signal(&s->finished_changed);
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* The run and its report */

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Python's round(): halves to even (the report's percentile rank is computed as serve_load.py's). */
static long round_half_even(double x) {
    long floor_x = (long)x; /* x >= 0 */
    double fraction = x - (double)floor_x;
    if (fraction > 0.5) return floor_x + 1;
    if (fraction < 0.5) return floor_x;
    return floor_x % 2 == 0 ? floor_x : floor_x + 1;
}

static double percentile(const double *sorted, long count, double fraction) {
    long rank = round_half_even(fraction * (double)count + 0.5) - 1;
    if (rank > count - 1) rank = count - 1;
    if (rank < 0) rank = 0;
    return sorted[rank];
}

int main(int argc, char **argv) {
    struct options options;
    parse_options(argc, argv, &options);

    sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    if (!sha256) {
        fputs("serve_load: libcrypto has no SHA256\n", stderr);
        return 3;
    }

    struct shared shared;
    memset(&shared, 0, sizeof shared);
    shared.options = &options;
    struct text body = {0};
    APPEND(&body, "{\"Name\": ");
    text_json_string(&body, options.name, strlen(options.name), true);
    text_printf(&body, ", \"WithDecryption\": %s}", options.with_decryption ? "true" : "false");
    shared.body = body.bytes;
    shared.body_length = body.length;
    sha256_hex(body.bytes, body.length, shared.body_hash);
    atomic_init(&shared.stop, false);
    struct addrinfo hints = {0};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int resolved = getaddrinfo(options.hostname, options.port, &hints, &shared.addresses);
    if (resolved != 0) shared.resolve_error = gai_strerror(resolved);
    pthread_mutex_init(&shared.lock, NULL);
    pthread_condattr_t attributes;
    pthread_condattr_init(&attributes);
    pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
    pthread_cond_init(&shared.finished_changed, &attributes);
    pthread_barrier_init(&shared.barrier, NULL, (unsigned)options.clients + 1);

    struct client *clients = calloc((size_t)options.clients, sizeof *clients);
    pthread_t *threads = calloc((size_t)options.clients, sizeof *threads);
    if (!clients || !threads) {
        fputs("serve_load: out of memory\n", stderr);
        return 3;
    }
    for (int i = 0; i < options.clients; i++) {
        clients[i].shared = &shared;
        clients[i].index = i;
        int error = pthread_create(&threads[i], NULL, client_main, &clients[i]);
        if (error) {
            fprintf(stderr, "serve_load: cannot start client thread: %s\n", strerror(error));
            return 3;
        }
    }
    pthread_barrier_wait(&shared.barrier);
    double started = now_monotonic();

    /* Wait for every client, up to --timeout; then start no more calls (a call in flight ends
     * within --call-timeout). */
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += (time_t)options.timeout;
    until.tv_nsec += (long)((options.timeout - (double)(time_t)options.timeout) * 1e9);
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    bool timed_out = false;
    pthread_mutex_lock(&shared.lock);
    while (shared.finished < options.clients) {
        if (pthread_cond_timedwait(&shared.finished_changed, &shared.lock, &until) == ETIMEDOUT) {
            timed_out = shared.finished < options.clients;
            break;
        }
    }
    pthread_mutex_unlock(&shared.lock);
    if (timed_out) atomic_store(&shared.stop, true);
    for (int i = 0; i < options.clients; i++) pthread_join(threads[i], NULL);
    double seconds = now_monotonic() - started;

    long total = (long)options.clients * options.requests, succeeded = 0, failed = 0, connections = 0, retried = 0;
    for (int i = 0; i < options.clients; i++) {
        succeeded += clients[i].succeeded;
        connections += clients[i].connections;
        retried += clients[i].retried;
        failed += clients[i].failed + clients[i].not_run;
    }
    double *latencies = malloc(sizeof(double) * (size_t)(succeeded ? succeeded : 1));
    if (!latencies) {
        fputs("serve_load: out of memory\n", stderr);
        return 3;
    }
    long at = 0;
    for (int i = 0; i < options.clients; i++) {
        memcpy(latencies + at, clients[i].latencies, sizeof(double) * (size_t)clients[i].succeeded);
        at += clients[i].succeeded;
    }
    qsort(latencies, (size_t)succeeded, sizeof(double), compare_doubles);

    struct text report = {0};
    APPEND(&report, "{\"endpoint\": ");
    text_json_string(&report, options.endpoint, strlen(options.endpoint), true);
    text_printf(&report, ", \"clients\": %d, \"requestsPerClient\": %ld, \"requests\": %ld, \"succeeded\": %ld, "
                         "\"failed\": %ld, \"failures\": [",
                options.clients, options.requests, total, succeeded, failed);
    int listed = 0;
    for (int i = 0; i < options.clients && listed < KEPT_FAILURES; i++) {
        for (int k = 0; k < clients[i].kept && listed < KEPT_FAILURES; k++, listed++) {
            if (listed) APPEND(&report, ", ");
            text_json_string(&report, clients[i].failures[k], strlen(clients[i].failures[k]), false);
        }
        if (clients[i].not_run && listed < KEPT_FAILURES) {
            char text[FAILURE_TEXT];
            snprintf(text, sizeof text, "not run: %ld calls left when --timeout (%g s) elapsed", clients[i].not_run,
                     options.timeout);
            if (listed) APPEND(&report, ", ");
            text_json_string(&report, text, strlen(text), false);
            listed++;
        }
    }
    text_printf(&report, "], \"seconds\": %.3f, ", seconds);
    if (seconds > 0) text_printf(&report, "\"callsPerSecond\": %.1f, ", (double)succeeded / seconds);
    else APPEND(&report, "\"callsPerSecond\": null, ");
    if (succeeded) {
        text_printf(&report, "\"p50Milliseconds\": %.3f, \"p99Milliseconds\": %.3f, ",
                    percentile(latencies, succeeded, 0.50) * 1000, percentile(latencies, succeeded, 0.99) * 1000);
    } else {
        APPEND(&report, "\"p50Milliseconds\": null, \"p99Milliseconds\": null, ");
    }
    text_printf(&report, "\"connections\": %ld, \"retried\": %ld}", connections, retried);
    puts(report.bytes);

    for (int i = 0; i < options.clients; i++) free(clients[i].latencies);
    free(latencies);
    free(report.bytes);
    free(body.bytes);
    free(clients);
    free(threads);
    if (shared.addresses) freeaddrinfo(shared.addresses);
    EVP_MD_free(sha256);
    return failed == 0 ? 0 : 1;
}
