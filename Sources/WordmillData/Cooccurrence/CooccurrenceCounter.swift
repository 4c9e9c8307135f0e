import Foundation
import WordmillArtifacts
import WordmillNumerics
import WordmillSupport

/// Counts word co-occurrences within a memory budget, as GloVe's `cooccur` does: pairs of
/// frequent words in a dense table (`DensePairCounts`, half the budget), the others in hash
/// tables; when one is full its entries are sorted and spilled to a run file (a checksummed
/// artifact beside the output, removed afterwards); at the end the runs and what is left are
/// merged in key order, summing equal pairs — exactly, since counts are integers in units
/// (`CooccurrenceConfig.unit`).
///
/// The caller's thread turns words into chunks of ids; `workers` threads count them, each
/// the rows of its own words (`CooccurrenceWorker`), with its own hash table and a share of
/// the budget. The entries do not depend on the number of workers.
public final class CooccurrenceCounter {
    public let config: CooccurrenceConfig
    private let dense: DensePairCounts
    /// One cell a worker: each is touched only by its own queue until `finish` has waited for them.
    private let workers: [WorkerCell]
    private let queues: [SerialBackgroundQueue]
    private let chunkTokens: Int
    /// Ids of the chunk being filled: `buffer[ownedStart...]` are its own positions, the
    /// window before them the previous chunk's last ones.
    private var buffer: [Int32] = []
    private var ownedStart = 0
    private var released = false
    public private(set) var tokens = 0

    /// Spill files written so far.
    public var runs: [String] { workers.flatMap(\.worker.runs) }

    /// `runPrefix` names spill files: `<runPrefix><worker>.tmp-<pid>-<n>` (the runner removes
    /// such files if a run dies). Word ids must lie in 0 ..< `vocabularySize`, ranked by count
    /// (the vocabulary's order). `workers` defaults to the cores this process may use (at most 4);
    /// `chunkTokens` is the positions a chunk hands the workers at once.
    public init(config: CooccurrenceConfig, vocabularySize: Int, runPrefix: String, workers: Int? = nil, chunkTokens: Int = 1 << 20) {
        self.config = config
        let count = max(1, workers ?? min(4, ProcessInfo.processInfo.activeProcessorCount))
        self.chunkTokens = max(1, chunkTokens)
        dense = DensePairCounts(vocabularySize: vocabularySize, budgetBytes: config.memoryBytes / 2)
        let unit = config.unit
        let weights = (0...config.window).map { d in d == 0 ? 0 : (config.weighting == .harmonic ? unit / UInt64(d) : 1) }
        // 16 bytes a slot, and doubling holds the old table beside the new: 24 bytes a slot at the peak.
        let slots = max(1 << 12, config.memoryBytes / 2 / 24 / count)
        let dense = dense, config = config
        self.workers = (0..<count).map {
            WorkerCell(CooccurrenceWorker(index: $0, workers: count, config: config, dense: dense, weights: weights, tableSlots: slots, runPrefix: runPrefix))
        }
        // Two chunks may wait for each worker: the caller decodes ahead while they count.
        queues = (0..<count).map { _ in SerialBackgroundQueue(limit: 2) }
    }

    deinit { release() }

    /// Starts a new document: windows do not cross documents.
    public func beginDocument() {
        if let last = buffer.last, last >= 0 { append(-1) }
    }

    /// Adds the next in-vocabulary word of the current document.
    @inline(__always)
    public func add(_ word: Int32) {
        tokens += 1
        append(word)
    }

    @inline(__always)
    private func append(_ id: Int32) {
        buffer.append(id)
        if buffer.count >= ownedStart + chunkTokens + config.window { publish(ownedEnd: ownedStart + chunkTokens) }
    }

    /// Hands `buffer[ownedStart..<ownedEnd]` (with its windows of context) to every worker
    /// and starts the next chunk at `ownedEnd`.
    private func publish(ownedEnd: Int) {
        let chunk = IdChunk(ids: buffer, owned: ownedStart..<ownedEnd)
        for (cell, queue) in zip(workers, queues) { queue.submit { try cell.worker.count(chunk) } }
        let keep = max(0, ownedEnd - config.window)
        buffer = Array(buffer[keep...])
        buffer.reserveCapacity(chunkTokens + 2 * config.window)
        ownedStart = ownedEnd - keep
    }

    /// Merges the runs, the workers' tables and the dense rows into `output` in key order,
    /// then removes the runs. Returns the number of distinct pairs.
    public func finish(into output: inout CooccurrenceMatrix.EntryWriter) throws -> Int {
        defer { release() }
        if buffer.count > ownedStart { publish(ownedEnd: buffer.count) }
        buffer = []
        for queue in queues { try queue.finish() }
        parallelFor(workers.count) { [workers] w in workers[w].worker.sortTable() }
        // Each worker's rows are its own: its table, its runs and its dense rows merge apart,
        // on its own thread, and this thread interleaves the sorted streams (disjoint keys).
        let streams = try workers.map { cell in try Self.cursors(of: cell.worker, dense: dense, workers: workers.count) }
        if streams.count == 1 {
            var cursors = streams[0]
            return try mergeRuns(&cursors, into: &output)
        }
        return try mergeRowStreams(streams, into: &output)
    }

    /// A worker's sorted sources: its table a chunk at a time (no copy of the whole table),
    /// its dense rows and its spilled runs.
    private static func cursors(of worker: CooccurrenceWorker, dense: DensePairCounts, workers: Int) throws -> [RunCursor] {
        let table = worker.table, chunk = 1 << 16
        var cursors = [try RunCursor(frames: (table.count + chunk - 1) / chunk) { n in
            table.withSortedEntries { entries in
                let range = (n * chunk)..<min(entries.count, (n + 1) * chunk)
                return (entries[range].map(\.key), entries[range].map(\.units))
            }
        }]
        let first = worker.index, rows = dense.rows > first ? (dense.rows - first + workers - 1) / workers : 0
        cursors.append(try RunCursor(frames: rows) { n in dense.row(first + n * workers) })
        for run in worker.runs { cursors.append(try SpilledRun.cursor(path: run)) }
        return cursors
    }

    /// Removes the spill files and frees the dense table (once).
    private func release() {
        guard !released else { return }
        released = true
        for queue in queues { try? queue.finish() }
        for run in runs { unlink(run) }
        dense.release()
    }
}

/// One worker's counting state, handed to its queue's jobs by reference.
private final class WorkerCell: @unchecked Sendable {
    var worker: CooccurrenceWorker
    init(_ worker: CooccurrenceWorker) { self.worker = worker }
}
