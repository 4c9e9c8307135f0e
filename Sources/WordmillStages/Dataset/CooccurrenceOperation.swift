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
        algorithmVersion: 1,
        check: { c in
            guard c.parameters.choice("weighting", as: CooccurrenceConfig.Weighting.self) == .harmonic,
                  c.parameters.int("window") > CooccurrenceConfig.maximumHarmonicWindow else { return [] }
            return [c.issue("window", "harmonic counts stay exact up to a window of \(CooccurrenceConfig.maximumHarmonicWindow); use a smaller window or \"weighting\": \"flat\"")]
        },
        run: run)

    static func run(_ context: StageContext) throws -> StageReport {
        let p = context.parameters
        let weighting = p.choice("weighting", as: CooccurrenceConfig.Weighting.self)
        let config = CooccurrenceConfig(window: p.int("window"), symmetric: p.bool("symmetric"), weighting: weighting, memoryBytes: p.int("memory_mb") << 20)
        let vocabulary = try Vocabulary(reader: context.input("vocab"))
        var counter = CooccurrenceCounter(config: config, runPrefix: context.outputPath + ".run")
        var skipped = 0
        try TokenStream.forEachDocument(context.input("tokens")) { words in
            counter.beginDocument()
            for w in words {
                if let id = vocabulary.id(of: w) { try counter.add(id) } else { skipped += 1 }
            }
        }
        var counts: [String: Int] = [:]
        try context.writeArtifact(kind: CooccurrenceMatrix.artifactKind, frameBytes: CooccurrenceMatrix.frameBytes) { writer in
            try vocabulary.write(to: writer)
            var entries = CooccurrenceMatrix.EntryWriter(writer: writer)
            let distinct = try counter.finish(into: &entries)
            try entries.finish()
            counts = ["entries": distinct, "vocab_size": vocabulary.count, "vocab_specials": vocabulary.specialCount,
                      "tokens": counter.tokens, "skipped_tokens": skipped, "spilled_runs": counter.runs.count]
            let metadata: [String: JSONValue] = ["window": .integer(config.window), "symmetric": .bool(config.symmetric),
                                                 "weighting": .string(weighting.rawValue), "unit": .integer(Int(config.unit))]
            return (counts, metadata)
        }
        return StageReport(counts: counts, summary: "\(counts["entries"]!) nonzero pairs over \(vocabulary.count) words from \(counter.tokens) tokens (window \(config.window), \(weighting.rawValue)\(config.symmetric ? ", symmetric" : ""); \(counter.runs.count) runs spilled)")
    }
}
