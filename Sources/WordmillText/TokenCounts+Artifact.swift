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
        try writeTokens(Self.tokensSection, specials: [], count: distinct, to: writer) { id in (id == 0 ? 0 : ends[id - 1])..<ends[id] }
        // Ints written as u64: the same bits (counts are never negative).
        try writer.writeSection(Self.occurrencesSection, type: .u64, values: occurrences)
        try writer.writeSection(Self.documentsSection, type: .u64, values: documentCounts)
        return [Self.documentsCount: documents]
    }

    /// The counts stored in `reader`, or nil when it carries none (older artifacts, streams
    /// whose training part was settled only after tokenizing, command tokenizers).
    public init?(storedIn reader: ArtifactReader) throws {
        guard reader.header.section(Self.tokensSection) != nil, let documents = reader.header.counts[Self.documentsCount] else { return nil }
        // Counts are stored as u64; read as Int they are the same bits (no count reaches 2⁶³).
        let occurrences = try reader.readArray(Self.occurrencesSection, as: Int.self)
        let documentCounts = try reader.readArray(Self.documentsSection, as: Int.self)
        let expected = try reader.section(Self.tokensSection).count
        guard occurrences.count == expected, documentCounts.count == expected else {
            throw ArtifactError.damaged(path: reader.path, reason: "stored token counts: \(expected) tokens, \(occurrences.count) occurrence and \(documentCounts.count) document counts")
        }
        // The records (varint length, bytes) become the bytes back to back and their ends, in
        // one pass over the section with no per-token array growth.
        let records = try reader.readBytes(Self.tokensSection)
        var ends = [Int](repeating: 0, count: expected)
        var malformed: (token: Int, error: RecordDecoder.Malformed)?
        var tokens = 0
        let bytes = records.withUnsafeBytes { raw in
            [UInt8](unsafeUninitializedCapacity: raw.count) { out, written in
                var decoder = RecordDecoder(raw)
                var at = 0
                ends.withUnsafeMutableBufferPointer { ends in
                    while !decoder.isAtEnd && tokens < expected {
                        do throws(RecordDecoder.Malformed) {
                            let token = try decoder.string()
                            if let base = token.baseAddress, !token.isEmpty {
                                (out.baseAddress! + at).update(from: base.assumingMemoryBound(to: UInt8.self), count: token.count)
                            }
                            at += token.count
                        } catch {
                            malformed = (tokens, error)
                            break
                        }
                        ends[tokens] = at
                        tokens += 1
                    }
                }
                if !decoder.isAtEnd && malformed == nil { tokens += 1 }  // more records than the index says
                written = at
            }
        }
        if let malformed {
            throw ArtifactError.damaged(path: reader.path, reason: "section '\(Self.tokensSection)' token \(malformed.token): \(malformed.error)")
        }
        guard tokens == expected else {
            throw ArtifactError.damaged(path: reader.path, reason: "section '\(Self.tokensSection)' holds \(tokens > expected ? "more than \(expected)" : "\(tokens)") tokens, the index says \(expected)")
        }
        self.init(bytes: bytes, ends: ends, occurrences: occurrences, documentCounts: documentCounts, documents: documents)
    }

    /// Writes the vocabulary `selection` describes as a `vocab` artifact's sections (the
    /// tokens, their counts and document counts), straight from the stored bytes.
    public func writeVocabulary(_ selection: (specials: [String], specialIds: [Int?], ids: [Int]), to writer: ArtifactWriter) throws {
        // The chosen tokens are gathered in one pass in first-seen order, which reads the
        // arrays front to back, instead of in rank order, which jumps about megabytes of them
        // (each jump a cache miss on a large vocabulary).
        let chosen = selection.ids.count
        var rank = [Int32](repeating: -1, count: distinct)
        for (r, id) in selection.ids.enumerated() { rank[id] = Int32(r) }
        var starts = [Int](repeating: 0, count: chosen), lengths = [Int](repeating: 0, count: chosen)
        var counts = selection.specialIds.map { UInt64($0.map { occurrences[$0] } ?? 0) } + [UInt64](repeating: 0, count: chosen)
        var documents = selection.specialIds.map { UInt64($0.map { documentCounts[$0] } ?? 0) } + [UInt64](repeating: 0, count: chosen)
        let first = selection.specials.count
        for id in 0..<distinct where rank[id] >= 0 {
            let r = Int(rank[id])
            starts[r] = id == 0 ? 0 : ends[id - 1]
            lengths[r] = ends[id] - starts[r]
            counts[first + r] = UInt64(occurrences[id])
            documents[first + r] = UInt64(documentCounts[id])
        }
        try writeTokens(Vocabulary.tokensSection, specials: selection.specials, count: chosen, to: writer) { starts[$0]..<starts[$0] + lengths[$0] }
        try writer.writeSection(Vocabulary.countsSection, type: .u64, values: counts)
        try writer.writeSection(Vocabulary.documentCountsSection, type: .u64, values: documents)
    }

    /// A records section of `specials`, then `count` tokens, the i-th at `range(i)` of
    /// `bytes`. Records go to the writer in batches of about 64 KB or a frame, if smaller
    /// (whole records, so none straddles a frame), not one call each.
    private func writeTokens(_ name: String, specials: [String], count: Int, to writer: ArtifactWriter, range: (Int) -> Range<Int>) throws {
        writer.beginSection(name, type: .records)
        let batchBytes = min(Self.batchBytes, writer.frameBytes)
        var batch: [UInt8] = []
        batch.reserveCapacity(batchBytes + 64)
        for special in specials { RecordCoding.appendString(special, to: &batch) }
        try bytes.withUnsafeBufferPointer { all in
            for i in 0..<count {
                RecordCoding.appendString(UnsafeBufferPointer(rebasing: all[range(i)]), to: &batch)
                if batch.count >= batchBytes {
                    try batch.withUnsafeBytes { try writer.append($0) }
                    batch.removeAll(keepingCapacity: true)
                }
            }
        }
        if !batch.isEmpty { try batch.withUnsafeBytes { try writer.append($0) } }
        try writer.endSection(count: specials.count + count)
    }

    private static let batchBytes = 1 << 16
}
