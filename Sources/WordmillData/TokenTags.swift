import WordmillArtifacts

/// Per-token tags of a tagged token stream (`tokenize` with `format: "tagged"`).
///
/// Stored beside the `documents` section: `tags.classes` (records: tag names in code-point
/// order) and `tags.tokens` (u32 per token, in stream order).
public struct TokenTags: Sendable, Equatable {
    public static let classesSection = "tags.classes"
    public static let tokensSection = "tags.tokens"

    public var classes: [String]
    public var tags: [UInt32]

    public init(classes: [String], tags: [UInt32]) {
        self.classes = classes
        self.tags = tags
    }

    public func write(to writer: ArtifactWriter) throws {
        try writer.writeStrings(Self.classesSection, classes)
        try writer.writeSection(Self.tokensSection, type: .u32, values: tags)
    }

    /// The tag names of an artifact, or nil when it has none, after checking that it holds one
    /// tag per token; the tags themselves are left to a `SectionStream` (and `checked`).
    public static func classes(reader: ArtifactReader, tokens: Int) throws -> [String]? {
        guard reader.header.section(classesSection) != nil else { return nil }
        let classes = try reader.readStrings(classesSection)
        let count = try reader.section(tokensSection).count
        guard count == tokens else {
            throw ArtifactError.damaged(path: reader.path, reason: "section '\(tokensSection)' does not give one known tag per token (\(count) tags, \(tokens) tokens)")
        }
        return classes
    }

    /// `tag`, read from `reader`'s tags at token `index`, when it names one of `classes`.
    public static func checked(_ tag: UInt32, classes: Int, at index: Int, in reader: ArtifactReader) throws -> UInt32 {
        guard Int(tag) < classes else {
            throw ArtifactError.damaged(path: reader.path, reason: "section '\(tokensSection)' gives token \(index) tag \(tag), but there are \(classes) tags")
        }
        return tag
    }
}
