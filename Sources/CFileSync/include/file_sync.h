// Linux's sync_file_range, which Swift's Glibc module does not declare (it needs _GNU_SOURCE).
// Header-only.
#ifndef WORDMILL_FILE_SYNC_H
#define WORDMILL_FILE_SYNC_H

#ifdef __linux__
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#endif

/// Starts writing [offset, offset + length) of `fd` to disk without waiting for it, so the
/// `fsync` that makes a file durable later has less left to wait for. Does nothing where
/// the call does not exist; errors are left to that `fsync`, which reports them.
static inline void wordmill_start_writeback(int fd, long long offset, long long length) {
#ifdef __linux__
    (void)sync_file_range(fd, offset, length, SYNC_FILE_RANGE_WRITE);
#else
    (void)fd; (void)offset; (void)length;
#endif
}

#endif
