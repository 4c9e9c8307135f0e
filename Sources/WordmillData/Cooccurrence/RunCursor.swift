import WordmillArtifacts

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

/// Merges sorted runs into `output` in key order, summing the units of equal keys; returns
/// the number of distinct pairs. A binary heap of the cursors picks the next key, so many
/// runs (a large corpus's spills, many shards) cost log(runs) an entry. Integer sums, so any
/// split of the counting (workers, spilled runs, shards) merges to the same entries.
public func mergeRuns(_ cursors: inout [RunCursor], into output: inout CooccurrenceMatrix.EntryWriter) throws -> Int {
    try mergeRuns(&cursors) { key, units in try output.append(key: key, units: units) }
}

/// `mergeRuns`, handing each summed entry to `emit`.
///
/// The heap holds each run's current key beside its index, so a sift compares keys in one
/// small contiguous buffer instead of reaching into every cursor's frame.
func mergeRuns(_ cursors: inout [RunCursor], emit: (UInt64, UInt64) throws -> Void) throws -> Int {
    var entries = cursors.indices.filter { !cursors[$0].isAtEnd }.map { HeapEntry(key: cursors[$0].key, run: $0) }
    return try entries.withUnsafeMutableBufferPointer { heap in
        var count = heap.count
        @inline(__always) func siftDown(_ start: Int) {
            var i = start
            let moving = heap[i]
            while true {
                let left = 2 * i + 1
                if left >= count { break }
                var least = left
                if left + 1 < count, heap[left + 1].key < heap[left].key { least = left + 1 }
                guard heap[least].key < moving.key else { break }
                heap[i] = heap[least]
                i = least
            }
            heap[i] = moving
        }
        for i in stride(from: count / 2 - 1, through: 0, by: -1) { siftDown(i) }
        var written = 0
        while count > 0 {
            let key = heap[0].key
            var sum: UInt64 = 0
            repeat {
                let c = heap[0].run
                sum &+= cursors[c].units
                try cursors[c].advance()
                if cursors[c].isAtEnd {
                    count -= 1
                    heap[0] = heap[count]
                } else {
                    heap[0].key = cursors[c].key
                }
                if count > 0 { siftDown(0) }
            } while count > 0 && heap[0].key == key
            try emit(key, sum)
            written += 1
        }
        return written
    }
}

/// A run's current key in `mergeRuns`'s heap.
private struct HeapEntry {
    var key: UInt64
    var run: Int
}
