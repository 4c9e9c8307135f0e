import WordmillArtifacts

/// The counts a `tokens` artifact carries of its own training documents, so the `vocab`
/// stage reads them instead of decoding and hashing every token again: sections
/// `token_counts.tokens` (records: varint length + UTF-8, first-seen order),
/// `token_counts.occurrences` and `token_counts.documents` (u64 per token), and the header
/// count `token_counts_documents` (documents counted).
extension TokenCounts {
    public static let tokensSection = "token_counts.tokens"
    public static let occurrencesSection = "token_counts.occurrences"
    public static let documentsSection = "token_counts.documents"
    public static let documentsCount = "token_counts_documents"

    /// Writes the three sections; returns the header count to record.
    public func write(to writer: ArtifactWriter) throws -> [String: Int] {
        try writeTokens(Self.tokensSection, ids: 0..<distinct, specials: [], to: writer)
        try writer.writeSection(Self.occurrencesSection, type: .u64, values: occurrences.map { UInt64($0) })
        try writer.writeSection(Self.documentsSection, type: .u64, values: documentCounts.map { UInt64($0) })
        return [Self.documentsCount: documents]
    }

    /// The counts stored in `reader`, or nil when it carries none (older artifacts, streams
    /// whose training part was settled only after tokenizing, command tokenizers).
    public init?(storedIn reader: ArtifactReader) throws {
        guard reader.header.section(Self.tokensSection) != nil, let documents = reader.header.counts[Self.documentsCount] else { return nil }
        let occurrences = try reader.readArray(Self.occurrencesSection, as: UInt64.self)
        let documentCounts = try reader.readArray(Self.documentsSection, as: UInt64.self)
        let expected = try reader.section(Self.tokensSection).count
        guard occurrences.count == expected, documentCounts.count == expected else {
            throw ArtifactError.damaged(path: reader.path, reason: "stored token counts: \(expected) tokens, \(occurrences.count) occurrence and \(documentCounts.count) document counts")
        }
        var bytes: [UInt8] = []
        var ends: [Int] = []
        ends.reserveCapacity(expected)
        try reader.forEachFrame(Self.tokensSection) { frame in
            var decoder = RecordDecoder(frame)
            while !decoder.isAtEnd {
                do { bytes.append(contentsOf: try decoder.string()) } catch {
                    throw ArtifactError.damaged(path: reader.path, reason: "section '\(Self.tokensSection)' token \(ends.count): \(error)")
                }
                ends.append(bytes.count)
            }
        }
        guard ends.count == expected else {
            throw ArtifactError.damaged(path: reader.path, reason: "section '\(Self.tokensSection)' holds \(ends.count) tokens, the index says \(expected)")
        }
        self.init(bytes: bytes, ends: ends, occurrences: occurrences.map { Int($0) }, documentCounts: documentCounts.map { Int($0) }, documents: documents)
    }

    /// Writes the vocabulary `selection` describes as a `vocab` artifact's sections (the
    /// tokens, their counts and document counts), straight from the stored bytes.
    public func writeVocabulary(_ selection: (specials: [String], specialIds: [Int?], ids: [Int]), to writer: ArtifactWriter) throws {
        try writeTokens(Vocabulary.tokensSection, ids: selection.ids, specials: selection.specials, to: writer)
        let counts = selection.specialIds.map { UInt64($0.map { occurrences[$0] } ?? 0) } + selection.ids.map { UInt64(occurrences[$0]) }
        try writer.writeSection(Vocabulary.countsSection, type: .u64, values: counts)
        let documents = selection.specialIds.map { UInt64($0.map { documentCounts[$0] } ?? 0) } + selection.ids.map { UInt64(documentCounts[$0]) }
        try writer.writeSection(Vocabulary.documentCountsSection, type: .u64, values: documents)
    }

    /// A records section of `specials` then the tokens `ids`.
    private func writeTokens<Ids: Sequence<Int>>(_ name: String, ids: Ids, specials: [String], to writer: ArtifactWriter) throws {
        writer.beginSection(name, type: .records)
        var record: [UInt8] = []
        var count = 0
        for special in specials {
            record.removeAll(keepingCapacity: true)
            RecordCoding.appendString(special, to: &record)
            try record.withUnsafeBytes { try writer.append($0) }
            count += 1
        }
        try bytes.withUnsafeBufferPointer { all in
            for id in ids {
                record.removeAll(keepingCapacity: true)
                RecordCoding.appendString(UnsafeBufferPointer(rebasing: all[(id == 0 ? 0 : ends[id - 1])..<ends[id]]), to: &record)
                try record.withUnsafeBytes { try writer.append($0) }
                count += 1
            }
        }
        try writer.endSection(count: count)
    }
}
