import Foundation
import WordmillArtifacts

/// Counts word co-occurrences within a memory budget, as GloVe's `cooccur` does: pairs of
/// frequent words in a dense table (`DensePairCounts`, half the budget), the others in a
/// hash table; when that is full its entries are sorted and spilled to a run file (a checksummed artifact beside the output, removed afterwards); at the end the
/// runs and what is left are merged in key order, summing equal pairs — exactly, since
/// counts are integers in units (`CooccurrenceConfig.unit`).
public struct CooccurrenceCounter {
    public let config: CooccurrenceConfig
    private var table: PairCounts
    private let dense: DensePairCounts
    private var history: [Int32]
    private var historyCount = 0
    private var weights: [UInt64]
    /// Spill files written so far.
    public private(set) var runs: [String] = []
    private let runPrefix: String
    public private(set) var tokens = 0

    /// `runPrefix` names spill files: `<runPrefix>.tmp-<pid>-<n>` (the runner removes such
    /// files if a run dies).
    /// Word ids must lie in 0 ..< `vocabularySize`, ranked by count (the vocabulary's order).
    public init(config: CooccurrenceConfig, vocabularySize: Int, runPrefix: String) {
        self.config = config
        self.runPrefix = runPrefix
        dense = DensePairCounts(vocabularySize: vocabularySize, budgetBytes: config.memoryBytes / 2)
        // 16 bytes a slot, and doubling holds the old table beside the new: 24 bytes a slot at the peak.
        table = PairCounts(maximumSlots: max(1 << 12, config.memoryBytes / 2 / 24))
        history = [Int32](repeating: 0, count: config.window)
        let unit = config.unit
        weights = (0...config.window).map { d in d == 0 ? 0 : (config.weighting == .harmonic ? unit / UInt64(d) : 1) }
    }

    /// The frame size of spilled runs.
    static let runFrameBytes = 1 << 18

    /// Starts a new document: windows do not cross documents.
    public mutating func beginDocument() { historyCount = 0 }

    /// Adds the next in-vocabulary word of the current document.
    @inline(__always)
    public mutating func add(_ word: Int32) throws {
        tokens += 1
        let window = config.window
        let back = min(historyCount, window)
        for d in stride(from: 1, through: back, by: 1) {
            let earlier = history[(historyCount - d) % window]
            let w = weights[d]
            // (a + 1)(b + 1) is symmetric: both orders of a pair are dense, or neither.
            if dense.add(Int(earlier), Int(word), w) {
                if config.symmetric { _ = dense.add(Int(word), Int(earlier), w) }
                continue
            }
            table.add(UInt64(UInt32(bitPattern: earlier)) << 32 | UInt64(UInt32(bitPattern: word)), w)
            if config.symmetric { table.add(UInt64(UInt32(bitPattern: word)) << 32 | UInt64(UInt32(bitPattern: earlier)), w) }
        }
        history[historyCount % window] = word
        historyCount += 1
        if table.isFull { try spill() }
    }

    /// Sorts the table's entries into a run file and empties it.
    private mutating func spill() throws {
        let path = "\(runPrefix).tmp-\(getpid())-\(100_000 + runs.count)"
        // Small frames: the final merge holds one frame of keys and units per run, and a large
        // corpus spills dozens of runs (4 MiB frames took 400 MB over the budget at 85 M words).
        let writer = try ArtifactWriter(path: path, frameBytes: Self.runFrameBytes)
        do {
            try table.withSortedEntries { keys, units in
                writer.beginSection("keys", type: .u64)
                try writer.append(keys)
                try writer.endSection()
                writer.beginSection("units", type: .u64)
                try writer.append(units)
                try writer.endSection()
            }
            try writer.commit(header: ArtifactHeader(kind: "cooccurrence-run", fingerprint: "", stage: "", op: "", parameters: .null))
        } catch {
            writer.discard()
            throw error
        }
        runs.append(path)
    }

    /// Merges the runs and the table into `output` in key order, then removes the runs.
    /// Returns the number of distinct pairs.
    public mutating func finish(into output: inout CooccurrenceMatrix.EntryWriter) throws -> Int {
        defer {
            for run in runs { unlink(run) }
            dense.release()
        }
        let dense = self.dense, runs = self.runs
        return try table.withSortedEntries { keys, units in
            // The table's sorted entries, a chunk at a time (no copy of the whole table), the
            // dense rows, and the spilled runs.
            let chunk = 1 << 16
            var cursors = [try RunCursor(frames: (keys.count + chunk - 1) / chunk) { n in
                let range = (n * chunk)..<min(keys.count, (n + 1) * chunk)
                return (Array(keys[range]), Array(units[range]))
            }]
            cursors.append(try RunCursor(frames: dense.rows) { dense.row($0) })
            for run in runs { cursors.append(try RunCursor(path: run)) }
            return try Self.merge(&cursors, into: &output)
        }
    }

    /// Merges sorted runs into `output` in key order, summing the units of equal keys;
    /// returns the number of distinct pairs. Integer sums, so any split of the counting
    /// (spilled runs, shards) merges to the same entries.
    public static func merge(_ cursors: inout [RunCursor], into output: inout CooccurrenceMatrix.EntryWriter) throws -> Int {
        var written = 0
        while true {
            var smallest = UInt64.max
            for c in cursors where !c.isAtEnd { smallest = min(smallest, c.key) }
            if smallest == UInt64.max { break }
            var sum: UInt64 = 0
            for k in cursors.indices where !cursors[k].isAtEnd && cursors[k].key == smallest {
                sum &+= cursors[k].units
                try cursors[k].advance()
            }
            try output.append(key: smallest, units: sum)
            written += 1
        }
        return written
    }
}

/// Reads one sorted run entry by entry, a frame at a time: a spill file, the hash table's
/// sorted remainder, the dense rows, or the entries of a shard's `cooccurrence` artifact.
public struct RunCursor {
    private var frame = 0
    private let frames: Int
    private let loadFrame: (Int) throws -> (keys: [UInt64], units: [UInt64])
    private var keyValues: [UInt64]
    private var unitValues: [UInt64]
    private var position = 0

    /// `frames` sorted groups of entries that `load` gives one at a time, in key order.
    init(frames: Int, load: @escaping (Int) throws -> (keys: [UInt64], units: [UInt64])) throws {
        self.frames = frames
        keyValues = []
        unitValues = []
        loadFrame = load
        try self.load()
    }

    init(path: String) throws {
        let reader = try ArtifactReader(path: path, kinds: ["cooccurrence-run"])
        frames = try reader.section("keys").frames.count
        keyValues = []
        unitValues = []
        loadFrame = { n in
            let keys = try reader.readFrame("keys", index: n).withUnsafeBytes { Array($0.bindMemory(to: UInt64.self)) }
            let units = try reader.readFrame("units", index: n).withUnsafeBytes { Array($0.bindMemory(to: UInt64.self)) }
            guard keys.count == units.count else { throw ArtifactError.damaged(path: reader.path, reason: "run frames of keys and units differ") }
            return (keys, units)
        }
        try load()
    }

    /// The entries of a `cooccurrence` artifact (a shard's), checked against `vocabularySize`.
    public init(entriesOf reader: ArtifactReader, vocabularySize: Int) throws {
        frames = try reader.section(CooccurrenceMatrix.entriesSection).frames.count
        keyValues = []
        unitValues = []
        loadFrame = { n in
            var keys: [UInt64] = [], units: [UInt64] = []
            try reader.readFrame(CooccurrenceMatrix.entriesSection, index: n).withUnsafeBytes { bytes in
                keys.reserveCapacity(bytes.count / CooccurrenceMatrix.entryBytes)
                units.reserveCapacity(bytes.count / CooccurrenceMatrix.entryBytes)
                try CooccurrenceMatrix.forEachEntry(inFrame: bytes, vocabularySize: vocabularySize, path: reader.path) { i, j, u in
                    keys.append(UInt64(i) << 32 | UInt64(j))
                    units.append(u)
                }
            }
            return (keys, units)
        }
        try load()
    }

    var isAtEnd: Bool { position >= keyValues.count }
    var key: UInt64 { keyValues[position] }
    var units: UInt64 { unitValues[position] }

    mutating func advance() throws {
        position += 1
        if position >= keyValues.count { try load() }
    }

    /// Loads the next frame (skipping empty ones) until one has entries or none is left.
    private mutating func load() throws {
        while frame < frames {
            (keyValues, unitValues) = try loadFrame(frame)
            frame += 1
            position = 0
            if !keyValues.isEmpty { return }
        }
    }
}
