// Cache prefetch hints, the one thing the word2vec and GloVe inner loops need that Swift
// cannot spell. Header-only: the calls inline into the Swift loops.
#ifndef WORDMILL_PREFETCH_H
#define WORDMILL_PREFETCH_H

/// Asks the CPU to start loading the cache lines of [p, p + bytes). A read hint: asking for
/// write ownership early makes threads steal hot rows from each other.
static inline __attribute__((always_inline)) void wordmill_prefetch(const void *p, long bytes) {
    const char *c = (const char *)p;
    for (long i = 0; i < bytes; i += 64) __builtin_prefetch(c + i, 0, 3);
}

#endif
