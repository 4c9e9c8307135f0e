#ifndef WORDMILL_TOKEN_COUNT_H
#define WORDMILL_TOKEN_COUNT_H

// The hot loop of wordmill's VocabularyCounter (Sources/WordmillText/VocabularyCounter.swift):
// counting tokens that are already in its table, which is most of them. In Swift the loop
// paid for overflow and bounds checks and a call per token; this version made the gcide
// tokenize stage about 6 % faster (docs/decisions.md). The table's layout and slot rules are
// the Swift file's; the key words and hash here are the only definition (Swift calls them).

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/// A token waiting in a batch: where it starts in the records buffer, its length, its
/// document's stamp (document index + 1) and its hash (set by wordmill_count_known).
typedef struct {
    int64_t start;
    uint32_t length;
    uint32_t stamp;
    uint64_t hash;
} wordmill_pending_token;

static inline __attribute__((always_inline)) uint64_t wordmill_fold(uint64_t a, uint64_t b) {
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)(r >> 64) ^ (uint64_t)r;
}

/// The key's first 24 bytes as three little-endian words, zero-padded (`readable` bytes
/// from its start may be read).
static inline __attribute__((always_inline)) void wordmill_key_words(const uint8_t *p, size_t n, size_t readable, uint64_t w[3]) {
    if (readable >= 24) {
        for (int i = 0; i < 3; i++) {
            uint64_t v;
            memcpy(&v, p + 8 * i, 8);
            long valid = (long)n - 8 * i;
            if (valid <= 0) v = 0;
            else if (valid < 8) v &= UINT64_MAX >> (64 - 8 * valid);
            w[i] = v;
        }
    } else {
        uint8_t b[24] = {0};
        if (n > 0) memcpy(b, p, n < 24 ? n : 24);
        memcpy(w, b, 24);
    }
}

/// VocabularyCounter.hash for keys of at most 24 bytes.
static inline __attribute__((always_inline)) uint64_t wordmill_short_key_hash(const uint64_t w[3], size_t n) {
    uint64_t a = wordmill_fold(w[0] ^ 0xA0761D6478BD642FULL, w[1] ^ 0xE7037ED1A0B428DBULL);
    return wordmill_fold(a ^ w[2] ^ 0x8EBC6AF09C88C6E3ULL, (uint64_t)n ^ 0x589965CC75374CC3ULL);
}

/// Counts the tokens of `batch[0..<n]` that the table already holds, in order, prefetching
/// each token's slot 16 tokens ahead, and lists in `deferred` (in order) the indices of the
/// others: tokens new to the table and tokens longer than 24 bytes, which the caller counts
/// afterwards in the same order (a token's first occurrence in the batch is still the first
/// to be inserted, so first-seen order is kept). Sets the hash of every token of at most 24
/// bytes. Returns how many were deferred.
static inline size_t wordmill_count_known(uint64_t *slots, uint64_t mask, const uint8_t *records, size_t size,
                                          wordmill_pending_token *batch, size_t n, int32_t *deferred) {
    const size_t ahead = 16;
    size_t count = 0;
    for (size_t k = 0; k < n + ahead; k++) {
        if (k < n && batch[k].length <= 24) {
            wordmill_pending_token *t = &batch[k];
            uint64_t w[3];
            wordmill_key_words(records + t->start, t->length, size - (size_t)t->start, w);
            t->hash = wordmill_short_key_hash(w, t->length);
            const uint64_t *home = slots + 8 * (t->hash & mask);
            __builtin_prefetch(home, 1, 3);
            __builtin_prefetch(home + 8, 1, 3);
        }
        if (k < ahead) continue;
        size_t j = k - ahead;
        const wordmill_pending_token *t = &batch[j];
        if (t->length > 24) { deferred[count++] = (int32_t)j; continue; }
        uint64_t w[3];
        wordmill_key_words(records + t->start, t->length, size - (size_t)t->start, w);
        uint64_t tag = (t->hash >> 40) << 40 | (uint64_t)t->length << 32;
        uint64_t stamp = t->stamp;
        uint64_t slot = t->hash & mask;
        for (;;) {
            uint64_t *p = slots + 8 * slot;
            uint64_t meta = p[0];
            if (meta == 0) { deferred[count++] = (int32_t)j; break; }
            if ((meta & 0xFFFFFFFF00000000ULL) == tag && p[1] == w[0] && p[2] == w[1] && p[3] == w[2]) {
                p[4] += 1;
                if ((p[5] >> 32) != stamp) p[5] = stamp << 32 | ((p[5] & 0xFFFFFFFFULL) + 1);
                break;
            }
            slot = (slot + 1) & mask;
        }
    }
    return count;
}

#endif
