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
        private var record: [UInt8] = []
        /// The count and the tokens together, so one append writes the record whole.
        private var document: [UInt8] = []
        private var tokenCount = 0
        private var countOffset = 0
        public private(set) var documents = 0
        public private(set) var tokens = 0

        /// Begins the section in `writer`.
        public init(writer: ArtifactWriter) {
            self.writer = writer
            writer.beginSection(TokenStream.section, type: .records)
            record.reserveCapacity(1 << 16)
        }

        /// Adds a token to the current document.
        @inline(__always)
        public mutating func addToken(_ token: UnsafeBufferPointer<UInt8>) {
            RecordCoding.appendString(token, to: &record)
            tokenCount += 1
        }

        /// Closes the current document (possibly empty) and writes it.
        public mutating func endDocument() throws {
            document.removeAll(keepingCapacity: true)
            RecordCoding.appendVarint(tokenCount, to: &document)
            document.append(contentsOf: record)
            try document.withUnsafeBytes { try writer.append($0) }
            documents += 1
            tokens += tokenCount
            tokenCount = 0
            record.removeAll(keepingCapacity: true)
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
