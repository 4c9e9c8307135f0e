import Foundation
import WordmillArtifacts

/// A stretch of the corpus as word ids, shared read-only by the counting workers: `ids`
/// holds the positions `owned` plus up to a window of positions on each side, so every
/// owned position sees all its neighbours; −1 marks a document boundary (windows stop there).
final class IdChunk: @unchecked Sendable {
    let ids: [Int32]
    let owned: Range<Int>
    init(ids: [Int32], owned: Range<Int>) {
        self.ids = ids
        self.owned = owned
    }
}

/// Counts the pairs of the rows one worker owns (rows a with a mod `workers` = `index`):
/// each owned position adds its pairs with the words up to a window after it, and before it
/// when symmetric — the same pairs `add` in word order gives row a, so the workers' counts
/// are disjoint and add up to the whole. The dense rows are shared (each worker writes only
/// its own); the hash table and its spilled runs are the worker's.
struct CooccurrenceWorker {
    let index: Int
    let workers: Int
    let config: CooccurrenceConfig
    let dense: DensePairCounts
    let weights: [UInt64]
    private(set) var table: PairCounts
    /// Spill files written so far.
    private(set) var runs: [String] = []
    private let runPrefix: String

    init(index: Int, workers: Int, config: CooccurrenceConfig, dense: DensePairCounts, weights: [UInt64], tableSlots: Int, runPrefix: String) {
        self.index = index
        self.workers = workers
        self.config = config
        self.dense = dense
        self.weights = weights
        self.runPrefix = runPrefix
        table = PairCounts(maximumSlots: tableSlots)
    }

    /// Counts the owned positions of `chunk` whose word is in this worker's rows.
    ///
    /// A large corpus's pairs miss the caches in both tables, so each position's pairs are
    /// first gathered and their slots prefetched, and added while the next position's are
    /// gathered: the loads overlap instead of waiting one after another.
    mutating func count(_ chunk: IdChunk) throws {
        let window = config.window, symmetric = config.symmetric
        let index = index, workers = workers, dense = dense
        // Two halves of (target, units): a dense slot with the top bit set, else a table key.
        let half = 2 * window
        try withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 4 * half) { pending in
            var gathering = pending.baseAddress!, adding = gathering + 2 * half
            var waiting = 0
            try chunk.ids.withUnsafeBufferPointer { ids in
                try weights.withUnsafeBufferPointer { weights in
                    let end = ids.count
                    @inline(__always) func gather(_ row: Int, _ rowKey: UInt64, _ b: Int32, _ units: UInt64, _ n: inout Int) {
                        if let slot = dense.slot(row, Int(b)) {
                            dense.prefetch(slot)
                            gathering[2 * n] = Self.denseFlag | UInt64(slot)
                        } else {
                            let key = rowKey | UInt64(UInt32(bitPattern: b))
                            table.prefetch(key)
                            gathering[2 * n] = key
                        }
                        gathering[2 * n + 1] = units
                        n += 1
                    }
                    for p in chunk.owned {
                        let a = ids[p]
                        if a < 0 || Int(a) % workers != index { continue }
                        let row = Int(a), rowKey = UInt64(UInt32(bitPattern: a)) << 32
                        var gathered = 0
                        var d = 1
                        while d <= window, p + d < end {
                            let b = ids[p + d]
                            if b < 0 { break }
                            gather(row, rowKey, b, weights[d], &gathered)
                            d += 1
                        }
                        if symmetric {
                            d = 1
                            while d <= window, p - d >= 0 {
                                let b = ids[p - d]
                                if b < 0 { break }
                                gather(row, rowKey, b, weights[d], &gathered)
                                d += 1
                            }
                        }
                        try addPending(adding, waiting)
                        swap(&gathering, &adding)
                        waiting = gathered
                    }
                }
            }
            try addPending(adding, waiting)
        }
    }

    /// Marks a pending target as a dense slot (keys never set the top bit: ids are Int32).
    private static let denseFlag: UInt64 = 1 << 63

    /// Adds `count` gathered (target, units) pairs, then spills the table if it is full.
    @inline(__always)
    private mutating func addPending(_ pending: UnsafeMutablePointer<UInt64>, _ count: Int) throws {
        for n in 0..<count {
            let target = pending[2 * n], units = pending[2 * n + 1]
            if target & Self.denseFlag != 0 {
                dense.add(Int(truncatingIfNeeded: target & ~Self.denseFlag), units)
            } else {
                table.add(target, units)
            }
        }
        if table.isFull { try spill() }
    }

    /// Sorts the table's entries into a run file and empties it.
    private mutating func spill() throws {
        let path = "\(runPrefix)\(index).tmp-\(getpid())-\(100_000 + runs.count)"
        table.sortEntries()
        try table.withSortedEntries { try SpilledRun.write($0, to: path) }
        table.removeAll(keepingCapacity: true)
        runs.append(path)
    }

    /// Sorts what the table holds, for the final merge (`table.withSortedEntries`).
    mutating func sortTable() { table.sortEntries() }
}
