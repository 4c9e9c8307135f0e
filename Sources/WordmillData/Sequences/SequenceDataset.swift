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

    /// Reads a `sequences` artifact and checks its arrays agree.
    public init(reader: ArtifactReader) throws {
        let m = reader.header.metadata
        func damaged(_ why: String) -> ArtifactError { .damaged(path: reader.path, reason: why) }
        guard let task = m["task"]?.stringValue else { throw damaged("metadata lacks the task") }
        self.task = task
        bptt = m["bptt"]?.intValue ?? 0
        let vocabulary = try reader.readStrings("vocabulary")
        // u64 offsets read as Int in place; starting at 0 and never falling keeps them ≥ 0.
        let offsets = try reader.readArray("sequences.offsets", as: Int.self)
        // Read as Int32 in place (the u32 ids are below the vocabulary size, so the same bits):
        // one array of four bytes a token, not a second copy.
        let ids = try reader.readArray("sequences.ids", as: Int32.self)
        guard vocabulary.count >= 2, let last = offsets.last, offsets.first == 0, last == ids.count,
              zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }), ids.allSatisfy({ $0 >= 0 && Int($0) < vocabulary.count })
        else { throw damaged("the sequence sections disagree (\(offsets.count) offsets, \(ids.count) ids, \(vocabulary.count) tokens)") }
        self.vocabulary = vocabulary
        self.offsets = offsets
        self.ids = ids
        labels = try DocumentLabels(reader: reader, documents: offsets.count - 1)
        tags = try TokenTags(reader: reader, tokens: ids.count)
    }
}
