import WordmillArtifacts
import WordmillData
import WordmillPipeline
import WordmillSupport
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
            ParameterSpec("threads", .integer(min: 0, max: 256), default: 0, doc: "counting threads, 0 = one per core, for a tokens artifact that stores no counts (a stratified split, a command tokenizer); the vocabulary is the same for any number"),
        ],
        inputs: [InputSlot("tokens", kinds: [TokenStream.artifactKind])],
        outputKind: Vocabulary.artifactKind,
        algorithmVersion: 2,  // 2: document counts and the tokens' fingerprint
        check: { c in
            let specials = c.parameters.strings("specials")
            return Set(specials).count == specials.count ? [] : [c.issue("specials", "a special token is listed twice")]
        },
        run: { context in
            let reader = context.input("tokens")
            return try write(context, counted: try TokenCounts(storedIn: reader) ?? count(reader, threads: WorkerThreads.resolve(context.parameters.int("threads"))).result)
        },
        sharding: Sharding(
            unit: "the token counts of documents [D·I/N, D·(I+1)/N) of the D in the tokens (training documents only)", shardKind: "token-counts",
            runShard: runShard, merge: merge))

    /// Counts the training documents of one shard's range into a `token-counts` artifact.
    static func runShard(_ context: StageContext, _ shard: ShardIndex) throws -> StageReport {
        let reader = context.input("tokens")
        let labels = try TokenStream.labels(reader)
        var counter = VocabularyCounter()
        let section = try reader.section(TokenStream.section)
        let range = shard.range(of: section.count)
        // Frames in order up to the range's end; documents before it are decoded and skipped.
        var first = 0, frame = 0
        while first < range.upperBound, frame < section.frames.count {
            let start = first
            first += try countFrame(reader, frame, into: &counter) { i in
                range.contains(start + i) && (labels.split.isEmpty || labels.isTraining(start + i))
            }
            frame += 1
        }
        let counted = counter.result
        try context.writeArtifact(kind: "token-counts") { writer in
            (try counted.write(to: writer).merging(["corpus_tokens": counted.total, "distinct_tokens": counted.distinct]) { a, _ in a }, [:])
        }
        return StageReport(counts: ["corpus_tokens": counted.total, "distinct_tokens": counted.distinct],
                           summary: "\(counted.total) tokens of \(counted.documents) documents counted (\(counted.distinct) distinct)")
    }

    /// The shards' counts merged in shard order (first-seen order across them is the
    /// stream's), then the vocabulary chosen and written as an unsharded run does.
    static func merge(_ context: StageContext, _ shards: [ArtifactReader]) throws -> StageReport {
        var counter = VocabularyCounter()
        for shard in shards {
            guard let counts = try TokenCounts(storedIn: shard) else {
                throw ArtifactError.damaged(path: shard.path, reason: "a vocab shard without its token counts")
            }
            counter.merge(counts)
        }
        return try write(context, counted: counter.result)
    }

    /// Chooses the vocabulary from the counts and writes it.
    static func write(_ context: StageContext, counted: TokenCounts) throws -> StageReport {
        let p = context.parameters
        let reader = context.input("tokens")
        let specials = p.strings("specials")
        let (specialIds, ids) = counted.selection(minCount: p.int("min_count"), maxSize: p.optionalInt("max_size"), specials: specials)
        if ids.isEmpty {
            throw StageInputError("the vocabulary is empty: no token occurs at least min_count = \(p.int("min_count")) times")
        }
        let size = specials.count + ids.count
        let counts = ["size": size, "specials": specials.count, "distinct_tokens": counted.distinct, "corpus_tokens": counted.total,
                      "documents": counted.documents]
        try context.writeArtifact(kind: Vocabulary.artifactKind) { writer in
            try counted.writeVocabulary((specials, specialIds, ids), to: writer)
            // Lets bag-of-words take the document frequencies from here instead of counting them again.
            return (counts, ["tokens_fingerprint": .string(reader.header.fingerprint)])
        }
        let dropped = counted.distinct - ids.count
        return StageReport(counts: counts, summary: "\(size) entries from \(counted.total) tokens (\(counted.distinct) distinct, \(dropped) dropped)")
    }

    /// Counts the training documents' tokens of a `tokens` artifact that does not carry its
    /// counts (a stratified split, a command tokenizer, an artifact from before they were stored).
    static func count(_ reader: ArtifactReader, threads: Int) throws -> VocabularyCounter {
        var counter = VocabularyCounter()
        // With a train/test split only the training documents count, as scikit-learn fits on them alone.
        let labels = try TokenStream.labels(reader)
        if labels.split.isEmpty && threads > 1 {
            // Every document counts: frames are counted by `threads` workers and their counts
            // merged in stream order, which gives exactly the one-thread vocabulary.
            let parallel = OrderedParallel<Int, VocabularyCounter>(threads: threads, transform: { frame in
                var part = VocabularyCounter()
                _ = try countFrame(reader, frame, into: &part) { _ in true }
                return part
            }, consume: { part in counter.merge(part) })
            for frame in 0..<(try reader.section(TokenStream.section).frames.count) { try parallel.submit(frame) }
            try parallel.finish()
            try TokenStream.checkCount(counter.documents, reader)
        } else {
            var first = 0
            for frame in 0..<(try reader.section(TokenStream.section).frames.count) {
                let start = first
                first += try countFrame(reader, frame, into: &counter) { labels.split.isEmpty || labels.isTraining(start + $0) }
            }
            try TokenStream.checkCount(first, reader)
        }
        return counter
    }

    /// Counts the documents of one frame of the `documents` section for which `include`
    /// (given the document's index in the frame) holds; returns how many the frame held.
    static func countFrame(_ reader: ArtifactReader, _ frame: Int, into counter: inout VocabularyCounter, include: (Int) -> Bool) throws -> Int {
        try reader.readFrame(TokenStream.section, index: frame).withUnsafeBytes { bytes in
            do { return try counter.addDocuments(bytes, include: include) } catch {
                throw ArtifactError.damaged(path: reader.path, reason: "section '\(TokenStream.section)' frame \(frame): \(error)")
            }
        }
    }
}
