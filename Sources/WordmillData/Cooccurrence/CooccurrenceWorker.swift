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
    mutating func count(_ chunk: IdChunk) throws {
        let window = config.window, symmetric = config.symmetric
        let index = index, workers = workers, dense = dense
        try chunk.ids.withUnsafeBufferPointer { ids in
            try weights.withUnsafeBufferPointer { weights in
                let end = ids.count
                for p in chunk.owned {
                    let a = ids[p]
                    if a < 0 || Int(a) % workers != index { continue }
                    let row = Int(a), rowKey = UInt64(UInt32(bitPattern: a)) << 32
                    var d = 1
                    while d <= window, p + d < end {
                        let b = ids[p + d]
                        if b < 0 { break }
                        if !dense.add(row, Int(b), weights[d]) { table.add(rowKey | UInt64(UInt32(bitPattern: b)), weights[d]) }
                        d += 1
                    }
                    if symmetric {
                        d = 1
                        while d <= window, p - d >= 0 {
                            let b = ids[p - d]
                            if b < 0 { break }
                            if !dense.add(row, Int(b), weights[d]) { table.add(rowKey | UInt64(UInt32(bitPattern: b)), weights[d]) }
                            d += 1
                        }
                    }
                    if table.isFull { try spill() }
                }
            }
        }
    }

    /// The frame size of spilled runs.
    static let runFrameBytes = 1 << 18

    /// Sorts the table's entries into a run file and empties it.
    private mutating func spill() throws {
        let path = "\(runPrefix)\(index).tmp-\(getpid())-\(100_000 + runs.count)"
        // Small frames: the final merge holds one frame of keys and units per run, and a large
        // corpus spills dozens of runs (4 MiB frames took 400 MB over the budget at 85 M words).
        let writer = try ArtifactWriter(path: path, frameBytes: Self.runFrameBytes)
        do {
            table.sortEntries()
            try table.withSortedEntries { entries in
                writer.beginSection(RunCursor.runSection, type: .u64)
                try writer.append(entries)
                try writer.endSection()
            }
            table.removeAll(keepingCapacity: true)
            try writer.commit(header: ArtifactHeader(kind: "cooccurrence-run", fingerprint: "", stage: "", op: "", parameters: .null))
        } catch {
            writer.discard()
            throw error
        }
        runs.append(path)
    }

    /// Sorts what the table holds, for the final merge (`table.withSortedEntries`).
    mutating func sortTable() { table.sortEntries() }
}
