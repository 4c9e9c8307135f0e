import WordmillArtifacts
import WordmillData
import WordmillPipeline
import WordmillSupport
import WordmillText

/// `bag-of-words`: tokens + vocab → a sparse document-term matrix (CSR rows in frames) with
/// features chosen on the training documents, as scikit-learn's `CountVectorizer` /
/// `TfidfVectorizer` fit them.
enum BagOfWordsOperation {
    static let definition = OperationDefinition(
        name: "bag-of-words",
        summary: "a sparse document-term matrix (counts or tf-idf) over the vocabulary and word n-grams",
        parameters: [
            ParameterSpec("ngram_range", .integerPair(min: 1, max: 10), default: [1, 1], doc: "word n-gram lengths [low, high]; [1, 2] adds bigrams"),
            ParameterSpec("min_df", .countOrFraction, default: 1, doc: "keep features in at least this many training documents (an integer) or this share of them (0.0–1.0)"),
            ParameterSpec("max_df", .countOrFraction, default: .null, doc: "keep features in at most this many training documents (an integer) or this share (0.0–1.0)"),
            ParameterSpec("max_features", .integer(min: 1), default: .null, doc: "keep only the most frequent features"),
            ParameterSpec("binary", .boolean, default: false, doc: "every nonzero count becomes 1"),
            ParameterSpec("weighting", .string(choices: BagOfWordsConfig.Weighting.allCases.map(\.rawValue)), default: "counts",
                          doc: "counts, or tfidf (smooth idf, l2-normalised rows, as scikit-learn's TfidfVectorizer)"),
            ParameterSpec("ngram_min_count", .integer(min: 1), default: 1, doc: "n-grams (n ≥ 2) need this many occurrences"),
            ParameterSpec("ngram_min_df", .integer(min: 1), default: 1, doc: "n-grams (n ≥ 2) need this many training documents"),
            ParameterSpec("threads", .integer(min: 0, max: 256), default: 0, doc: "featurizing threads, 0 = one per core; the artifact is the same for any number"),
        ],
        inputs: [InputSlot("tokens", kinds: [TokenStream.artifactKind]), InputSlot("vocab", kinds: [Vocabulary.artifactKind])],
        outputKind: BagOfWordsMatrix.artifactKind,
        algorithmVersion: 1,
        run: run,
        sharding: Sharding(
            unit: "the rows of documents [D·I/N, D·(I+1)/N) of the D in the tokens (each shard chooses the features as a whole run does)",
            shardKind: "bag-of-words-rows", runShard: runShard, merge: merge))

    static func limit(_ value: JSONValue?) -> DocumentFrequencyLimit? {
        switch value {
        case .int(let i)?: return .count(Int(i))
        case .double(let d)?: return .fraction(d)
        default: return nil
        }
    }

    static func config(_ p: [String: JSONValue]) -> BagOfWordsConfig {
        let range = p["ngram_range"]!.arrayValue!.map { $0.intValue! }
        return BagOfWordsConfig(
            ngramRange: range[0]...range[1], minDF: limit(p["min_df"]) ?? .count(1), maxDF: limit(p["max_df"]),
            maxFeatures: p.optionalInt("max_features"), binary: p.bool("binary"),
            weighting: p.choice("weighting", as: BagOfWordsConfig.Weighting.self),
            ngramMinCount: p.int("ngram_min_count"), ngramMinDF: p.int("ngram_min_df"))
    }

    /// The features chosen on the training documents, as scikit-learn fits them.
    struct Fitted {
        let config: BagOfWordsConfig
        let tokens: ArtifactReader
        let labels: DocumentLabels
        let chooser: BagOfWordsVocabulary
        let featurizer: BagOfWordsFeaturizer
    }

    static func fit(_ context: StageContext) throws -> Fitted {
        let config = config(context.parameters)
        let tokens = context.input("tokens")
        let vocabReader = context.input("vocab")
        let vocabulary = try Vocabulary(reader: vocabReader)
        let labels = try TokenStream.labels(tokens)
        var chooser = BagOfWordsVocabulary(vocabulary: vocabulary, config: config)
        if config.ngramRange == 1...1, !vocabulary.documentCounts.isEmpty,
           vocabReader.header.metadata["tokens_fingerprint"]?.stringValue == tokens.header.fingerprint,
           let documents = vocabReader.header.counts["documents"] {
            // The vocabulary was counted on these very tokens: its statistics are what a pass would find.
            chooser.useVocabularyStatistics(trainingDocuments: documents)
        } else {
            var document = 0
            try TokenStream.forEachDocument(tokens) { words in
                if labels.isTraining(document) { chooser.add(words) }
                document += 1
            }
        }
        do { try chooser.finish() } catch { throw StageInputError("\(context.stage.jsonPath): \(error)") }
        return Fitted(config: config, tokens: tokens, labels: labels, chooser: chooser, featurizer: chooser.featurizer())
    }

    static func run(_ context: StageContext) throws -> StageReport {
        let fitted = try fit(context)
        let tokens = fitted.tokens, featurizer = fitted.featurizer
        return try write(context, fitted) { written in
            // The ordered hand-back's closure outlives this call's inout: it appends to a copy
            // that is handed back once every frame is in.
            var rows = written
            defer { written = rows }
            // Frames of the token stream are featurized by `threads` workers and their rows
            // written in order: the same bytes for any number of threads.
            let storesCounts = fitted.config.weighting == .counts
            let parallel = OrderedParallel<Int, EncodedRows>(threads: WorkerThreads.resolve(context.parameters.int("threads")), transform: { frame in
                var out = EncodedRows()
                var row = SparseRow()
                var scratch = BagOfWordsFeaturizer.Scratch()
                _ = try tokens.readFrame(TokenStream.section, index: frame).withUnsafeBytes { bytes in
                    try TokenStream.forEachDocument(inFrame: bytes, path: tokens.path) { words in
                        featurizer.featurize(words, into: &row, scratch: &scratch)
                        BagOfWordsMatrix.encode(row, counts: storesCounts, into: &out.records)
                        out.ends.append(out.records.count)
                        out.nonzeros.append(row.count)
                    }
                }
                return out
            }, consume: { out in
                try out.records.withUnsafeBytes { all in
                    var start = 0
                    for (end, nonzeros) in zip(out.ends, out.nonzeros) {
                        try rows.appendEncoded(UnsafeRawBufferPointer(rebasing: all[start..<end]), nonzeros: nonzeros)
                        start = end
                    }
                }
            })
            for frame in 0..<(try tokens.section(TokenStream.section).frames.count) { try parallel.submit(frame) }
            try parallel.finish()
        }
    }

    /// The rows of one shard's documents, in a `bag-of-words-rows` artifact (the `rows`
    /// section and the `weighting` its values need).
    static func runShard(_ context: StageContext, _ shard: ShardIndex) throws -> StageReport {
        let fitted = try fit(context)
        let storesCounts = fitted.config.weighting == .counts
        let range = shard.range(of: try fitted.tokens.section(TokenStream.section).count)
        var rows = 0, nonzeros = 0
        try context.writeArtifact(kind: "bag-of-words-rows") { writer in
            var out = BagOfWordsMatrix.RowWriter(writer: writer)
            var row = SparseRow(), scratch = BagOfWordsFeaturizer.Scratch(), record: [UInt8] = []
            try TokenStream.forEachDocument(fitted.tokens, in: range) { words in
                fitted.featurizer.featurize(words, into: &row, scratch: &scratch)
                record.removeAll(keepingCapacity: true)
                BagOfWordsMatrix.encode(row, counts: storesCounts, into: &record)
                try record.withUnsafeBytes { try out.appendEncoded($0, nonzeros: row.count) }
            }
            try out.finish()
            (rows, nonzeros) = (out.rows, out.nonzeros)
            return (["documents": rows, "nonzeros": nonzeros], ["weighting": .string(fitted.config.weighting.rawValue)])
        }
        return StageReport(counts: ["documents": rows, "nonzeros": nonzeros], summary: "\(rows) documents × \(fitted.featurizer.features.count) features")
    }

    /// The features chosen again, then the shards' rows in shard order: the unsharded bytes.
    static func merge(_ context: StageContext, _ shards: [ArtifactReader]) throws -> StageReport {
        let fitted = try fit(context)
        let storesCounts = fitted.config.weighting == .counts
        return try write(context, fitted) { rows in
            // The rows as the shards stored them (with this weighting): the bytes a whole run encodes.
            for shard in shards {
                guard (shard.header.metadata["weighting"]?.stringValue != "tfidf") == storesCounts else {
                    throw ArtifactError.damaged(path: shard.path, reason: "its rows hold other values than weighting '\(fitted.config.weighting.rawValue)'")
                }
                try BagOfWordsMatrix.forEachRecord(shard, features: fitted.featurizer.features.count) { record, nonzeros in
                    try rows.appendEncoded(record, nonzeros: nonzeros)
                }
            }
        }
    }

    /// Writes the artifact: the features, the rows `fillRows` appends, the labels.
    static func write(_ context: StageContext, _ fitted: Fitted, fillRows: (inout BagOfWordsMatrix.RowWriter) throws -> Void) throws -> StageReport {
        let config = fitted.config, featurizer = fitted.featurizer, tokens = fitted.tokens, labels = fitted.labels
        var counts: [String: Int] = [:]
        try context.writeArtifact(kind: BagOfWordsMatrix.artifactKind) { writer in
            try BagOfWordsMatrix.writeFeatures(fitted.chooser, featurizer: featurizer, to: writer)
            var rows = BagOfWordsMatrix.RowWriter(writer: writer)
            try fillRows(&rows)
            try TokenStream.checkCount(rows.rows, tokens)
            try rows.finish()
            try labels.write(to: writer)
            counts = ["documents": rows.rows, "features": featurizer.features.count, "nonzeros": rows.nonzeros,
                      "train_documents": fitted.chooser.trainingDocuments, "test_documents": labels.testCount, "classes": labels.classes.count]
            let metadata: [String: JSONValue] = [
                "tokenizer": tokens.header.parameters["tokenizer"] ?? .null,
                "weighting": .string(config.weighting.rawValue), "binary": .bool(config.binary),
                "ngram_range": [.integer(config.ngramRange.lowerBound), .integer(config.ngramRange.upperBound)],
            ]
            return (counts, metadata)
        }
        let density = Double(counts["nonzeros"]!) / Double(max(1, counts["documents"]!))
        return StageReport(counts: counts, summary: "\(counts["documents"]!) documents × \(featurizer.features.count) features (\(String(format: "%.1f", density)) nonzeros per document, \(config.weighting.rawValue)), fitted on \(fitted.chooser.trainingDocuments) training documents")
    }
}

/// One frame's rows, encoded, for the ordered hand-back.
struct EncodedRows: @unchecked Sendable {
    var records: [UInt8] = []
    var ends: [Int] = []
    var nonzeros: [Int] = []
}
