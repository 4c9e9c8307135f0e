import CPrefetch
import Foundation

/// The pairs of frequent words, counted in place as GloVe's `cooccur` does: word ids are
/// ranked by count, and a pair (a, b) with (a + 1)(b + 1) ≤ `maxProduct` has its own slot in
/// row a, which holds columns 0 ..< min(V, maxProduct / (a + 1)). Zipf's law puts most of a
/// corpus's pair occurrences there, where an add is one memory access and no hashing; the
/// rest go to the hash table. Units, like the table's, so sums are exact.
struct DensePairCounts {
    let maxProduct: Int
    /// Where each row starts in `units`; rows at and after `rowStarts.count - 1` are empty.
    private let rowStarts: [Int]
    private let units: UnsafeMutableBufferPointer<UInt64>

    /// The largest table of at most `budgetBytes` for a vocabulary of `vocabularySize`.
    init(vocabularySize: Int, budgetBytes: Int) {
        let budget = max(0, budgetBytes / MemoryLayout<UInt64>.stride)
        func entries(_ m: Int) -> Int {
            var total = 0
            for a in 0..<min(vocabularySize, m) {
                total += min(vocabularySize, m / (a + 1))
                if total > budget { break }
            }
            return total
        }
        // The largest product whose rows fit the budget.
        var low = 0, high = max(1, vocabularySize) * max(1, vocabularySize)
        while low < high {
            let middle = (low + high + 1) / 2
            if entries(middle) <= budget { low = middle } else { high = middle - 1 }
        }
        maxProduct = low
        var starts = [0]
        for a in 0..<min(vocabularySize, low) { starts.append(starts.last! + min(vocabularySize, low / (a + 1))) }
        rowStarts = starts
        // calloc: the kernel's zero pages until first written, so rows a corpus never reaches
        // cost neither time nor memory.
        let capacity = max(1, starts.last!)
        units = UnsafeMutableBufferPointer(start: calloc(capacity, MemoryLayout<UInt64>.stride)!.assumingMemoryBound(to: UInt64.self), count: capacity)
    }

    /// Frees the counts.
    func release() { free(units.baseAddress) }

    /// The rows that may hold counts.
    var rows: Int { rowStarts.count - 1 }

    /// Pair (a, b)'s slot, or nil when it has none here.
    @inline(__always)
    func slot(_ a: Int, _ b: Int) -> Int? {
        (a + 1) * (b + 1) <= maxProduct ? rowStarts[a] + b : nil
    }

    /// Starts loading `slot`'s counter, ahead of its `add`.
    @inline(__always)
    func prefetch(_ slot: Int) { wordmill_prefetch(units.baseAddress! + slot, 8) }

    /// Adds `amount` to the pair whose slot `slot` gave.
    @inline(__always)
    func add(_ slot: Int, _ amount: UInt64) { units[slot] &+= amount }

    /// Row a's nonzero counts as sorted keys (`a << 32 | b`) and units.
    func row(_ a: Int) -> (keys: [UInt64], units: [UInt64]) {
        var keys: [UInt64] = [], values: [UInt64] = []
        for b in 0..<(rowStarts[a + 1] - rowStarts[a]) where units[rowStarts[a] + b] != 0 {
            keys.append(UInt64(a) << 32 | UInt64(b))
            values.append(units[rowStarts[a] + b])
        }
        return (keys, values)
    }
}
