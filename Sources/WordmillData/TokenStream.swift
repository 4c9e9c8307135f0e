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
        var documents = 0
        try reader.forEachFrame(section) { frame in
            documents += try forEachDocument(inFrame: frame, firstDocument: documents, path: reader.path, body)
        }
        try checkCount(documents, reader)
    }

    /// Calls `body` with the tokens of documents `range` only (numbered from 0 in stream
    /// order): frames are decoded in order up to the range's end, earlier documents skipped.
    public static func forEachDocument(
        _ reader: ArtifactReader, in range: Range<Int>, _ body: (UnsafeBufferPointer<UnsafeRawBufferPointer>) throws -> Void
    ) throws {
        let section = try reader.section(section)
        guard range.upperBound <= section.count else {
            throw ArtifactError.damaged(path: reader.path, reason: "documents \(range) asked of a section of \(section.count)")
        }
        var document = 0
        var frame = 0
        while document < range.upperBound, frame < section.frames.count {
            _ = try reader.readFrame(Self.section, index: frame).withUnsafeBytes { bytes in
                try forEachDocument(inFrame: bytes, firstDocument: document, path: reader.path) { words in
                    if range.contains(document) { try body(words) }
                    document += 1
                }
            }
            frame += 1
        }
    }

    /// Decodes the documents of one frame of the `documents` section; returns how many there
    /// were. `firstDocument` only numbers them in error messages.
    @discardableResult
    public static func forEachDocument(
        inFrame frame: UnsafeRawBufferPointer, firstDocument: Int = 0, path: String, _ body: (UnsafeBufferPointer<UnsafeRawBufferPointer>) throws -> Void
    ) throws -> Int {
        var tokens: [UnsafeRawBufferPointer] = []
        var documents = 0
        var decoder = RecordDecoder(frame)
        while !decoder.isAtEnd {
            tokens.removeAll(keepingCapacity: true)
            do {
                let n = try decoder.varint()
                for _ in 0..<n { tokens.append(try decoder.string()) }
            } catch {
                throw ArtifactError.damaged(path: path, reason: "section '\(section)' document \(firstDocument + documents): \(error)")
            }
            try tokens.withUnsafeBufferPointer { try body($0) }
            documents += 1
        }
        return documents
    }

    /// Calls `body` with each document's record as stored (its token count and tokens, as
    /// varint-prefixed strings) and its token count, checking each record's shape: what a
    /// merge copies without decoding the tokens and encoding them again.
    public static func forEachRecord(_ reader: ArtifactReader, _ body: (_ record: UnsafeRawBufferPointer, _ tokens: Int) throws -> Void) throws {
        try reader.forEachRecord(section, unit: "document", walk: { decoder in
            let n = try decoder.varint()
            for _ in 0..<n { _ = try decoder.string() }
            return n
        }, body)
    }

    /// Checks a count of decoded documents against the index.
    public static func checkCount(_ documents: Int, _ reader: ArtifactReader) throws {
        let expected = try reader.section(section).count
        if documents != expected {
            throw ArtifactError.damaged(path: reader.path, reason: "section '\(section)' holds \(documents) documents, the index says \(expected)")
        }
    }
}
