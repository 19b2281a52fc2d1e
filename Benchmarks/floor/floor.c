/*
 * floor: the physical floor for cinch's benchmarks, a small C program over libyaml that does the
 * least work the same job takes, so "how close to the floor" is measured on the same file and
 * machine (Benchmarks/run.py builds it with `cc -O2 floor.c -lyaml`).
 *
 *   floor version            print libyaml's version
 *   floor events FILE        read the file and run libyaml's event loop over it, nothing else
 *   floor parse FILE         read, parse, and compose a located tree (tag, style, byte span,
 *                            line:column and value of every node), as `cinch parse` does
 *   floor refs FILE          parse as above and list every {{resolve:…}} found in a scalar with
 *                            its line:column, kind and name, as `cinch refs` does
 *   floor render [--mode pin|inline] --seed SEED.tsv [-D NAME=VALUE]… -o OUT FILE
 *                            parse (event API), find every reference in a scalar, look each up
 *                            in the seed and write OUT by copying the input bytes outside the
 *                            reference spans: `pin` writes the exact pinned form (the version, or
 *                            `::VERSION-ID` for a secret), `inline` the value, quoted for where it
 *                            lands (plain, single- or double-quoted, block scalar, JSON string,
 *                            `${` escaped inside !Sub / Fn::Sub), as `cinch lock` + `render` do
 *
 * The seed is the generator's bench-N.seed.tsv: `P NAME VERSION VALUE` per parameter version and
 * `S NAME VERSION-ID KEY VALUE` per secret (KEY empty for the whole SecretString), tab-separated,
 * with \t \n \\ escaped. References are found in the raw bytes of scalars whose parsed value holds
 * one, so comments and keys are left alone. -D gives template parameter values for names written
 * with ${NAME} inside a !Sub. The program exits 1 when a reference is missing from the seed and 2
 * on a usage, I/O or YAML error.
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

/* ---------------------------------------------------------------------------------------- */
/* Small helpers */

static void die(int status, const char *format, ...) {
    va_list args;
    va_start(args, format);
    fputs("floor: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    exit(status);
}

static void *xmalloc(size_t size) {
    void *p = malloc(size ? size : 1);
    if (!p) die(2, "out of memory");
    return p;
}

static void *xrealloc(void *old, size_t size) {
    void *p = realloc(old, size ? size : 1);
    if (!p) die(2, "out of memory");
    return p;
}

typedef struct {
    unsigned char *bytes;
    size_t length, capacity;
} Buffer;

static void buf_reserve(Buffer *b, size_t extra) {
    if (b->length + extra <= b->capacity) return;
    size_t capacity = b->capacity ? b->capacity : 4096;
    while (capacity < b->length + extra) capacity *= 2;
    b->bytes = xrealloc(b->bytes, capacity);
    b->capacity = capacity;
}

static void buf_append(Buffer *b, const void *bytes, size_t length) {
    buf_reserve(b, length);
    memcpy(b->bytes + b->length, bytes, length);
    b->length += length;
}

static void buf_byte(Buffer *b, unsigned char c) {
    buf_reserve(b, 1);
    b->bytes[b->length++] = c;
}

static void buf_str(Buffer *b, const char *s) { buf_append(b, s, strlen(s)); }

static unsigned char *read_file(const char *path, size_t *length) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) die(2, "cannot open '%s': %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) die(2, "cannot stat '%s': %s", path, strerror(errno));
    size_t size = (size_t)st.st_size;
    unsigned char *bytes = xmalloc(size + 1);
    size_t done = 0;
    while (done < size) {
        ssize_t n = read(fd, bytes + done, size - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) die(2, "cannot read '%s': %s", path, n < 0 ? strerror(errno) : "short read");
        done += (size_t)n;
    }
    close(fd);
    bytes[size] = 0;
    *length = size;
    return bytes;
}

static void write_file(const char *path, const Buffer *b, mode_t mode) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0) die(2, "cannot create '%s': %s", path, strerror(errno));
    fchmod(fd, mode);
    size_t done = 0;
    while (done < b->length) {
        ssize_t n = write(fd, b->bytes + done, b->length - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) die(2, "cannot write '%s': %s", path, strerror(errno));
        done += (size_t)n;
    }
    if (close(fd) != 0) die(2, "cannot write '%s': %s", path, strerror(errno));
}

/* libyaml counts marks in characters; map them to byte offsets with a cursor that only moves
 * forward and back from the previous mark (a no-op for ASCII files). */
typedef struct {
    const unsigned char *bytes;
    size_t length, base, character, offset;
    int ascii;
} MarkMapper;

static void marks_init(MarkMapper *m, const unsigned char *bytes, size_t length) {
    m->bytes = bytes;
    m->length = length;
    m->base = (length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) ? 3 : 0;
    m->character = 0;
    m->offset = m->base;
    m->ascii = 1;
    for (size_t i = 0; i < length; i++)
        if (bytes[i] & 0x80) { m->ascii = 0; break; }
}

static size_t marks_offset(MarkMapper *m, yaml_mark_t mark) {
    if (m->ascii) return mark.index < m->length ? mark.index : m->length;
    while (m->character < mark.index && m->offset < m->length) {
        m->offset++;
        while (m->offset < m->length && (m->bytes[m->offset] & 0xC0) == 0x80) m->offset++;
        m->character++;
    }
    while (m->character > mark.index && m->offset > m->base) {
        m->offset--;
        while (m->offset > m->base && (m->bytes[m->offset] & 0xC0) == 0x80) m->offset--;
        m->character--;
    }
    return m->offset;
}

static void parser_error(yaml_parser_t *parser, const char *path) {
    die(2, "%s:%zu:%zu: %s", path, parser->problem_mark.line + 1, parser->problem_mark.column + 1,
        parser->problem ? parser->problem : "YAML error");
}

/* ---------------------------------------------------------------------------------------- */
/* References: `{{resolve:SERVICE:…}}` in the raw bytes of a scalar */

enum { REF_SSM, REF_SSM_SECURE, REF_SECRETS, REF_OTHER };

typedef struct {
    size_t start, end;       /* span in the file, braces included */
    int kind;
    const unsigned char *name; /* secret id or parameter name, as written */
    size_t name_length;
    const unsigned char *version; /* ssm: the version after the name, or NULL */
    size_t version_length;
    const unsigned char *key; /* secretsmanager: the JSON key (may be empty), or NULL */
    size_t key_length;
} Reference;

static const unsigned char *find(const unsigned char *from, const unsigned char *to, const char *needle) {
    size_t n = strlen(needle);
    if ((size_t)(to - from) < n) return NULL;
    return memmem(from, (size_t)(to - from), needle, n);
}

/* Parses the reference starting at `at` (pointing at "{{resolve:"), within [at, limit). */
static int parse_reference(const unsigned char *file, const unsigned char *at, const unsigned char *limit,
                           Reference *ref) {
    const unsigned char *body = at + 10;
    const unsigned char *close = find(body, limit, "}}");
    if (!close) return 0;
    memset(ref, 0, sizeof *ref);
    ref->start = (size_t)(at - file);
    ref->end = (size_t)(close + 2 - file);
    const unsigned char *segments[16];
    size_t lengths[16];
    size_t count = 0;
    const unsigned char *p = body;
    while (count < 16) {
        const unsigned char *colon = memchr(p, ':', (size_t)(close - p));
        const unsigned char *stop = colon ? colon : close;
        segments[count] = p;
        lengths[count] = (size_t)(stop - p);
        count++;
        if (!colon) break;
        p = colon + 1;
    }
    if (count < 2) return 0;
#define SEGMENT_IS(i, s) (lengths[i] == strlen(s) && memcmp(segments[i], s, lengths[i]) == 0)
    if (SEGMENT_IS(0, "ssm") || SEGMENT_IS(0, "ssm-secure")) {
        ref->kind = SEGMENT_IS(0, "ssm") ? REF_SSM : REF_SSM_SECURE;
        ref->name = segments[1];
        ref->name_length = lengths[1];
        if (count >= 3) {
            ref->version = segments[2];
            ref->version_length = lengths[2];
        }
        return 1;
    }
    if (SEGMENT_IS(0, "secretsmanager")) {
        ref->kind = REF_SECRETS;
        size_t next = 2;
        ref->name = segments[1];
        if (SEGMENT_IS(1, "arn") && count >= 8) next = 8; /* arn:partition:secretsmanager:region:account:secret:name */
        ref->name_length = (size_t)(segments[next - 1] + lengths[next - 1] - segments[1]);
        if (count > next + 1) {
            ref->key = segments[next + 1];
            ref->key_length = lengths[next + 1];
        } else {
            ref->key = segments[next - 1] + lengths[next - 1];
            ref->key_length = 0;
        }
        return 1;
    }
#undef SEGMENT_IS
    ref->kind = REF_OTHER;
    return 1;
}

static const char *kind_name(int kind) {
    switch (kind) {
    case REF_SSM: return "ssm";
    case REF_SSM_SECURE: return "ssm-secure";
    case REF_SECRETS: return "secretsmanager";
    default: return "other";
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The seed: an open-addressing hash table from keys to (version, value) */

typedef struct {
    char *key;
    size_t key_length;
    char *version;
    char *value;
    size_t value_length;
    long number; /* parameter version, for "latest" */
} Entry;

typedef struct {
    Entry *slots;
    size_t capacity, count;
} Table;

static uint64_t hash_bytes(const void *bytes, size_t length) {
    const unsigned char *p = bytes;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < length; i++) { h ^= p[i]; h *= 1099511628211ULL; }
    return h;
}

static Entry *table_slot(Table *t, const char *key, size_t length) {
    size_t mask = t->capacity - 1;
    for (size_t i = hash_bytes(key, length) & mask;; i = (i + 1) & mask) {
        Entry *e = &t->slots[i];
        if (!e->key || (e->key_length == length && memcmp(e->key, key, length) == 0)) return e;
    }
}

static void table_grow(Table *t) {
    Table bigger = {xmalloc(sizeof(Entry) * t->capacity * 2), t->capacity * 2, t->count};
    memset(bigger.slots, 0, sizeof(Entry) * bigger.capacity);
    for (size_t i = 0; i < t->capacity; i++)
        if (t->slots[i].key) *table_slot(&bigger, t->slots[i].key, t->slots[i].key_length) = t->slots[i];
    free(t->slots);
    *t = bigger;
}

static Entry *table_put(Table *t, const char *key, size_t length) {
    if ((t->count + 1) * 4 > t->capacity * 3) table_grow(t);
    Entry *e = table_slot(t, key, length);
    if (!e->key) {
        e->key = xmalloc(length);
        memcpy(e->key, key, length);
        e->key_length = length;
        t->count++;
    }
    return e;
}

static size_t unescape(char *s) {
    char *out = s;
    for (char *p = s; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            *out++ = *p == 't' ? '\t' : *p == 'n' ? '\n' : *p;
        } else {
            *out++ = *p;
        }
    }
    *out = 0;
    return (size_t)(out - s);
}

/* Keys: "P\x1fNAME" (latest), "P\x1fNAME\x1fVERSION", "S\x1fNAME\x1fKEY". */
static void load_seed(Table *t, const char *path) {
    size_t length;
    char *text = (char *)read_file(path, &length);
    t->capacity = 1024;
    t->count = 0;
    t->slots = xmalloc(sizeof(Entry) * t->capacity);
    memset(t->slots, 0, sizeof(Entry) * t->capacity);
    Buffer key = {0};
    char *line = text;
    while (line < text + length) {
        char *newline = strchr(line, '\n');
        if (newline) *newline = 0;
        char *fields[5] = {0};
        size_t count = 0;
        for (char *p = line; count < 5;) {
            fields[count++] = p;
            char *tab = strchr(p, '\t');
            if (!tab) break;
            *tab = 0;
            p = tab + 1;
        }
        if (count == 4 && fields[0][0] == 'P') {
            long number = strtol(fields[2], NULL, 10);
            size_t value_length = unescape(fields[3]);
            key.length = 0;
            buf_str(&key, "P\x1f");
            buf_str(&key, fields[1]);
            Entry *latest = table_put(t, (char *)key.bytes, key.length);
            if (number > latest->number) {
                latest->number = number;
                latest->version = fields[2];
                latest->value = fields[3];
                latest->value_length = value_length;
            }
            buf_byte(&key, 0x1f);
            buf_str(&key, fields[2]);
            Entry *e = table_put(t, (char *)key.bytes, key.length);
            e->number = number;
            e->version = fields[2];
            e->value = fields[3];
            e->value_length = value_length;
        } else if (count == 5 && fields[0][0] == 'S') {
            size_t value_length = unescape(fields[4]);
            key.length = 0;
            buf_str(&key, "S\x1f");
            buf_str(&key, fields[1]);
            buf_byte(&key, 0x1f);
            buf_str(&key, fields[3]);
            Entry *e = table_put(t, (char *)key.bytes, key.length);
            e->version = fields[2];
            e->value = fields[4];
            e->value_length = value_length;
        } else if (line[0]) {
            die(2, "%s: malformed line '%.40s'", path, line);
        }
        if (!newline) break;
        line = newline + 1;
    }
    free(key.bytes);
}

/* Template parameters for ${NAME} in names (-D NAME=VALUE). */
typedef struct {
    const char *name[32];
    const char *value[32];
    size_t count;
} Defines;

static void substitute(Buffer *out, const unsigned char *text, size_t length, const Defines *defines) {
    for (size_t i = 0; i < length;) {
        if (text[i] == '$' && i + 1 < length && text[i + 1] == '{') {
            const unsigned char *close = memchr(text + i, '}', length - i);
            if (close) {
                size_t name_length = (size_t)(close - (text + i + 2));
                size_t d;
                for (d = 0; d < defines->count; d++)
                    if (strlen(defines->name[d]) == name_length &&
                        memcmp(defines->name[d], text + i + 2, name_length) == 0)
                        break;
                if (d < defines->count) {
                    buf_str(out, defines->value[d]);
                    i = (size_t)(close - text) + 1;
                    continue;
                }
            }
        }
        buf_byte(out, text[i++]);
    }
}

static const Entry *lookup(Table *t, const Reference *ref, const Defines *defines, Buffer *key) {
    key->length = 0;
    buf_str(key, ref->kind == REF_SECRETS ? "S\x1f" : "P\x1f");
    substitute(key, ref->name, ref->name_length, defines);
    if (ref->kind == REF_SECRETS) {
        buf_byte(key, 0x1f);
        buf_append(key, ref->key, ref->key_length);
    } else if (ref->version) {
        buf_byte(key, 0x1f);
        buf_append(key, ref->version, ref->version_length);
    }
    if (t->count == 0) return NULL;
    Entry *e = table_slot(t, (char *)key->bytes, key->length);
    return e->key ? e : NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* events: libyaml's event loop alone */

static int run_events(const char *path) {
    size_t length;
    unsigned char *bytes = read_file(path, &length);
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, bytes, length);
    size_t events = 0;
    for (;;) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) parser_error(&parser, path);
        int done = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
        events++;
        if (done) break;
    }
    yaml_parser_delete(&parser);
    printf("%zu events\n", events);
    free(bytes);
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* parse and refs: a located tree, composed from the events */

typedef struct Node {
    yaml_event_type_t kind; /* scalar, sequence start or mapping start */
    int style;
    unsigned char *tag;
    unsigned char *value;
    size_t length;
    size_t start, end;
    size_t line, column;
    struct Node *first, *last, *next;
    size_t children;
} Node;

typedef struct {
    Node *blocks[64];
    size_t block, used;
} Arena;

#define ARENA_BLOCK 65536
static Node *arena_node(Arena *a) {
    if (a->block == 0 || a->used == ARENA_BLOCK) {
        if (a->block == 64) die(2, "too many nodes");
        a->blocks[a->block++] = xmalloc(sizeof(Node) * ARENA_BLOCK);
        a->used = 0;
    }
    Node *n = &a->blocks[a->block - 1][a->used++];
    memset(n, 0, sizeof *n);
    return n;
}

static void attach(Node **stack, size_t depth, Node **root, Node *node) {
    if (depth == 0) { *root = node; return; }
    Node *parent = stack[depth - 1];
    if (parent->last) parent->last->next = node; else parent->first = node;
    parent->last = node;
    parent->children++;
}

/* Line and column (1-based) of `offset`, counted from a known earlier position. */
static void advance(const unsigned char *bytes, size_t from, size_t to, size_t *line, size_t *column) {
    for (size_t i = from; i < to; i++) {
        if (bytes[i] == '\n') { (*line)++; *column = 1; }
        else if ((bytes[i] & 0xC0) != 0x80) (*column)++;
    }
}

static int run_parse(const char *path, int list_refs) {
    size_t length;
    unsigned char *bytes = read_file(path, &length);
    MarkMapper marks;
    marks_init(&marks, bytes, length);
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, bytes, length);
    Arena arena = {0};
    Node *stack[1024];
    size_t depth = 0, nodes = 0, refs = 0;
    Node *root = NULL;
    FILE *out = stdout;
    static char out_buffer[1 << 16];
    setvbuf(out, out_buffer, _IOFBF, sizeof out_buffer);
    for (;;) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) parser_error(&parser, path);
        yaml_event_type_t type = event.type;
        if (type == YAML_STREAM_END_EVENT) { yaml_event_delete(&event); break; }
        if (type == YAML_SCALAR_EVENT || type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT) {
            Node *node = arena_node(&arena);
            nodes++;
            node->kind = type;
            node->start = marks_offset(&marks, event.start_mark);
            node->line = event.start_mark.line + 1;
            node->column = event.start_mark.column + 1;
            if (type == YAML_SCALAR_EVENT) {
                node->end = marks_offset(&marks, event.end_mark);
                node->style = event.data.scalar.style;
                node->tag = event.data.scalar.tag;       /* the tree takes the strings */
                node->value = event.data.scalar.value;
                node->length = event.data.scalar.length;
                event.data.scalar.tag = NULL;
                event.data.scalar.value = NULL;
                attach(stack, depth, &root, node);
                if (list_refs && find(node->value, node->value + node->length, "{{resolve:")) {
                    const unsigned char *from = bytes + node->start, *limit = bytes + node->end;
                    size_t line = node->line, column = node->column, at_offset = node->start;
                    const unsigned char *at;
                    while ((at = find(from, limit, "{{resolve:"))) {
                        Reference ref;
                        if (!parse_reference(bytes, at, limit, &ref)) break;
                        advance(bytes, at_offset, ref.start, &line, &column);
                        at_offset = ref.start;
                        fprintf(out, "%s:%zu:%zu: %s %.*s\n", path, line, column, kind_name(ref.kind),
                                (int)ref.name_length, ref.name ? (const char *)ref.name : "");
                        refs++;
                        from = bytes + ref.end;
                    }
                }
            } else {
                int mapping = type == YAML_MAPPING_START_EVENT;
                node->style = mapping ? event.data.mapping_start.style : event.data.sequence_start.style;
                node->tag = mapping ? event.data.mapping_start.tag : event.data.sequence_start.tag;
                if (mapping) event.data.mapping_start.tag = NULL; else event.data.sequence_start.tag = NULL;
                attach(stack, depth, &root, node);
                if (depth == sizeof stack / sizeof *stack) die(2, "%s: nesting too deep", path);
                stack[depth++] = node;
            }
        } else if (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT) {
            stack[--depth]->end = marks_offset(&marks, event.end_mark);
        }
        yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);
    if (list_refs) fprintf(out, "%zu references\n", refs);
    else fprintf(out, "%zu nodes, root spans %zu bytes\n", nodes, root ? root->end - root->start : 0);
    fflush(out);
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* render: splice every reference, copying the bytes outside reference spans */

typedef struct {
    int mapping, flow, expect_key, value_is_sub;
} Frame;

static int plain_safe(const unsigned char *value, size_t length) {
    if (length == 0) return 0;
    for (size_t i = 0; i < length; i++) {
        unsigned char c = value[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80 ||
              strchr("-._/@+=~^", c)))
            return 0;
    }
    return 1;
}

/* Appends a value escaped for a double-quoted YAML scalar or a JSON string. */
static void escape_double(Buffer *out, const unsigned char *value, size_t length) {
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < length; i++) {
        unsigned char c = value[i];
        switch (c) {
        case '"': buf_str(out, "\\\""); break;
        case '\\': buf_str(out, "\\\\"); break;
        case '\n': buf_str(out, "\\n"); break;
        case '\t': buf_str(out, "\\t"); break;
        case '\r': buf_str(out, "\\r"); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                buf_str(out, "\\u00");
                buf_byte(out, (unsigned char)hex[c >> 4]);
                buf_byte(out, (unsigned char)hex[c & 15]);
            } else {
                buf_byte(out, c);
            }
        }
    }
}

/* The text that replaces one reference, before quoting: a pinned form or the value. */
static void replacement(Buffer *text, const Reference *ref, const Entry *entry, int inline_mode, int in_sub,
                        const unsigned char *file) {
    text->length = 0;
    if (!inline_mode) {
        if (ref->kind == REF_SECRETS) {
            buf_str(text, "{{resolve:secretsmanager:");
            buf_append(text, ref->name, ref->name_length);
            buf_str(text, ":SecretString:");
            buf_append(text, ref->key, ref->key_length);
            buf_str(text, "::");
            buf_str(text, entry->version);
            buf_str(text, "}}");
        } else {
            /* ssm and ssm-secure: the name as written, then the version taken */
            buf_append(text, file + ref->start, (size_t)(ref->name + ref->name_length - (file + ref->start)));
            buf_byte(text, ':');
            buf_str(text, entry->version);
            buf_str(text, "}}");
        }
        return;
    }
    for (size_t i = 0; i < entry->value_length; i++) {
        buf_byte(text, (unsigned char)entry->value[i]);
        if (in_sub && entry->value[i] == '$' && i + 1 < entry->value_length && entry->value[i + 1] == '{') {
            buf_str(text, "{!");
            i++;
        }
    }
}

typedef struct {
    Reference ref;
    Buffer text;
} Splice;

static int run_render(const char *path, const char *seed_path, const char *output, int inline_mode,
                      const Defines *defines) {
    Table seed;
    load_seed(&seed, seed_path);
    size_t length;
    unsigned char *bytes = read_file(path, &length);
    size_t first = 0;
    while (first < length && (bytes[first] == ' ' || bytes[first] == '\n' || bytes[first] == '\r' || bytes[first] == '\t'))
        first++;
    int json = first < length && bytes[first] == '{';
    MarkMapper marks;
    marks_init(&marks, bytes, length);
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, bytes, length);

    Buffer out = {0}, key = {0};
    buf_reserve(&out, length + length / 8);
    size_t copied = 0, refs = 0, missing = 0, requoted = 0;
    Frame frames[1024];
    size_t depth = 0, flow = 0;
    Splice *splices = NULL;
    size_t splice_capacity = 0;

    for (;;) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) parser_error(&parser, path);
        yaml_event_type_t type = event.type;
        if (type == YAML_STREAM_END_EVENT) { yaml_event_delete(&event); break; }
        int is_key = depth > 0 && frames[depth - 1].mapping && frames[depth - 1].expect_key;
        int in_sub = depth > 0 && !is_key && frames[depth - 1].value_is_sub;
        if (type == YAML_SCALAR_EVENT) {
            const unsigned char *value = event.data.scalar.value;
            size_t value_length = event.data.scalar.length;
            const char *tag = (const char *)event.data.scalar.tag;
            if (tag && strcmp(tag, "!Sub") == 0) in_sub = 1;
            if (!is_key && find(value, value + value_length, "{{resolve:")) {
                size_t start = marks_offset(&marks, event.start_mark);
                size_t end = marks_offset(&marks, event.end_mark);
                yaml_scalar_style_t style = event.data.scalar.style;
                /* Collect this scalar's references and their replacement text. */
                size_t count = 0;
                int quote = 0;
                const unsigned char *from = bytes + start, *limit = bytes + end, *at;
                while ((at = find(from, limit, "{{resolve:"))) {
                    if (count == splice_capacity) {
                        size_t grown = splice_capacity ? splice_capacity * 2 : 8;
                        splices = xrealloc(splices, sizeof(Splice) * grown);
                        memset(splices + splice_capacity, 0, sizeof(Splice) * (grown - splice_capacity));
                        splice_capacity = grown;
                    }
                    Splice *s = &splices[count];
                    if (!parse_reference(bytes, at, limit, &s->ref)) break;
                    from = bytes + s->ref.end;
                    if (s->ref.kind == REF_OTHER) continue;
                    const Entry *entry = lookup(&seed, &s->ref, defines, &key);
                    if (!entry) {
                        fprintf(stderr, "floor: %s: reference not in the seed: %.*s\n", path,
                                (int)(s->ref.end - s->ref.start), (const char *)bytes + s->ref.start);
                        missing++;
                        continue;
                    }
                    replacement(&s->text, &s->ref, entry, inline_mode, in_sub, bytes);
                    if (inline_mode) {
                        if (style == YAML_PLAIN_SCALAR_STYLE && !plain_safe(s->text.bytes, s->text.length)) quote = 1;
                        if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE && memchr(s->text.bytes, '\n', s->text.length)) quote = 1;
                    }
                    count++;
                }
                refs += count;
                if (count > 0) {
                    int requote = quote && !json;
                    size_t content_start = start, content_end = end;
                    if (requote) {
                        /* The value cannot sit in this scalar as written: rewrite it as a
                         * double-quoted scalar holding the same text. */
                        if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE) { content_start++; content_end--; }
                        buf_append(&out, bytes + copied, start - copied);
                        buf_byte(&out, '"');
                        requoted++;
                    } else {
                        buf_append(&out, bytes + copied, start - copied);
                    }
                    size_t at_offset = content_start;
                    for (size_t r = 0; r < count; r++) {
                        Splice *s = &splices[r];
                        const unsigned char *between = bytes + at_offset;
                        size_t between_length = s->ref.start - at_offset;
                        if (requote) {
                            for (size_t i = 0; i < between_length; i++) {
                                if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE && between[i] == '\'' && i + 1 < between_length && between[i + 1] == '\'') i++;
                                escape_double(&out, between + i, 1);
                            }
                        } else {
                            buf_append(&out, between, between_length);
                        }
                        const unsigned char *text = s->text.bytes;
                        size_t text_length = s->text.length;
                        if (!inline_mode) {
                            buf_append(&out, text, text_length);
                        } else if (requote || json || style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
                            escape_double(&out, text, text_length);
                        } else if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE) {
                            for (size_t i = 0; i < text_length; i++) {
                                buf_byte(&out, text[i]);
                                if (text[i] == '\'') buf_byte(&out, '\'');
                            }
                        } else if (style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE) {
                            /* Continue each new line at the block's indentation: that of its
                             * first line that is not blank. */
                            size_t line_start = start;
                            while (line_start < end && bytes[line_start] != '\n') line_start++;
                            size_t indent = 0;
                            while (line_start < end) {
                                line_start++;
                                indent = 0;
                                while (line_start + indent < end && bytes[line_start + indent] == ' ') indent++;
                                if (line_start + indent < end && bytes[line_start + indent] != '\n') break;
                                line_start += indent;
                            }
                            for (size_t i = 0; i < text_length; i++) {
                                buf_byte(&out, text[i]);
                                if (text[i] == '\n') {
                                    if (style == YAML_FOLDED_SCALAR_STYLE) buf_byte(&out, '\n');
                                    for (size_t k = 0; k < indent; k++) buf_byte(&out, ' ');
                                }
                            }
                        } else {
                            buf_append(&out, text, text_length);
                        }
                        at_offset = s->ref.end;
                    }
                    if (requote) {
                        const unsigned char *rest = bytes + at_offset;
                        size_t rest_length = content_end - at_offset;
                        for (size_t i = 0; i < rest_length; i++) {
                            if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE && rest[i] == '\'' && i + 1 < rest_length && rest[i + 1] == '\'') i++;
                            escape_double(&out, rest + i, 1);
                        }
                        buf_byte(&out, '"');
                        copied = end;
                    } else {
                        copied = at_offset;
                    }
                }
            }
            if (depth > 0 && frames[depth - 1].mapping) {
                Frame *f = &frames[depth - 1];
                if (f->expect_key)
                    f->value_is_sub = value_length == 7 && memcmp(value, "Fn::Sub", 7) == 0;
                f->expect_key = !f->expect_key;
            }
        } else if (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT) {
            int mapping = type == YAML_MAPPING_START_EVENT;
            int style = mapping ? event.data.mapping_start.style : event.data.sequence_start.style;
            const char *tag = (const char *)(mapping ? event.data.mapping_start.tag : event.data.sequence_start.tag);
            if (depth == sizeof frames / sizeof *frames) die(2, "%s: nesting too deep", path);
            int is_flow = style == YAML_FLOW_MAPPING_STYLE || style == YAML_FLOW_SEQUENCE_STYLE;
            /* The string of a !Sub [string, {vars}] is the sequence's first item. */
            frames[depth++] = (Frame){mapping, is_flow, 1, !mapping && (in_sub || (tag && strcmp(tag, "!Sub") == 0))};
            flow += is_flow;
        } else if (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT) {
            Frame *f = &frames[--depth];
            flow -= f->flow;
            if (depth > 0 && frames[depth - 1].mapping) frames[depth - 1].expect_key = 1;
        } else if (type == YAML_ALIAS_EVENT) {
            if (depth > 0 && frames[depth - 1].mapping) frames[depth - 1].expect_key ^= 1;
        }
        /* A sequence's !Sub applies to its first item only. */
        if (depth > 0 && !frames[depth - 1].mapping && type == YAML_SCALAR_EVENT) frames[depth - 1].value_is_sub = 0;
        yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);
    (void)flow;
    buf_append(&out, bytes + copied, length - copied);
    write_file(output, &out, inline_mode ? 0600 : 0644);
    fprintf(stdout, "%zu references %s, %zu scalars requoted, %zu missing\n", refs,
            inline_mode ? "inlined" : "pinned", requoted, missing);
    free(out.bytes);
    free(key.bytes);
    free(bytes);
    return missing ? 1 : 0;
}

/* ---------------------------------------------------------------------------------------- */

static void usage(void) {
    fputs("usage: floor version\n"
          "       floor events FILE\n"
          "       floor parse FILE\n"
          "       floor refs FILE\n"
          "       floor render [--mode pin|inline] --seed SEED.tsv [-D NAME=VALUE]... -o OUT FILE\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "version") == 0) {
        printf("libyaml %s\n", yaml_get_version_string());
        return 0;
    }
    if (argc < 3) usage();
    const char *command = argv[1];
    if (strcmp(command, "events") == 0 && argc == 3) return run_events(argv[2]);
    if (strcmp(command, "parse") == 0 && argc == 3) return run_parse(argv[2], 0);
    if (strcmp(command, "refs") == 0 && argc == 3) return run_parse(argv[2], 1);
    if (strcmp(command, "render") != 0) usage();
    const char *seed = NULL, *output = NULL, *input = NULL;
    int inline_mode = 0;
    Defines defines = {0};
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--mode") == 0 && i + 1 < argc) {
            i++;
            if (strcmp(argv[i], "inline") == 0) inline_mode = 1;
            else if (strcmp(argv[i], "pin") != 0) usage();
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            seed = argv[++i];
        } else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            output = argv[++i];
        } else if (strcmp(argv[i], "-D") == 0 && i + 1 < argc) {
            char *equals = strchr(argv[++i], '=');
            if (!equals || defines.count == 32) usage();
            *equals = 0;
            defines.name[defines.count] = argv[i];
            defines.value[defines.count++] = equals + 1;
        } else if (!input && argv[i][0] != '-') {
            input = argv[i];
        } else {
            usage();
        }
    }
    if (!seed || !output || !input) usage();
    return run_render(input, seed, output, inline_mode, &defines);
}
