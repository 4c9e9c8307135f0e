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
                    for e in start..<end {
                        let entry = entries[e]
                        putVarint(entry.key &- previous, block, &length)
                        putVarint(entry.units, block, &length)
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
        var at = 0, previous: UInt64 = 0
        let bytes = bytes.bindMemory(to: UInt8.self)
        while at < bytes.count {
            guard let delta = varint(bytes, &at), let amount = varint(bytes, &at), delta > 0 || keys.isEmpty, amount > 0 else {
                throw ArtifactError.damaged(path: path, reason: "run block \(frame) is damaged near byte \(at) of \(bytes.count)")
            }
            previous &+= delta
            keys.append(previous)
            units.append(amount)
        }
        return (keys, units)
    }

    @inline(__always)
    private static func putVarint(_ value: UInt64, _ out: UnsafeMutableBufferPointer<UInt8>, _ length: inout Int) {
        var v = value
        while v >= 0x80 {
            out[length] = UInt8(truncatingIfNeeded: v) | 0x80
            length += 1
            v >>= 7
        }
        out[length] = UInt8(v)
        length += 1
    }

    /// The varint at `at` (advancing past it), or nil when the bytes end inside it or it is
    /// longer than a UInt64.
    @inline(__always)
    private static func varint(_ bytes: UnsafeBufferPointer<UInt8>, _ at: inout Int) -> UInt64? {
        var value: UInt64 = 0, shift: UInt64 = 0
        while at < bytes.count, shift < 64 {
            let byte = bytes[at]
            at += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }
}
