import WordmillArtifacts

/// The `ids` section of a `windows` artifact: every document's vocabulary ids followed by
/// −1. Written one document per append, so a document never straddles a zstd frame, and
/// read frame by frame: memory holds one frame (≤ 1 MiB of ids by default), not the corpus.
public enum IdStream {
    public static let section = "ids"
    /// Raw bytes per frame: small enough that threads can share a corpus out by frames.
    public static let frameBytes = 1 << 20

    /// Appends documents to the open `ids` section of an artifact.
    public struct Writer {
        private let writer: ArtifactWriter
        private var buffer: [Int32] = []
        public private(set) var documents = 0
        public private(set) var tokens = 0

        public init(writer: ArtifactWriter) {
            self.writer = writer
            writer.beginSection(IdStream.section, type: .i32)
        }

        /// Writes one non-empty document.
        public mutating func append(_ document: UnsafeBufferPointer<Int32>) throws {
            precondition(!document.isEmpty)
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: document)
            buffer.append(-1)
            try buffer.withUnsafeBytes { try writer.append($0) }
            documents += 1
            tokens += document.count
        }

        public func finish() throws { try writer.endSection() }
    }

    /// How many frames the stream has (the unit threads share out).
    public static func frameCount(_ reader: ArtifactReader) throws -> Int { try reader.section(section).frames.count }

    /// Calls `body` with each document of frame `index`; ids are checked to lie in 0..<`vocabularySize`.
    public static func forEachDocument(
        _ reader: ArtifactReader, frame index: Int, vocabularySize: Int, _ body: (UnsafeBufferPointer<Int32>) throws -> Void
    ) throws {
        let bytes = try reader.readFrame(section, index: index)
        try bytes.withUnsafeBytes { raw in
            let ids = raw.bindMemory(to: Int32.self)
            var start = 0
            for i in 0..<ids.count where ids[i] < 0 || Int(ids[i]) >= vocabularySize {
                guard ids[i] == -1, i > start else {
                    throw ArtifactError.damaged(path: reader.path, reason: "section 'ids' frame \(index): id \(ids[i]) at position \(i) is outside the vocabulary of \(vocabularySize)")
                }
                try body(UnsafeBufferPointer(rebasing: ids[start..<i]))
                start = i + 1
            }
            if start != ids.count {
                throw ArtifactError.damaged(path: reader.path, reason: "section 'ids' frame \(index) ends inside a document")
            }
        }
    }

    /// Every document in order.
    public static func forEachDocument(_ reader: ArtifactReader, vocabularySize: Int, _ body: (UnsafeBufferPointer<Int32>) throws -> Void) throws {
        for n in 0..<(try frameCount(reader)) { try forEachDocument(reader, frame: n, vocabularySize: vocabularySize, body) }
    }
}
