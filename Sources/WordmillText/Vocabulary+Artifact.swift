import WordmillArtifacts

/// The `vocab` artifact: section `vocab.tokens` (records: varint length + UTF-8, in id
/// order) and section `vocab.counts` (u64 per id); header count `specials`. Artifacts that
/// need their vocabulary (windows, models) carry the same two sections.
extension Vocabulary {
    public static let artifactKind = "vocab"

    /// Writes the two sections into an open artifact.
    public func write(to writer: ArtifactWriter) throws {
        writer.beginSection("vocab.tokens", type: .records)
        var record: [UInt8] = []
        for t in tokens {
            record.removeAll(keepingCapacity: true)
            RecordCoding.appendString(t, to: &record)
            try record.withUnsafeBytes { try writer.append($0) }
        }
        try writer.endSection(count: tokens.count)
        try writer.writeSection("vocab.counts", type: .u64, values: counts.map { UInt64($0) })
    }

    /// Reads a vocabulary from a `vocab` artifact (or any artifact carrying the same sections).
    public init(reader: ArtifactReader) throws {
        var tokens: [String] = []
        let expected = try reader.section("vocab.tokens").count
        tokens.reserveCapacity(expected)
        try reader.forEachFrame("vocab.tokens") { frame in
            var decoder = RecordDecoder(frame)
            while !decoder.isAtEnd {
                do { tokens.append(String(decoding: try decoder.string(), as: UTF8.self)) } catch {
                    throw ArtifactError.damaged(path: reader.path, reason: "section 'vocab.tokens': \(error)")
                }
            }
        }
        let counts = try reader.readArray("vocab.counts", as: UInt64.self)
        guard tokens.count == expected, counts.count == tokens.count else {
            throw ArtifactError.damaged(path: reader.path, reason: "vocabulary has \(tokens.count) tokens and \(counts.count) counts, index says \(expected)")
        }
        let specials = reader.header.counts["vocab_specials"] ?? reader.header.counts["specials"] ?? 0
        self.init(tokens: tokens, counts: counts.map { Int($0) }, specialCount: min(specials, tokens.count))
    }
}
