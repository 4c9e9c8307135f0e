/// Sorts pair-table entries by key in place, without scratch memory: an MSD radix sort
/// (American flag sort) on the key's significant bits, with quicksort for small buckets.
///
/// A key is `i << 32 | j`; with `rowBits` and `columnBits` the bit widths of the largest i
/// and j, the key's order is the order of the compact key `i << columnBits | j`, whose
/// `rowBits + columnBits` bits are all that need sorting. Each radix pass moves every entry
/// once, into one of up to 2,048 buckets, where a comparison sort spends a mispredicted branch
/// per entry and level (22 levels for a spill of 3.4 M entries).
enum PairSort {
    /// Buckets at or below this size are sorted by comparison.
    static let comparisonLimit = 512

    /// Sorts `entries` by key; keys must be distinct.
    static func sort(_ entries: UnsafeMutableBufferPointer<PairSlot>) {
        guard entries.count > 1, let base = entries.baseAddress else { return }
        var maxRow: UInt64 = 0, maxColumn: UInt64 = 0
        for e in entries {
            maxRow = max(maxRow, e.key >> 32)
            maxColumn = max(maxColumn, e.key & 0xFFFF_FFFF)
        }
        let columnBits = UInt64.bitWidth - maxColumn.leadingZeroBitCount
        let rowBits = UInt64.bitWidth - maxRow.leadingZeroBitCount
        radix(base, 0, entries.count, top: rowBits + columnBits, columnBits: UInt64(columnBits))
    }

    /// Sorts s[lo..<hi], whose compact keys all agree on the bits at and above `top`.
    private static func radix(_ s: UnsafeMutablePointer<PairSlot>, _ lo: Int, _ hi: Int, top: Int, columnBits: UInt64) {
        let n = hi - lo
        if n <= comparisonLimit || top <= 0 {
            quicksort(s, lo, hi)
            return
        }
        let digitBits = min(top, n > 1 << 16 ? 11 : 8)
        let shift = UInt64(top - digitBits)
        let buckets = 1 << digitBits, digitMask = UInt64(buckets - 1)
        @inline(__always) func digit(_ key: UInt64) -> Int {
            let compact = (key >> 32) << columnBits | (key & 0xFFFF_FFFF)
            return Int(truncatingIfNeeded: (compact >> shift) & digitMask)
        }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * buckets + 1) { table in
            let next = table.baseAddress!, ends = next + buckets
            next.initialize(repeating: 0, count: 2 * buckets + 1)
            for k in lo..<hi { next[digit(s[k].key)] += 1 }
            var start = lo
            for b in 0..<buckets {
                let size = next[b]
                next[b] = start
                start += size
                ends[b] = start
            }
            // Cycle each misplaced entry to the next free place of its bucket.
            for b in 0..<buckets {
                while next[b] < ends[b] {
                    var entry = s[next[b]]
                    var d = digit(entry.key)
                    while d != b {
                        swap(&entry, &s[next[d]])
                        next[d] += 1
                        d = digit(entry.key)
                    }
                    s[next[b]] = entry
                    next[b] += 1
                }
            }
            var bucketStart = lo
            for b in 0..<buckets {
                if ends[b] - bucketStart > 1 { radix(s, bucketStart, ends[b], top: Int(shift), columnBits: columnBits) }
                bucketStart = ends[b]
            }
        }
    }

    /// Sorts s[lo..<hi] by key (quicksort, median of three, insertion sort below 24
    /// elements; keys are distinct).
    static func quicksort(_ s: UnsafeMutablePointer<PairSlot>, _ lo: Int, _ hi: Int) {
        var lo = lo, hi = hi
        while hi - lo > 24 {
            let mid = lo + (hi - lo) / 2
            let a = s[lo].key, b = s[mid].key, c = s[hi - 1].key
            let pivot = max(min(a, b), min(max(a, b), c))
            var i = lo, j = hi - 1
            while i <= j {
                while s[i].key < pivot { i += 1 }
                while s[j].key > pivot { j -= 1 }
                if i <= j {
                    (s[i], s[j]) = (s[j], s[i])
                    i += 1
                    j -= 1
                }
            }
            // Recurse into the smaller side, loop on the larger: stack depth stays O(log n).
            if j - lo < hi - i {
                quicksort(s, lo, j + 1)
                lo = i
            } else {
                quicksort(s, i, hi)
                hi = j + 1
            }
        }
        if hi - lo < 2 { return }
        for i in (lo + 1)..<hi {
            let entry = s[i]
            var j = i - 1
            while j >= lo && s[j].key > entry.key {
                s[j + 1] = s[j]
                j -= 1
            }
            s[j + 1] = entry
        }
    }
}
