import WordmillArtifacts
import WordmillData
import WordmillPipeline
import WordmillText

/// `windows`: tokens + vocab → a `windows` artifact (the id stream and the window rule).
enum WindowsOperation {
    /// What becomes of tokens outside the vocabulary.
    enum UnknownWords: String, CaseIterable { case drop, unk }

    static let definition = OperationDefinition(
        name: "windows",
        summary: "CBOW or skip-gram examples from sliding windows over each document",
        parameters: [
            ParameterSpec("kind", .string(choices: WindowConfig.Kind.allCases.map(\.rawValue)), doc: "cbow or skipgram"),
            ParameterSpec("window", .integer(min: 1, max: 1000), default: 5, doc: "words on each side of the centre"),
            ParameterSpec("edges", .string(choices: WindowConfig.Edges.allCases.map(\.rawValue)), default: "truncate",
                          doc: "full-only: centres with a full window (the lecture); truncate: windows cut at document edges (word2vec.c)"),
            ParameterSpec("materialize", .boolean, default: false, doc: "also store every example (small data, inspection)"),
            ParameterSpec("unknown", .string(choices: UnknownWords.allCases.map(\.rawValue)), default: "drop",
                          doc: "tokens not in the vocabulary: drop them (word2vec.c) or map them to the special <unk>"),
        ],
        inputs: [InputSlot("tokens", kinds: [TokenStream.artifactKind]), InputSlot("vocab", kinds: [Vocabulary.artifactKind])],
        outputKind: WindowDataset.artifactKind,
        algorithmVersion: 2,  // 2: id stream with document separators in 1 MiB frames
        check: { c in
            guard c.parameters.choice("unknown", as: UnknownWords.self) == .unk, let vocab = c.upstream["vocab"], !vocab.parameters.strings("specials").contains("<unk>") else { return [] }
            return [c.issue("unknown", "is \"unk\" but vocab stage '\(vocab.name)' has no \"<unk>\" special; add it to its \"specials\"")]
        },
        run: run)

    static func run(_ context: StageContext) throws -> StageReport {
        let p = context.parameters
        let vocabulary = try Vocabulary(reader: context.input("vocab"))
        // The loader checked that the vocab stage lists "<unk>" among its specials.
        let unknownId: Int32? = p.choice("unknown", as: UnknownWords.self) == .unk ? vocabulary.id(of: "<unk>") : nil
        let config = WindowConfig(kind: p.choice("kind", as: WindowConfig.Kind.self), window: p.int("window"),
                                  edges: p.choice("edges", as: WindowConfig.Edges.self))
        let materialize = p.bool("materialize")
        var summary = ""
        var reportCounts: [String: Int] = [:]
        try context.writeArtifact(kind: WindowDataset.artifactKind, frameBytes: IdStream.frameBytes) { writer in
            var stream = IdStream.Writer(writer: writer)
            var document: [Int32] = []
            var kept: [Int32] = [], lengths: [UInt32] = []  // only with `materialize`
            var unknown = 0, examples = 0
            try TokenStream.forEachDocument(context.input("tokens")) { tokens in
                document.removeAll(keepingCapacity: true)
                for t in tokens {
                    if let id = vocabulary.id(of: t) { document.append(id) } else if let u = unknownId { document.append(u); unknown += 1 } else { unknown += 1 }
                }
                guard !document.isEmpty else { return }
                try document.withUnsafeBufferPointer { try stream.append($0) }
                examples += config.exampleCount(documentLength: document.count)
                if materialize {
                    kept.append(contentsOf: document)
                    lengths.append(UInt32(document.count))
                }
            }
            try stream.finish()
            if examples == 0 {
                throw StageInputError("no \(config.kind.rawValue) examples: no document is long enough for window \(config.window) with edges \(config.edges.rawValue)")
            }
            if materialize {
                try writer.writeSection("examples", type: .i32, values: WindowDataset(config: config, ids: kept, documentLengths: lengths).materializedRows())
            }
            try vocabulary.write(to: writer)
            reportCounts = ["documents": stream.documents, "tokens": stream.tokens, "examples": examples, "unknown_tokens": unknown,
                            "vocab_size": vocabulary.count, "vocab_specials": vocabulary.specialCount]
            summary = "\(examples) \(config.kind.rawValue) examples from \(stream.tokens) tokens in \(stream.documents) documents"
            return (reportCounts, WindowDataset.metadata(config))
        }
        return StageReport(counts: reportCounts, summary: summary)
    }
}
