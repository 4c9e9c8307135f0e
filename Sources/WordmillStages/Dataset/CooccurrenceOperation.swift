import WordmillArtifacts
import WordmillData
import WordmillPipeline
import WordmillSupport
import WordmillText

/// `cooccurrence`: tokens + vocab → the sparse word–word co-occurrence matrix GloVe trains
/// on, counted within `memory_mb` by spilling sorted runs and merging them (GloVe's `cooccur`).
enum CooccurrenceOperation {
    static let definition = OperationDefinition(
        name: "cooccurrence",
        summary: "count how often two words appear within a window (GloVe's cooccur), in bounded memory",
        parameters: [
            ParameterSpec("window", .integer(min: 1, max: 1000), default: 15, doc: "words on each side (GloVe's -window-size)"),
            ParameterSpec("symmetric", .boolean, default: true, doc: "count both orders of each pair (GloVe's -symmetric 1); false: earlier word first only"),
            ParameterSpec("weighting", .string(choices: CooccurrenceConfig.Weighting.allCases.map(\.rawValue)), default: "harmonic",
                          doc: "harmonic: a pair d words apart adds 1/d (GloVe); flat: every pair adds 1"),
            ParameterSpec("memory_mb", .integer(min: 1, max: 1 << 20), default: 512, doc: "memory for counting; beyond it sorted runs spill to disk (GloVe's -memory)"),
        ],
        inputs: [InputSlot("tokens", kinds: [TokenStream.artifactKind]), InputSlot("vocab", kinds: [Vocabulary.artifactKind])],
        outputKind: CooccurrenceMatrix.artifactKind,
        algorithmVersion: 2,  // 2: the spilled-run count left out of the header, so shards merge to the same bytes
        check: { c in
            guard c.parameters.choice("weighting", as: CooccurrenceConfig.Weighting.self) == .harmonic,
                  c.parameters.int("window") > CooccurrenceConfig.maximumHarmonicWindow else { return [] }
            return [c.issue("window", "harmonic counts stay exact up to a window of \(CooccurrenceConfig.maximumHarmonicWindow); use a smaller window or \"weighting\": \"flat\"")]
        },
        run: { context in try run(context, documents: nil) },
        sharding: Sharding(
            unit: "the counts of documents [D·I/N, D·(I+1)/N) of the D in the tokens",
            runShard: { context, shard in
                let documents = try context.input("tokens").section(TokenStream.section).count
                return try run(context, documents: shard.range(of: documents))
            },
            merge: merge))

    static func config(_ p: [String: JSONValue]) -> CooccurrenceConfig {
        CooccurrenceConfig(window: p.int("window"), symmetric: p.bool("symmetric"), weighting: p.choice("weighting", as: CooccurrenceConfig.Weighting.self),
                           memoryBytes: p.int("memory_mb") << 20)
    }

    /// Counts the co-occurrences of all documents, or of a shard's `documents`, into
    /// `context.outputPath`.
    static func run(_ context: StageContext, documents: Range<Int>?) throws -> StageReport {
        let config = config(context.parameters)
        let vocabulary = try Vocabulary(reader: context.input("vocab"))
        let counter = CooccurrenceCounter(config: config, vocabularySize: vocabulary.count, runPrefix: context.outputPath + ".run")
        var skipped = 0
        func count(_ words: UnsafeBufferPointer<UnsafeRawBufferPointer>) throws {
            counter.beginDocument()
            for w in words {
                if let id = vocabulary.id(of: w) { counter.add(id) } else { skipped += 1 }
            }
        }
        if let documents { try TokenStream.forEachDocument(context.input("tokens"), in: documents, count) } else { try TokenStream.forEachDocument(context.input("tokens"), count) }
        let counts = try write(context, config: config, vocabulary: vocabulary, tokens: counter.tokens, skipped: skipped) { entries in try counter.finish(into: &entries) }
        return StageReport(counts: counts.merging(["spilled_runs": counter.runs.count]) { a, _ in a },
                           summary: summary(counts, config: config) + "; \(counter.runs.count) runs spilled")
    }

    /// `--merge`: the shards' entries merged in key order, their token counts summed: the
    /// bytes an unsharded run writes.
    static func merge(_ context: StageContext, _ shards: [ArtifactReader]) throws -> StageReport {
        let config = config(context.parameters)
        let vocabulary = try Vocabulary(reader: context.input("vocab"))
        var cursors = try shards.map { try RunCursor(entriesOf: $0, vocabularySize: vocabulary.count) }
        let tokens = shards.reduce(0) { $0 + ($1.header.counts["tokens"] ?? 0) }
        let skipped = shards.reduce(0) { $0 + ($1.header.counts["skipped_tokens"] ?? 0) }
        let counts = try write(context, config: config, vocabulary: vocabulary, tokens: tokens, skipped: skipped) { entries in
            try mergeRuns(&cursors, into: &entries)
        }
        return StageReport(counts: counts, summary: summary(counts, config: config) + "; merged from \(shards.count) shards")
    }

    /// Writes the artifact: the vocabulary, then the entries `fill` appends (returning how
    /// many); returns the header counts.
    static func write(_ context: StageContext, config: CooccurrenceConfig, vocabulary: Vocabulary, tokens: Int, skipped: Int,
                      fill: (inout CooccurrenceMatrix.EntryWriter) throws -> Int) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        try context.writeArtifact(kind: CooccurrenceMatrix.artifactKind, frameBytes: CooccurrenceMatrix.frameBytes) { writer in
            try vocabulary.write(to: writer)
            var entries = CooccurrenceMatrix.EntryWriter(writer: writer)
            let distinct = try fill(&entries)
            try entries.finish()
            counts = ["entries": distinct, "vocab_size": vocabulary.count, "vocab_specials": vocabulary.specialCount, "tokens": tokens, "skipped_tokens": skipped]
            let metadata: [String: JSONValue] = ["window": .integer(config.window), "symmetric": .bool(config.symmetric),
                                                 "weighting": .string(config.weighting.rawValue), "unit": .integer(Int(config.unit))]
            return (counts, metadata)
        }
        return counts
    }

    static func summary(_ counts: [String: Int], config: CooccurrenceConfig) -> String {
        "\(counts["entries"]!) nonzero pairs over \(counts["vocab_size"]!) words from \(counts["tokens"]!) tokens (window \(config.window), \(config.weighting.rawValue)\(config.symmetric ? ", symmetric" : ""))"
    }
}
