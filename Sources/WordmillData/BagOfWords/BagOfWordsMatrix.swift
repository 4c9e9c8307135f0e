import WordmillArtifacts
import WordmillSupport

/// The `bag-of-words` artifact: a sparse document-term matrix stored as CSR rows in zstd
/// frames, with its features and the documents' labels and split.
///
/// Sections: `features` (records: names in id order), `features.ngram` (u8: n),
/// `features.df` and `features.tf` (u64: training documents and occurrences), `idf` (f64,
/// tf-idf only), `rows` (records, one per document: varint nnz, nnz varint gaps between
/// ascending feature ids (the first from −1), then nnz values — varint counts, or f64
/// little-endian when the weighting is tf-idf), and the label sections of `DocumentLabels`.
/// Header metadata: `weighting`, `binary`, `ngram_range`, and the `tokenizer` that made the
/// tokens, so a model trained on it can tokenize new text the same way.
public enum BagOfWordsMatrix {
    public static let artifactKind = "bag-of-words"
    public static let rowsSection = "rows"

    /// Writes the feature sections.
    public static func writeFeatures(_ vocabulary: BagOfWordsVocabulary, featurizer: BagOfWordsFeaturizer, to writer: ArtifactWriter) throws {
        try writer.writeStrings("features", featurizer.features)
        try writer.writeSection("features.ngram", type: .u8, values: featurizer.ngramLengths)
        try writer.writeSection("features.df", type: .u64, values: vocabulary.documentFrequencies.map { UInt64($0) })
        try writer.writeSection("features.tf", type: .u64, values: vocabulary.termFrequencies.map { UInt64($0) })
        if let idf = featurizer.idf { try writer.writeSection("idf", type: .f64, values: idf) }
    }

    /// The featurizer stored in an artifact carrying the feature sections and metadata
    /// (a bag-of-words dataset or a model trained on one).
    public static func readFeaturizer(_ reader: ArtifactReader) throws -> BagOfWordsFeaturizer {
        let m = reader.header.metadata
        let features = try reader.readStrings("features")
        let ngrams = try reader.readArray("features.ngram", as: UInt8.self)
        let idf = m["weighting"]?.stringValue == "tfidf" ? try reader.readArray("idf", as: Double.self) : nil
        guard let range = m["ngram_range"]?.arrayValue?.compactMap(\.intValue), range.count == 2, range[0] >= 1, range[0] <= range[1],
              ngrams.count == features.count, idf == nil || idf!.count == features.count
        else { throw ArtifactError.damaged(path: reader.path, reason: "the feature sections or the n-gram range disagree") }
        return BagOfWordsFeaturizer(features: features, ngramLengths: ngrams, ngramRange: range[0]...range[1], binary: m["binary"]?.boolValue ?? false, idf: idf)
    }

    /// Appends rows encoded by `BagOfWordsMatrix.encode` to an open `rows` section.
    public struct RowWriter {
        private let writer: ArtifactWriter
        public private(set) var rows = 0
        public private(set) var nonzeros = 0

        /// Begins the section.
        public init(writer: ArtifactWriter) {
            self.writer = writer
            writer.beginSection(BagOfWordsMatrix.rowsSection, type: .records)
        }

        /// Writes a row already encoded by `BagOfWordsMatrix.encode`.
        public mutating func appendEncoded(_ record: UnsafeRawBufferPointer, nonzeros: Int) throws {
            try writer.append(record)
            rows += 1
            self.nonzeros += nonzeros
        }

        public func finish() throws { try writer.endSection(count: rows) }
    }

    /// Appends one row's record: varint nnz, the gaps between ascending ids, the values.
    public static func encode(_ row: SparseRow, counts: Bool, into record: inout [UInt8]) {
        RecordCoding.appendVarint(row.count, to: &record)
        var previous: Int32 = -1
        for id in row.indices {
            RecordCoding.appendVarint(Int(id - previous), to: &record)
            previous = id
        }
        if counts {
            for v in row.values { RecordCoding.appendVarint(Int(v), to: &record) }
        } else {
            for v in row.values { withUnsafeBytes(of: v.bitPattern.littleEndian) { record.append(contentsOf: $0) } }
        }
    }

    /// Calls `body` with each row's record as stored and its number of nonzeros, checking
    /// each record's shape and feature ids as `forEachRow` does: what a merge copies without
    /// decoding the rows and encoding them again.
    public static func forEachRecord(_ reader: ArtifactReader, features: Int, _ body: (_ record: UnsafeRawBufferPointer, _ nonzeros: Int) throws -> Void) throws {
        let counts = reader.header.metadata["weighting"]?.stringValue != "tfidf"
        try reader.forEachRecord(rowsSection, unit: "row", walk: { decoder in
            let n = try decoder.varint()
            var id = -1
            for _ in 0..<n {
                id += try decoder.varint()
                guard id < features else { throw RecordDecoder.Malformed(offset: decoder.offset, reason: "feature id \(id) outside 0..<\(features)") }
            }
            for _ in 0..<n { if counts { _ = try decoder.varint() } else { _ = try decoder.fixed64() } }
            return n
        }, body)
    }

    /// Calls `body` with each row (document index and the row, reused between calls).
    /// `features` bounds the ids, so a damaged file cannot index outside a model.
    public static func forEachRow(_ reader: ArtifactReader, features: Int, _ body: (Int, SparseRow) throws -> Void) throws {
        let counts = reader.header.metadata["weighting"]?.stringValue != "tfidf"
        var row = SparseRow()
        var document = 0
        try reader.forEachRecord(rowsSection, unit: "row", walk: { decoder in
            row.indices.removeAll(keepingCapacity: true)
            row.values.removeAll(keepingCapacity: true)
            let n = try decoder.varint()
            var id = -1
            for _ in 0..<n {
                id += try decoder.varint()
                guard id < features else { throw RecordDecoder.Malformed(offset: decoder.offset, reason: "feature id \(id) outside 0..<\(features)") }
                row.indices.append(Int32(id))
            }
            for _ in 0..<n { row.values.append(counts ? Double(try decoder.varint()) : Double(bitPattern: try decoder.fixed64())) }
            return n
        }) { _, _ in
            try body(document, row)
            document += 1
        }
    }
}
