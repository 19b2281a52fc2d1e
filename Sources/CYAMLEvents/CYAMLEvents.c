// See include/CYAMLEvents.h.
//
// The producer fills batches of events in a ring and publishes each whole batch by moving a
// counter; the consumer reads one batch at a time and returns it, by moving its own counter,
// once it has read every event in it. The producer deletes a returned batch's events before it
// fills the slot again, so libyaml's allocations are made and freed on its own thread.
//
// Waiting: the two halves run at about the same speed, so one often waits a few microseconds
// for the other. Sleeping on a condition variable there cost a futex wake-up per batch (with
// 256-event batches, ~4,000 of them for 10,000 resources, each tens of microseconds of latency:
// both threads were busy only ~55% of the time). A thread that finds nothing to do first spins
// briefly on the other's counter, yielding its core now and then to any other thread of the
// process that is ready (a spinning composer took the core from `check`'s store thread), and
// only then sleeps, until half of the ring is ready for it; the other wakes it only then. The
// first batches are small so that composing starts soon after parsing does.
#include "CYAMLEvents.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define cpu_relax() _mm_pause()
#elif defined(__aarch64__)
#define cpu_relax() __asm__ __volatile__("yield")
#else
#define cpu_relax() ((void)0)
#endif

enum {
  batch_capacity = 256,
  first_batch_size = 16,
  // Batches 0 to small_batches - 1 hold first_batch_size << index events (16 … 256).
  small_batches = 5,
  ring_size = 8,
  // Pauses before sleeping: ~30–100 µs, longer than a batch takes either side; every
  // `yield_every`th gives the core to a ready thread instead.
  spin_limit = 2000,
  yield_every = 64,
  // A sleeping side is woken when this many batches are ready for it (or the stream ended).
  wake_batches = ring_size / 2,
};

enum batch_end {
  batch_full = 0,    // more events follow in the next batch
  batch_stream_end,  // the last event is YAML_STREAM_END_EVENT
  batch_failed,      // libyaml failed after the batch's events
};

struct batch {
  yaml_event_t events[batch_capacity];
  int count;  // events in the slot, still to be deleted
  enum batch_end end;
};

struct cinch_yaml_events {
  yaml_parser_t parser;
  int threaded;
  // The caller was answered NULL (libyaml failed): it is answered NULL again, on both paths
  // (libyaml itself would hand out empty events after an error).
  int failed;

  // Unthreaded: the event handed out last, deleted on the next call.
  yaml_event_t current;
  int holding_current;

  // Threaded only.
  pthread_t thread;
  struct batch *ring;
  pthread_mutex_t lock;
  pthread_cond_t changed;

  // What both threads poll, on a cache line of its own. Batches published and returned: each
  // counter is written by one side only; a release store makes the batch's contents (or its
  // return) visible with the count, read with an acquire load.
  _Alignas(64) _Atomic unsigned long produced;
  _Atomic unsigned long consumed;
  _Atomic int cancelled;  // the caller closed before the end
  _Atomic int finished;   // the producer published its last batch
  // Sleeping: a side sets its flag, then looks at the other's counter once more, under the
  // lock; the other moves its counter, then wakes it under the lock when the flag is set.
  _Atomic int producer_sleeping;
  _Atomic int consumer_sleeping;

  // The consumer's own, written for every event: kept off the line the producer polls.
  _Alignas(64) int cursor;  // the consumer's next event in ring[consumed % ring_size]
  int holding;              // the consumer reads ring[consumed % ring_size]
};

_Static_assert(wake_batches >= 1 && wake_batches <= ring_size,
               "a sleeping side must be woken while the ring still has room for the other");
_Static_assert(first_batch_size >= 1 &&
                   (first_batch_size << (small_batches - 1)) <= batch_capacity,
               "the first batches grow from first_batch_size to at most batch_capacity");

// How many batches must be ready before a sleeping consumer is woken: one while the first,
// small batches come (so composing starts early), then half the ring. Never smaller for a
// larger `consumed`, so a producer that read a stale `consumed` only wakes more eagerly.
static unsigned long consumer_wake_batches(unsigned long consumed) {
  return consumed < small_batches ? 1 : wake_batches;
}

static void delete_events(struct batch *batch) {
  for (int i = 0; i < batch->count; i++) yaml_event_delete(&batch->events[i]);
  batch->count = 0;
}

static void pause_or_yield(int spin) {
  if (spin % yield_every == yield_every - 1) {
    sched_yield();
  } else {
    cpu_relax();
  }
}

static void wake(cinch_yaml_events *events, _Atomic int *sleeping) {
  if (!atomic_load(sleeping)) return;
  pthread_mutex_lock(&events->lock);
  pthread_cond_broadcast(&events->changed);
  pthread_mutex_unlock(&events->lock);
}

// Whether a slot is free for batch `index`; waits (spinning, then sleeping) until one is or
// the caller closed. 0 when cancelled.
static int wait_for_slot(cinch_yaml_events *events, unsigned long index) {
  for (int spin = 0; spin < spin_limit; spin++) {
    if (atomic_load_explicit(&events->cancelled, memory_order_relaxed)) return 0;
    if (index - atomic_load_explicit(&events->consumed, memory_order_acquire) < ring_size) {
      return 1;
    }
    pause_or_yield(spin);
  }
  pthread_mutex_lock(&events->lock);
  atomic_store(&events->producer_sleeping, 1);
  while (index - atomic_load(&events->consumed) > ring_size - wake_batches &&
         !atomic_load(&events->cancelled)) {
    pthread_cond_wait(&events->changed, &events->lock);
  }
  atomic_store(&events->producer_sleeping, 0);
  pthread_mutex_unlock(&events->lock);
  return !atomic_load(&events->cancelled);
}

static void *produce(void *raw) {
  cinch_yaml_events *events = raw;
  for (unsigned long index = 0;; index++) {
    if (!wait_for_slot(events, index)) return NULL;
    // The slot is free: the consumer returned it (the acquire load above saw that) and touches
    // it again only once it is published.
    struct batch *batch = &events->ring[index % ring_size];
    delete_events(batch);
    int limit = batch_capacity;
    if (index < small_batches) limit = first_batch_size << index;
    batch->end = batch_full;
    while (batch->count < limit) {
      // A large scalar takes a while: a caller that closed is not kept waiting for the batch.
      if (atomic_load_explicit(&events->cancelled, memory_order_relaxed)) return NULL;
      yaml_event_t *event = &batch->events[batch->count];
      if (!yaml_parser_parse(&events->parser, event)) {
        batch->end = batch_failed;
        break;
      }
      batch->count += 1;
      if (event->type == YAML_STREAM_END_EVENT) {
        batch->end = batch_stream_end;
        break;
      }
    }
    int last = batch->end != batch_full;
    if (last) atomic_store(&events->finished, 1);
    atomic_store(&events->produced, index + 1);
    unsigned long consumed = atomic_load(&events->consumed);
    if (last || index + 1 - consumed >= consumer_wake_batches(consumed)) {
      wake(events, &events->consumer_sleeping);
    }
    if (last) return NULL;
  }
}

cinch_yaml_events *cinch_yaml_events_open(const unsigned char *input, size_t size, int threaded) {
  cinch_yaml_events *events = calloc(1, sizeof *events);
  if (!events) return NULL;
  if (!yaml_parser_initialize(&events->parser)) {
    free(events);
    return NULL;
  }
  yaml_parser_set_input_string(&events->parser, input, size);
  if (!threaded) return events;

  // calloc: every slot starts with no events to delete.
  events->ring = calloc(ring_size, sizeof(struct batch));
  if (!events->ring) return events;
  if (pthread_mutex_init(&events->lock, NULL) != 0) goto unthreaded;
  if (pthread_cond_init(&events->changed, NULL) != 0) {
    pthread_mutex_destroy(&events->lock);
    goto unthreaded;
  }
  pthread_attr_t attributes;
  int created = -1;
  if (pthread_attr_init(&attributes) == 0) {
    // libyaml keeps its state on the heap; its deepest call chain is a few frames.
    pthread_attr_setstacksize(&attributes, 256 * 1024);
    created = pthread_create(&events->thread, &attributes, produce, events);
    pthread_attr_destroy(&attributes);
  }
  if (created != 0) {
    pthread_cond_destroy(&events->changed);
    pthread_mutex_destroy(&events->lock);
    goto unthreaded;
  }
  events->threaded = 1;
  return events;

unthreaded:
  free(events->ring);
  events->ring = NULL;
  return events;
}

static const yaml_event_t *next_unthreaded(cinch_yaml_events *events) {
  if (events->holding_current) {
    yaml_event_delete(&events->current);
    events->holding_current = 0;
  }
  if (!yaml_parser_parse(&events->parser, &events->current)) {
    events->failed = 1;
    return NULL;
  }
  events->holding_current = 1;
  return &events->current;
}

// Waits (spinning, then sleeping) until the batch after the last returned one is published.
static void wait_for_batch(cinch_yaml_events *events, unsigned long consumed) {
  for (int spin = 0; spin < spin_limit; spin++) {
    if (atomic_load_explicit(&events->produced, memory_order_acquire) - consumed > 0) return;
    pause_or_yield(spin);
  }
  pthread_mutex_lock(&events->lock);
  atomic_store(&events->consumer_sleeping, 1);
  while (atomic_load(&events->produced) - consumed < consumer_wake_batches(consumed) &&
         !atomic_load(&events->finished)) {
    pthread_cond_wait(&events->changed, &events->lock);
  }
  atomic_store(&events->consumer_sleeping, 0);
  pthread_mutex_unlock(&events->lock);
}

const yaml_event_t *cinch_yaml_events_next(cinch_yaml_events *events) {
  if (events->failed) return NULL;
  if (!events->threaded) return next_unthreaded(events);
  unsigned long consumed = atomic_load_explicit(&events->consumed, memory_order_relaxed);
  if (events->holding) {
    struct batch *batch = &events->ring[consumed % ring_size];
    if (events->cursor < batch->count) return &batch->events[events->cursor++];
    if (batch->end == batch_failed) {
      events->failed = 1;
      return NULL;
    }
    if (batch->end == batch_stream_end) {
      // Asked past the end: libyaml answers an empty event there too.
      memset(&events->current, 0, sizeof events->current);
      return &events->current;
    }
    // Every event of the batch was read: return it.
    consumed += 1;
    events->holding = 0;
    atomic_store(&events->consumed, consumed);
    if (atomic_load(&events->produced) - consumed <= ring_size - wake_batches) {
      wake(events, &events->producer_sleeping);
    }
  }
  // The producer publishes until it reaches the end or a failure, each published, so the next
  // batch always comes.
  wait_for_batch(events, consumed);
  events->holding = 1;
  events->cursor = 0;
  // A batch holds at least one event, or ends in a failure.
  return cinch_yaml_events_next(events);
}

const yaml_parser_t *cinch_yaml_events_parser(const cinch_yaml_events *events) {
  return &events->parser;
}

int cinch_yaml_events_is_threaded(const cinch_yaml_events *events) { return events->threaded; }

void cinch_yaml_events_close(cinch_yaml_events *events) {
  if (!events) return;
  if (events->threaded) {
    atomic_store(&events->cancelled, 1);
    pthread_mutex_lock(&events->lock);
    pthread_cond_broadcast(&events->changed);
    pthread_mutex_unlock(&events->lock);
    pthread_join(events->thread, NULL);
    for (int slot = 0; slot < ring_size; slot++) delete_events(&events->ring[slot]);
    pthread_cond_destroy(&events->changed);
    pthread_mutex_destroy(&events->lock);
    free(events->ring);
  } else if (events->holding_current) {
    yaml_event_delete(&events->current);
  }
  yaml_parser_delete(&events->parser);
  free(events);
}
