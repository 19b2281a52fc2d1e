// libyaml's events, optionally made on a thread of their own.
//
// A YAML template is parsed in two halves of about equal cost: libyaml scanning the text into
// events, and the composer turning events into located nodes. On a machine with a second core
// the halves can overlap: a producer thread runs libyaml and hands events over in batches while
// the caller composes them. The events stay this module's: while the producer runs, libyaml's
// mallocs and frees happen on its thread (freeing on the composing thread what the producer
// allocated made both wait on malloc's arena locks); what is left at the end is freed by
// cinch_yaml_events_close on the caller's.
#ifndef CINCH_YAML_EVENTS_H
#define CINCH_YAML_EVENTS_H

#include <stddef.h>
#include <yaml.h>

typedef struct cinch_yaml_events cinch_yaml_events;

// Starts reading `size` bytes at `input`, which must stay valid until cinch_yaml_events_close.
// With `threaded` set, libyaml runs on a thread of its own (when one can be made; otherwise, as
// without it, on the caller's, event by event). NULL when memory or libyaml's setup fails.
cinch_yaml_events *cinch_yaml_events_open(const unsigned char *input, size_t size, int threaded);

// The next event, valid until the next call or cinch_yaml_events_close (the caller must not
// delete it), or NULL when libyaml failed (cinch_yaml_events_parser says why), and NULL again
// on every call after that. After a YAML_STREAM_END_EVENT, an event of type YAML_NO_EVENT.
const yaml_event_t *cinch_yaml_events_next(cinch_yaml_events *events);

// libyaml's parser, for its error fields once cinch_yaml_events_next returned NULL. Not to be
// used otherwise while the producer thread may be running.
const yaml_parser_t *cinch_yaml_events_parser(const cinch_yaml_events *events);

// Whether a producer thread was started for these events.
int cinch_yaml_events_is_threaded(const cinch_yaml_events *events);

// Stops the producer (when the caller stopped early), deletes every event, and releases
// everything. Safe to call at any point after open.
void cinch_yaml_events_close(cinch_yaml_events *events);

#endif
