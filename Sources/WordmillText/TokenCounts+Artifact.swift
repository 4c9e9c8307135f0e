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
        try writeTokens(Self.tokensSection, specials: [], ids: 0..<distinct, to: writer)
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
        try writeTokens(Vocabulary.tokensSection, specials: selection.specials, ids: selection.ids, to: writer)
        // Plain gathers: each load is independent of the others, so the cache misses of a
        // large vocabulary overlap instead of adding up.
        let counts = selection.specialIds.map { UInt64($0.map { occurrences[$0] } ?? 0) } + selection.ids.map { UInt64(occurrences[$0]) }
        try writer.writeSection(Vocabulary.countsSection, type: .u64, values: counts)
        let documents = selection.specialIds.map { UInt64($0.map { documentCounts[$0] } ?? 0) } + selection.ids.map { UInt64(documentCounts[$0]) }
        try writer.writeSection(Vocabulary.documentCountsSection, type: .u64, values: documents)
    }

    /// A records section of `specials`, then the tokens `ids`. Each record is written through
    /// a pointer into a batch of about 64 KB (or a frame, if smaller), a short token's bytes
    /// as one 16-byte load and store; whole batches go to the writer, so no record straddles
    /// a frame. (Appending record by record to an array took 55 ns a token, 9 ms for gcide's
    /// 169 k.)
    private func writeTokens<Ids: Collection<Int>>(_ name: String, specials: [String], ids: Ids, to writer: ArtifactWriter) throws {
        writer.beginSection(name, type: .records)
        let batchBytes = min(Self.batchBytes, writer.frameBytes)
        var special: [UInt8] = []
        for s in specials { RecordCoding.appendString(s, to: &special) }
        if !special.isEmpty { try special.withUnsafeBytes { try writer.append($0) } }
        let batch = UnsafeMutablePointer<UInt8>.allocate(capacity: batchBytes + 16)
        defer { batch.deallocate() }
        var filled = 0
        func flush() throws {
            try writer.append(UnsafeRawBufferPointer(start: batch, count: filled))
            filled = 0
        }
        try bytes.withUnsafeBufferPointer { all in
            try ends.withUnsafeBufferPointer { ends in
                let base = all.baseAddress ?? UnsafePointer(batch)
                for id in ids {
                    let start = id == 0 ? 0 : ends[id - 1]
                    let length = ends[id] - start
                    // Room for a 10-byte varint and the 16 bytes a short copy stores.
                    if filled > 0 && filled + length + 26 > batchBytes { try flush() }
                    if length + 26 > batchBytes {
                        // A token longer than a batch is a record of its own.
                        var record: [UInt8] = []
                        RecordCoding.appendString(UnsafeBufferPointer(rebasing: all[start..<start + length]), to: &record)
                        try record.withUnsafeBytes { try writer.append($0) }
                        continue
                    }
                    filled += RecordCoding.putString(base + start, length: length, sourceHas16: start + 16 <= all.count, at: batch + filled)
                }
            }
        }
        if filled > 0 { try flush() }
        try writer.endSection(count: specials.count + ids.count)
    }

    private static let batchBytes = 1 << 16
}
