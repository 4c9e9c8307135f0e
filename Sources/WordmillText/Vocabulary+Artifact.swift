import WordmillArtifacts

/// The `vocab` artifact: section `vocab.tokens` (records: varint length + UTF-8, in id
/// order) and section `vocab.counts` (u64 per id); header count `specials`. Artifacts that
/// need their vocabulary (windows, models) carry the same two sections.
extension Vocabulary {
    public static let artifactKind = "vocab"

    /// Writes the two sections into an open artifact.
    public func write(to writer: ArtifactWriter) throws {
        try writer.writeStrings("vocab.tokens", tokens)
        try writer.writeSection("vocab.counts", type: .u64, values: counts.map { UInt64($0) })
    }

    /// Reads a vocabulary from a `vocab` artifact (or any artifact carrying the same sections).
    public init(reader: ArtifactReader) throws {
        let tokens = try reader.readStrings("vocab.tokens")
        let counts = try reader.readArray("vocab.counts", as: UInt64.self)
        guard counts.count == tokens.count else {
            throw ArtifactError.damaged(path: reader.path, reason: "vocabulary has \(tokens.count) tokens and \(counts.count) counts")
        }
        let specials = reader.header.counts["vocab_specials"] ?? reader.header.counts["specials"] ?? 0
        self.init(tokens: tokens, counts: counts.map { Int($0) }, specialCount: min(specials, tokens.count))
    }
}
