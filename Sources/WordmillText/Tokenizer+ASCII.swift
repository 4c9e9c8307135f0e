import CTextScan

extension Tokenizer {
    /// Whether `tokenizeASCII` gives this tokenizer's tokens for ASCII text: `whitespace`, and
    /// `words` without number, URL or length options.
    var hasASCIIPath: Bool { kind == .whitespace || (kind == .words && !wordOptions) }

    /// Tokenizes ASCII text (already lowercased when the tokenizer lowercases) as
    /// `tokenizeScalars` does, from bit masks of its bytes' classes, 64 bytes at a time:
    /// `words` emits runs of letters and digits and every other non-space byte alone;
    /// `whitespace` emits runs of non-space bytes.
    func tokenizeASCII(_ bytes: UnsafeBufferPointer<UInt8>, _ emit: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        let n = bytes.count
        guard n > 0 else { return }
        let blocks = (n + 63) / 64
        try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * blocks) { masks in
            let word = masks.baseAddress!, nonspace = word + blocks
            let full = n / 64
            for b in 0..<full { wordmill_classify64(bytes.baseAddress! + 64 * b, word + b, nonspace + b) }
            if full < blocks {
                // The tail, padded with spaces (which are neither words nor tokens).
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { tail in
                    tail.initialize(repeating: 0x20)
                    _ = tail.initialize(from: UnsafeBufferPointer(rebasing: bytes[(64 * full)...]))
                    wordmill_classify64(tail.baseAddress!, word + full, nonspace + full)
                }
            }
            // Under `whitespace` a token is a run of non-space bytes.
            let runs = kind == .whitespace ? nonspace : word
            var i = 0
            while true {
                i = Self.nextSet(nonspace, blocks, from: i)
                if i >= n { break }
                if runs[i >> 6] >> UInt64(i & 63) & 1 == 1 {
                    let end = min(Self.nextClear(runs, blocks, from: i), n)
                    try emit(UnsafeBufferPointer(rebasing: bytes[i..<end]))
                    i = end
                } else {
                    try emit(UnsafeBufferPointer(rebasing: bytes[i..<(i + 1)]))
                    i += 1
                }
            }
        }
    }

    /// The first set bit at or after `i` in `count` words of bits (`count · 64` when none).
    @inline(__always)
    private static func nextSet(_ bits: UnsafeMutablePointer<UInt64>, _ count: Int, from i: Int) -> Int {
        var k = i >> 6
        guard k < count else { return count * 64 }
        var w = bits[k] & (UInt64.max << UInt64(i & 63))
        while w == 0 {
            k += 1
            if k == count { return count * 64 }
            w = bits[k]
        }
        return k * 64 + w.trailingZeroBitCount
    }

    /// The first clear bit at or after `i` (`count · 64` when none).
    @inline(__always)
    private static func nextClear(_ bits: UnsafeMutablePointer<UInt64>, _ count: Int, from i: Int) -> Int {
        var k = i >> 6
        guard k < count else { return count * 64 }
        var w = ~bits[k] & (UInt64.max << UInt64(i & 63))
        while w == 0 {
            k += 1
            if k == count { return count * 64 }
            w = ~bits[k]
        }
        return k * 64 + w.trailingZeroBitCount
    }
}
