import WordmillArtifacts

/// The `cooccurrence` artifact: the vocabulary's sections, and `entries` — records of 16
/// bytes each, little-endian: i (u32), j (u32), count in units (u64); sorted by (i, j), in
/// 1 MiB frames. The count is `units / unit` (header metadata `unit`), exact. Metadata also
/// records `window`, `symmetric` and `weighting`.
public enum CooccurrenceMatrix {
    public static let artifactKind = "cooccurrence"
    public static let entriesSection = "entries"
    public static let entryBytes = 16
    public static let frameBytes = 1 << 20

    /// Appends entries to an open `entries` section, in whole-entry batches.
    public struct EntryWriter {
        private let writer: ArtifactWriter
        private var batch: [UInt8]
        private var filled = 0
        public private(set) var entries = 0
        private static let batchBytes = 1 << 16

        public init(writer: ArtifactWriter) {
            self.writer = writer
            writer.beginSection(CooccurrenceMatrix.entriesSection, type: .records)
            batch = [UInt8](repeating: 0, count: Self.batchBytes)
        }

        @inline(__always)
        public mutating func append(key: UInt64, units: UInt64) throws {
            let at = filled
            batch.withUnsafeMutableBytes { bytes in
                bytes.storeBytes(of: UInt32(truncatingIfNeeded: key >> 32).littleEndian, toByteOffset: at, as: UInt32.self)
                bytes.storeBytes(of: UInt32(truncatingIfNeeded: key).littleEndian, toByteOffset: at + 4, as: UInt32.self)
                bytes.storeBytes(of: units.littleEndian, toByteOffset: at + 8, as: UInt64.self)
            }
            filled += CooccurrenceMatrix.entryBytes
            entries += 1
            if filled == Self.batchBytes { try flush() }
        }

        private mutating func flush() throws {
            let filled = filled
            try batch.withUnsafeBytes { try writer.append(UnsafeRawBufferPointer(rebasing: $0[0..<filled])) }
            self.filled = 0
        }

        public mutating func finish() throws {
            if filled > 0 { try flush() }
            try writer.endSection(count: entries)
        }
    }

    /// Calls `body` with the (i, j, units) of every entry of one decompressed frame, checking
    /// ids against `vocabularySize`.
    public static func forEachEntry(
        inFrame frame: UnsafeRawBufferPointer, vocabularySize: Int, path: String, _ body: (Int, Int, UInt64) throws -> Void
    ) throws {
        guard frame.count % entryBytes == 0 else {
            throw ArtifactError.damaged(path: path, reason: "an entries frame of \(frame.count) bytes is not a whole number of 16-byte entries")
        }
        for e in 0..<(frame.count / entryBytes) {
            let i = Int(UInt32(littleEndian: frame.loadUnaligned(fromByteOffset: e * entryBytes, as: UInt32.self)))
            let j = Int(UInt32(littleEndian: frame.loadUnaligned(fromByteOffset: e * entryBytes + 4, as: UInt32.self)))
            let units = UInt64(littleEndian: frame.loadUnaligned(fromByteOffset: e * entryBytes + 8, as: UInt64.self))
            guard i < vocabularySize, j < vocabularySize, units > 0 else {
                throw ArtifactError.damaged(path: path, reason: "entry (\(i), \(j), \(units)) is outside the \(vocabularySize)-word vocabulary or empty")
            }
            try body(i, j, units)
        }
    }
}
