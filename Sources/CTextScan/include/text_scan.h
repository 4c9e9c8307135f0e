// Byte classification of ASCII text, 64 bytes at a time, for the tokenizer's ASCII path:
// Swift has no portable way to turn a vector comparison into a bit mask.
#ifndef WORDMILL_TEXT_SCAN_H
#define WORDMILL_TEXT_SCAN_H

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Classifies the 64 bytes at `p`: bit i of `*word` is set when p[i] is an ASCII letter or
/// digit, bit i of `*nonspace` when p[i] is not ASCII white space (space, \t, \n, \v, \f, \r).
static inline __attribute__((always_inline)) void wordmill_classify64(const unsigned char *p, uint64_t *word, uint64_t *nonspace) {
#if defined(__SSE2__)
    uint64_t w = 0, s = 0;
    const __m128i bias = _mm_set1_epi8((char)0x80);
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        // Unsigned "x - lo < n" as a signed compare of (x - lo) ^ 0x80 against n ^ 0x80.
        __m128i digit = _mm_cmplt_epi8(_mm_xor_si128(_mm_sub_epi8(v, _mm_set1_epi8('0')), bias), _mm_set1_epi8((char)(10 ^ 0x80)));
        __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
        __m128i letter = _mm_cmplt_epi8(_mm_xor_si128(_mm_sub_epi8(folded, _mm_set1_epi8('a')), bias), _mm_set1_epi8((char)(26 ^ 0x80)));
        __m128i control = _mm_cmplt_epi8(_mm_xor_si128(_mm_sub_epi8(v, _mm_set1_epi8(9)), bias), _mm_set1_epi8((char)(5 ^ 0x80)));
        __m128i space = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), control);
        w |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_or_si128(digit, letter)) << (16 * k);
        s |= (uint64_t)(uint16_t)_mm_movemask_epi8(space) << (16 * k);
    }
    *word = w;
    *nonspace = ~s;
#else
    uint64_t w = 0, s = 0;
    for (int i = 0; i < 64; i++) {
        unsigned char b = p[i];
        int isWord = (unsigned char)(b - '0') < 10 || (unsigned char)((b | 0x20) - 'a') < 26;
        int isSpace = b == ' ' || (unsigned char)(b - 9) < 5;
        w |= (uint64_t)isWord << i;
        s |= (uint64_t)isSpace << i;
    }
    *word = w;
    *nonspace = ~s;
#endif
}

#endif
