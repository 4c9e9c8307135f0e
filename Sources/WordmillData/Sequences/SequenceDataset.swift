import WordmillArtifacts
import WordmillSupport

/// The `sequences` artifact: token ids per document for recurrent models.
///
/// Sections: `vocabulary` (records: the model's tokens by id: `<pad>` 0, `<unk>` 1, `<eos>`
/// 2 for language models, then the vocab stage's tokens), `sequences.offsets` (u64,
/// documents + 1) and `sequences.ids` (u32, all documents end to end), the document labels
/// and split (`DocumentLabels`) and, for tagging, `TokenTags` aligned with the ids. Header
/// metadata: `task`, `bptt` (language models), `max_len`, and the `tokenizer` that made
/// the tokens. Loaded whole (four bytes per token), for the fastText classifier and `inspect`;
/// recurrent training and evaluation read it in pieces through `SequenceSource`.
public struct SequenceDataset: Sendable {
    public static let artifactKind = "sequences"
    public static let padToken = "<pad>", unknownToken = "<unk>", endToken = "<eos>"
    public static let padId: Int32 = 0, unknownId: Int32 = 1, endId: Int32 = 2

    /// classify, tag or lm (the names of `RecurrentTask`).
    public var task: String
    public var vocabulary: [String]
    public var offsets: [Int]
    public var ids: [Int32]
    public var labels: DocumentLabels
    public var tags: TokenTags?
    /// Steps per truncated-BPTT segment (language models).
    public var bptt: Int

    public init(task: String, vocabulary: [String], offsets: [Int], ids: [Int32], labels: DocumentLabels, tags: TokenTags?, bptt: Int) {
        self.task = task
        self.vocabulary = vocabulary
        self.offsets = offsets
        self.ids = ids
        self.labels = labels
        self.tags = tags
        self.bptt = bptt
    }

    public var documents: Int { offsets.count - 1 }

    /// The ids of document `i`.
    public func document(_ i: Int) -> ArraySlice<Int32> { ids[offsets[i]..<offsets[i + 1]] }

    public func write(to writer: ArtifactWriter) throws {
        try writer.writeStrings("vocabulary", vocabulary)
        try writer.writeSection("sequences.offsets", type: .u64, values: offsets.map { UInt64($0) })
        try writer.writeSection("sequences.ids", type: .u32, values: ids.map { UInt32(bitPattern: $0) })
        try labels.write(to: writer)
        try tags?.write(to: writer)
    }
}
