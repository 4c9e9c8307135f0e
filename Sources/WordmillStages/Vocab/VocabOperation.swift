import WordmillArtifacts
import WordmillData
import WordmillPipeline
import WordmillText

/// `vocab`: a `tokens` artifact → a `vocab` artifact (ids by count, ties first-seen).
enum VocabOperation {
    static let definition = OperationDefinition(
        name: "vocab",
        summary: "count tokens (of the training part) and number them by count (ties in first-seen order)",
        parameters: [
            ParameterSpec("min_count", .integer(min: 1), default: 1, doc: "drop tokens seen fewer times"),
            ParameterSpec("max_size", .integer(min: 1), default: .null, doc: "keep at most this many entries, specials included"),
            ParameterSpec("specials", .stringList, default: [], doc: "tokens that take the first ids, e.g. [\"<pad>\", \"<unk>\"]"),
            ParameterSpec("threads", .integer(min: 0, max: 256), default: 0, doc: "counting threads, 0 = one per core (streams without a train/test split); the vocabulary is the same for any number"),
        ],
        inputs: [InputSlot("tokens", kinds: [TokenStream.artifactKind])],
        outputKind: { _ in Vocabulary.artifactKind },
        algorithmVersion: 2,  // 2: document counts and the tokens' fingerprint
        run: run)

    static func run(_ context: StageContext) throws -> StageReport {
        let p = context.parameters
        var counter = VocabularyCounter()
        let reader = context.input("tokens")
        // With a train/test split only the training documents count, as scikit-learn fits on them alone.
        let labels = try TokenStream.labels(reader)
        if labels.split.isEmpty {
            // Every document counts: frames are counted by `threads` workers and their counts
            // merged in stream order, which gives exactly the one-thread vocabulary.
            let parallel = OrderedParallel<Int, VocabularyCounter>(threads: WorkerThreads.resolve(p.int("threads")), transform: { frame in
                var part = VocabularyCounter()
                _ = try reader.readFrame(TokenStream.section, index: frame).withUnsafeBytes { bytes in
                    try TokenStream.forEachDocument(inFrame: bytes, path: reader.path) { tokens in
                        for t in tokens { part.add(t) }
                        part.endDocument()
                    }
                }
                return part
            }, consume: { part in counter.merge(part) })
            for frame in 0..<(try reader.section(TokenStream.section).frames.count) { try parallel.submit(frame) }
            try parallel.finish()
            try TokenStream.checkCount(counter.documents, reader)
        } else {
            var document = 0
            try TokenStream.forEachDocument(reader) { tokens in
                if labels.isTraining(document) {
                    for t in tokens { counter.add(t) }
                    counter.endDocument()
                }
                document += 1
            }
        }
        let specials = p.strings("specials")
        if Set(specials).count != specials.count { throw StageInputError("\(context.stage.jsonPath).specials: a special token is listed twice") }
        let vocabulary = counter.vocabulary(minCount: p.int("min_count"), maxSize: p.optionalInt("max_size"), specials: specials)
        if vocabulary.count == specials.count {
            throw StageInputError("the vocabulary is empty: no token occurs at least min_count = \(p.int("min_count")) times")
        }
        let counts = ["size": vocabulary.count, "specials": specials.count, "distinct_tokens": counter.distinct, "corpus_tokens": counter.total,
                      "documents": counter.documents]
        try context.writeArtifact(kind: Vocabulary.artifactKind) { writer in
            try vocabulary.write(to: writer)
            try writer.writeSection(Vocabulary.documentCountsSection, type: .u64, values: vocabulary.documentCounts.map { UInt64($0) })
            // Lets bag-of-words take the document frequencies from here instead of counting them again.
            return (counts, ["tokens_fingerprint": .string(reader.header.fingerprint)])
        }
        let dropped = counter.distinct - (vocabulary.count - specials.count)
        return StageReport(counts: counts, summary: "\(vocabulary.count) entries from \(counter.total) tokens (\(counter.distinct) distinct, \(dropped) dropped)")
    }
}
