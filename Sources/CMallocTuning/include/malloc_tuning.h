#ifndef WORDMILL_MALLOC_TUNING_H
#define WORDMILL_MALLOC_TUNING_H

#if __has_include(<malloc.h>)
#include <malloc.h>
#endif

/// Keeps large freed buffers in glibc's heap for reuse instead of unmapping them: buffers of
/// up to 64 MB come from the heap rather than fresh mmaps, and the heap is trimmed only past
/// 256 MB free. Does nothing where mallopt's thresholds do not exist.
static inline void wordmill_keep_freed_buffers(void) {
#if defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

#endif
