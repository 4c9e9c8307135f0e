import Foundation
import WordmillArtifacts

/// A spill file: one worker's sorted table entries, written when its hash table fills and
/// read back once by the final merge, then removed.
///
/// The entries are stored as blocks of at most `blockEntries`, one zstd frame each; in a
/// block every entry is the LEB128 varint of its key's distance from the previous key (the
/// first: from 0) and the varint of its units. Sorted keys of one row lie close together and
/// units are small multiples of the unit, so an entry takes 3–5 bytes instead of 16: a large
/// corpus spills gigabytes of entries, and compressing and decompressing them raw cost more
/// than a quarter of the counting's time.
enum SpilledRun {
    static let artifactKind = "cooccurrence-run"
    static let section = "entries"
    /// Entries a block holds: the merge keeps one decoded block of every run (16 bytes an entry).
    static let blockEntries = 1 << 14

    /// Writes `entries` (sorted by key, distinct) to a new run file at `path`.
    static func write(_ entries: UnsafeBufferPointer<PairSlot>, to path: String) throws {
        // Each block is one `append`, and a frame closes once it holds 64 bytes: one frame a block.
        let writer = try ArtifactWriter(path: path, frameBytes: 1)
        do {
            writer.beginSection(section, type: .records)
            try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: blockEntries * 20) { block in
                var start = 0
                while start < entries.count {
                    let end = min(entries.count, start + blockEntries)
                    var length = 0, previous: UInt64 = 0
                    let out = block.baseAddress!
                    for e in start..<end {
                        let entry = entries[e]
                        length += RecordCoding.putVarint(entry.key &- previous, at: out + length)
                        length += RecordCoding.putVarint(entry.units, at: out + length)
                        previous = entry.key
                    }
                    try writer.append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: block[0..<length])))
                    start = end
                }
            }
            try writer.endSection(count: entries.count)
            // A scratch file the merge removes: no fsync (dozens of spills at ×20 each waited for the disk).
            try writer.commit(header: ArtifactHeader(kind: artifactKind, fingerprint: "", stage: "", op: "", parameters: .null), durable: false)
        } catch {
            writer.discard()
            throw error
        }
    }

    /// A cursor over the run file at `path`, a block at a time.
    static func cursor(path: String) throws -> RunCursor {
        let reader = try ArtifactReader(path: path, kinds: [artifactKind])
        return try RunCursor(frames: try reader.section(section).frames.count) { n in
            try reader.readFrame(section, index: n).withUnsafeBytes { bytes in
                try decode(bytes, path: path, frame: n)
            }
        }
    }

    /// The keys and units of one block.
    static func decode(_ bytes: UnsafeRawBufferPointer, path: String, frame: Int) throws -> (keys: [UInt64], units: [UInt64]) {
        var keys: [UInt64] = [], units: [UInt64] = []
        keys.reserveCapacity(blockEntries)
        units.reserveCapacity(blockEntries)
        var decoder = RecordDecoder(bytes), previous: UInt64 = 0
        do {
            while !decoder.isAtEnd {
                let at = decoder.offset
                let delta = try decoder.varint64(), amount = try decoder.varint64()
                guard delta > 0 || keys.isEmpty, amount > 0 else {
                    throw RecordDecoder.Malformed(offset: at, reason: "an entry with no count or a key not after the last")
                }
                previous &+= delta
                keys.append(previous)
                units.append(amount)
            }
        } catch {
            throw ArtifactError.damaged(path: path, reason: "run block \(frame): \(error)")
        }
        return (keys, units)
    }
}
