import WordmillArtifacts

/// The `tokens` artifact: one `records` section `documents`, each record a varint token
/// count followed by that many varint-length-prefixed UTF-8 tokens. Written and read
/// document by document, so memory never holds the corpus.
public enum TokenStream {
    public static let artifactKind = "tokens"
    public static let section = "documents"

    /// Appends documents to an open `documents` section.
    public struct Writer {
        private let writer: ArtifactWriter
        public private(set) var documents = 0
        public private(set) var tokens = 0

        /// Begins the section in `writer`.
        public init(writer: ArtifactWriter) {
            self.writer = writer
            writer.beginSection(TokenStream.section, type: .records)
        }

        /// Writes a document already encoded as a record (varint count, then the tokens).
        public mutating func appendEncoded(_ record: UnsafeRawBufferPointer, tokens count: Int) throws {
            try writer.append(record)
            documents += 1
            tokens += count
        }

        /// Ends the section.
        public func finish() throws { try writer.endSection(count: documents) }
    }

    /// The labels and split stored with the documents (empty for a plain stream).
    public static func labels(_ reader: ArtifactReader) throws -> DocumentLabels {
        try DocumentLabels(reader: reader, documents: reader.section(section).count)
    }

    /// Calls `body` with each document's tokens (views valid only during the call).
    public static func forEachDocument(_ reader: ArtifactReader, _ body: (UnsafeBufferPointer<UnsafeRawBufferPointer>) throws -> Void) throws {
        var tokens: [UnsafeRawBufferPointer] = []
        var documents = 0
        try reader.forEachFrame(section) { frame in
            var decoder = RecordDecoder(frame)
            while !decoder.isAtEnd {
                tokens.removeAll(keepingCapacity: true)
                do {
                    let n = try decoder.varint()
                    for _ in 0..<n { tokens.append(try decoder.string()) }
                } catch {
                    throw ArtifactError.damaged(path: reader.path, reason: "section '\(section)' document \(documents): \(error)")
                }
                try tokens.withUnsafeBufferPointer { try body($0) }
                documents += 1
            }
        }
        let expected = try reader.section(section).count
        if documents != expected {
            throw ArtifactError.damaged(path: reader.path, reason: "section '\(section)' holds \(documents) documents, the index says \(expected)")
        }
    }
}
