import WordmillArtifacts

/// The `vocab` artifact: section `vocab.tokens` (records: varint length + UTF-8, in id
/// order) and section `vocab.counts` (u64 per id); header count `specials`. Artifacts that
/// need their vocabulary (windows, models) carry the same two sections.
extension Vocabulary {
    public static let artifactKind = "vocab"
    /// Only the `vocab` artifact itself carries the document counts (`u64` per id).
    public static let documentCountsSection = "vocab.document_counts"
    public static let tokensSection = "vocab.tokens"
    public static let countsSection = "vocab.counts"

    /// Writes the two sections into an open artifact.
    public func write(to writer: ArtifactWriter) throws {
        try writer.writeStrings(Self.tokensSection, tokens)
        try writer.writeSection(Self.countsSection, type: .u64, values: counts.map { UInt64($0) })
    }

    /// Reads a vocabulary from a `vocab` artifact (or any artifact carrying the same sections).
    public init(reader: ArtifactReader) throws {
        let tokens = try reader.readStrings(Self.tokensSection)
        let counts = try reader.readArray(Self.countsSection, as: UInt64.self)
        guard counts.count == tokens.count else {
            throw ArtifactError.damaged(path: reader.path, reason: "vocabulary has \(tokens.count) tokens and \(counts.count) counts")
        }
        var documentCounts: [Int] = []
        if reader.header.section(Self.documentCountsSection) != nil {
            documentCounts = try reader.readArray(Self.documentCountsSection, as: UInt64.self).map { Int($0) }
            guard documentCounts.count == tokens.count else {
                throw ArtifactError.damaged(path: reader.path, reason: "vocabulary has \(tokens.count) tokens and \(documentCounts.count) document counts")
            }
        }
        let specials = reader.header.counts["vocab_specials"] ?? reader.header.counts["specials"] ?? 0
        self.init(tokens: tokens, counts: counts.map { Int($0) }, specialCount: min(specials, tokens.count), documentCounts: documentCounts)
    }
}
