import WordmillArtifacts
import WordmillData
import WordmillPipeline
import WordmillSupport
import WordmillText

/// `subword`: tokens → tokens split into learned byte-pair-encoding pieces (SentencePiece's
/// `▁` marks each word's first piece), so `vocab`, `windows` and `bag-of-words` work on
/// Korean or other text without a morphological analyser.
enum SubwordOperation {
    static let definition = OperationDefinition(
        name: "subword",
        summary: "learn byte-pair-encoding merges from the words and split every token into pieces",
        parameters: [
            ParameterSpec("merges", .integer(min: 1, max: 10_000_000), default: .null, doc: "learn this many merges"),
            ParameterSpec("vocab_size", .integer(min: 1, max: 10_000_000), default: .null, doc: "or learn until the symbols (characters + merges) number this many"),
            ParameterSpec("min_count", .integer(min: 1), default: 1, doc: "words rarer than this do not take part in learning (they are still split)"),
        ],
        inputs: [InputSlot("tokens", kinds: [TokenStream.artifactKind])],
        outputKind: TokenStream.artifactKind,
        algorithmVersion: 1,
        check: { c in
            (c.parameters["merges"] == nil) != (c.parameters["vocab_size"] == nil) ? [] : [c.issue(nil, "give exactly one of \"merges\" and \"vocab_size\"")]
        },
        run: run)

    static func run(_ context: StageContext) throws -> StageReport {
        let p = context.parameters
        let merges = p.optionalInt("merges"), vocabularySize = p.optionalInt("vocab_size")
        let reader = context.input("tokens")
        let labels = try TokenStream.labels(reader)
        // Word counts of the training part, as vocab takes them: stored by tokenize, or counted.
        let counted = try TokenCounts(storedIn: reader) ?? VocabOperation.count(reader, threads: WorkerThreads.resolve(0)).result
        let minCount = p.int("min_count")
        let words = zip(counted.tokens, counted.occurrences).filter { $0.1 >= minCount }
        let bpe = BytePairEncoding.learn(words: words, merges: merges, vocabularySize: vocabularySize)
        // Each distinct word is split once; its pieces are kept already encoded as records.
        var wordIds = TokenTable(capacity: 1 << 16)
        var encoded: [[UInt8]] = []
        var pieceCounts: [Int] = []
        var counts: [String: Int] = [:]
        try context.writeArtifact(kind: TokenStream.artifactKind) { writer in
            var stream = TokenStream.Writer(writer: writer)
            var record: [UInt8] = [], pieces: [UInt8] = []
            try TokenStream.forEachDocument(reader) { tokens in
                pieces.removeAll(keepingCapacity: true)
                var n = 0
                for t in tokens {
                    let (id, inserted) = wordIds.insert(t)
                    if inserted {
                        var bytes: [UInt8] = []
                        let split = bpe.pieces(of: String(decoding: t, as: UTF8.self))
                        for piece in split { RecordCoding.appendString(piece, to: &bytes) }
                        encoded.append(bytes)
                        pieceCounts.append(split.count)
                    }
                    pieces.append(contentsOf: encoded[Int(id)])
                    n += pieceCounts[Int(id)]
                }
                record.removeAll(keepingCapacity: true)
                RecordCoding.appendVarint(n, to: &record)
                record.append(contentsOf: pieces)
                try record.withUnsafeBytes { try stream.appendEncoded($0, tokens: n) }
            }
            try stream.finish()
            try labels.write(to: writer)
            try writer.writeStrings("bpe.merges", bpe.merges.flatMap { [$0.0, $0.1] })
            counts = ["documents": stream.documents, "tokens": stream.tokens, "merges": bpe.merges.count, "words": counted.distinct,
                      "classes": labels.classes.count, "test_documents": labels.testCount, "train_documents": stream.documents - labels.testCount]
            return (counts, [:])
        }
        return StageReport(counts: counts, summary: "\(bpe.merges.count) merges learned from \(words.count) distinct words; \(counts["documents"]!) documents now \(counts["tokens"]!) pieces")
    }
}
