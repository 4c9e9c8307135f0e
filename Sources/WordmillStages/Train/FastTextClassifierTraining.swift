import WordmillData
import WordmillModels
import WordmillNumerics
import WordmillPipeline
import WordmillSupport

/// `train` with `model: "fasttext-classifier"`: a `sequences` dataset of labelled documents
/// (task classify) → fastText's linear classifier over words and hashed word n-grams.
enum FastTextClassifierTraining {
    static let variant = VariantDeclaration(
        name: "fasttext-classifier", summary: "fastText's linear text classifier: the mean of word and word n-gram vectors, a softmax layer",
        parameters: parameters, inputs: [InputSlot("dataset", kinds: [SequenceDataset.artifactKind])],
        outputKind: FastTextClassifierArtifact.kind, algorithmVersion: 2,  // 2: word and class counts
        check: check, run: run)


    static let parameters: [ParameterSpec] = [
        ParameterSpec("dim", .integer(min: 1, max: 100_000), default: 100, doc: "size of the word and n-gram vectors"),
        ParameterSpec("epochs", .integer(min: 1, max: 100_000), default: 5, doc: "passes over the training documents"),
        ParameterSpec("lr", .number(positive: true), default: 0.1, doc: "initial learning rate, decaying linearly to 0"),
        ParameterSpec("word_ngrams", .integer(min: 1, max: 20), default: 1, doc: "longest word n-gram (fastText's wordNgrams; 1: words only)"),
        ParameterSpec("bucket", .integer(min: 0, max: 100_000_000),
                      default: .derived(doc: "2000000 with word_ngrams > 1, else 0") { s in s.parameters.int("word_ngrams") > 1 ? 2_000_000 : 0 },
                      doc: "rows the word n-grams are hashed into"),
        ParameterSpec("loss", .string(choices: FastTextLoss.allCases.map(\.rawValue)), default: "softmax",
                      doc: "softmax over the classes, hierarchical softmax over a Huffman tree of the class counts, or one-vs-all (a logistic regression per class)"),
        ParameterSpec("threads", .integer(min: 1, max: 256), default: 1, doc: "training threads (Hogwild); 1 is bit-reproducible"),
        ParameterSpec("shuffle", .boolean, default: true,
                      doc: "visit the training documents in a new seeded order every epoch (fastText keeps the file's order, which trains badly on a corpus sorted by class)"),
        ParameterSpec("seed", .integer(min: 0), default: 1, doc: "initialisation of the input vectors and the document order"),
        ParameterSpec("memory_mb", .integer(min: 1, max: 1 << 20), default: 256,
                      doc: "MiB of featurized training documents held at once: a dataset that fits is held whole; a larger one is read each epoch in blocks of about this size (with shuffle, documents drawn into blocks at random, each block shuffled)"),
    ]

    /// Rules between the parameters and the sequences stage read.
    static func check(_ c: StageCheck) -> [SpecIssue] {
        var issues: [SpecIssue] = []
        if let data = c.upstream["dataset"], !data.parameters.isChoice("task", RecurrentTask.classify) {
            issues.append(c.issue(nil, "trains on labelled documents; stage '\(data.name)' must have \"task\": \"classify\""))
        }
        if c.parameters.int("word_ngrams") > 1, c.parameters.int("bucket") == 0 {
            issues.append(c.issue("bucket", "is 0, so the word n-grams of \"word_ngrams\": \(c.parameters.int("word_ngrams")) would have no rows"))
        }
        return issues
    }

    /// Bytes a featurized training document takes beyond its rows (offsets, a label, its place
    /// in the order).
    static let bytesPerDocument = 40

    static func run(_ context: StageContext) throws -> StageReport {
        let p = context.parameters
        let reader = context.input("dataset")
        let source = try SequenceSource(reader: reader)
        guard !source.classes.isEmpty else { throw StageInputError("stage '\(reader.header.stage)' has no labels: make it with \"task\": \"classify\"") }
        let config = FastTextClassifierConfig(
            dim: p.int("dim"), epochs: p.int("epochs"), lr: Float(p.double("lr")), wordNgrams: p.int("word_ngrams"), bucket: p.int("bucket"),
            threads: p.int("threads"), seed: UInt64(p.int("seed")), shuffle: p.bool("shuffle"), loss: p.choice("loss"))
        let budget = p.int("memory_mb") << 20
        let words = FastTextFeaturizer.vocabulary(adding: source.vocabulary)
        let featurizer = FastTextFeaturizer(words: words, bucket: config.bucket, wordNgrams: config.wordNgrams)
        let endOfLine = words.firstIndex(of: FastTextFeaturizer.endOfLine)!
        // A document's rows: its words and end of line, and as many n-grams of each length.
        let bytes: @Sendable (Int, Bool) -> Int = { tokens, training in training ? 4 * config.wordNgrams * (tokens + 1) + bytesPerDocument : 0 }
        let allDocuments = 0..<source.documents
        // One pass counts words and classes, and holds the documents when they fit.
        var trainingDocuments = 0, trainingTokens = 0, heldBytes = 0
        try source.scan { _, range, training in
            guard training else { return }
            trainingDocuments += 1
            trainingTokens += range.count + 1
            heldBytes += bytes(range.count, true)
        }
        let fits = heldBytes <= budget
        var held = FastTextDocuments(), rows: [Int32] = [], hashes: [UInt32] = []
        var wordCounts = [Int](repeating: 0, count: words.count), classCounts = [Int](repeating: 0, count: source.classes.count)
        for range in try source.blocks(of: allDocuments, budget: budget, bytes: { tokens, training in training ? 4 * (tokens + 1) + bytesPerDocument : 0 }) {
            let block = try source.read(documents: range) { _, training in training }
            for i in 0..<block.count {
                let ids = block.ids[block.tokenRange(i)]
                for id in ids { wordCounts[Int(id)] += 1 }
                wordCounts[endOfLine] += 1
                let classes = block.labelSet(i)
                for c in classes { classCounts[Int(c)] += 1 }
                if fits {
                    featurizer.rows(ids: ids, unknown: SequenceDataset.unknownId, into: &rows, scratch: &hashes)
                    held.append(rows: rows, labels: classes, tokens: ids.count + 1)
                }
            }
        }
        // Too large to hold: every epoch reads ⌈size / memory_mb⌉ blocks, each one pass over the
        // artifact. With `shuffle` each training document falls in a block by a seeded draw (a
        // uniform shuffle of the whole part, block by block); without, the blocks are runs of the
        // file's order, as fastText reads it.
        let seed = config.seed, shuffle = config.shuffle
        let runs = fits || shuffle ? [] : try source.blocks(of: allDocuments, budget: budget, bytes: bytes)
        let blockCount = fits ? 1 : shuffle ? (heldBytes + budget - 1) / budget : runs.count
        let training: FastTextTrainingSource = fits ? .inMemory(held) : .blocks(documents: trainingDocuments, tokens: trainingTokens, count: blockCount) { epoch, k, documents in
            var draw = RandomGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(epoch) &* 0xD1B5_4A32_D192_ED03)
            let block = try source.read(documents: shuffle ? allDocuments : runs[k]) { _, training in
                training && (!shuffle || draw.nextInt(below: blockCount) == k)
            }
            var rows: [Int32] = [], hashes: [UInt32] = []
            documents.removeAll()
            for i in 0..<block.count {
                let ids = block.ids[block.tokenRange(i)]
                featurizer.rows(ids: ids, unknown: SequenceDataset.unknownId, into: &rows, scratch: &hashes)
                documents.append(rows: rows, labels: block.labelSet(i), tokens: ids.count + 1)
            }
        }
        if fits { context.log("\(trainingDocuments) training documents held in memory (\(formatBytes(heldBytes)) of memory_mb \(p.int("memory_mb")))") } else {
            context.log("\(trainingDocuments) training documents (\(formatBytes(heldBytes)) featurized) read in \(blockCount) blocks an epoch")
        }
        if trainingDocuments == 0 { throw StageInputError("stage '\(reader.header.stage)' has no training documents: every document is in the test part") }
        if config.loss == .hierarchical, classCounts.count < 2 {
            throw StageInputError("\(context.stage.jsonPath).loss \"hierarchical\" needs two classes or more; stage '\(reader.header.stage)' has \(classCounts.count)")
        }
        let trainer = FastTextClassifierTrainer(config: config, words: words.count, classes: source.classes.count, classCounts: classCounts)
        var losses: [Double] = [], seconds = 0.0
        _ = try trainer.train(source: training) { r in
            context.log("epoch \(r.epoch)/\(config.epochs): loss \(String(format: "%.5f", r.loss)), \(Int(r.tokensPerSecond)) tokens/s")
            losses.append(r.loss)
            seconds += Double(trainingTokens) / r.tokensPerSecond
        }
        let model = trainer.model(words: words, classes: source.classes, wordCounts: wordCounts, classCounts: classCounts)
        let tokensPerSecond = Int(Double(trainingTokens * config.epochs) / max(seconds, 1e-9))
        let counts = ["classes": model.classes.count, "words": words.count, "training_documents": trainingDocuments, "tokens": trainingTokens, "blocks_per_epoch": blockCount,
                      "tokens_per_second": tokensPerSecond]
        try context.writeArtifact(kind: FastTextClassifierArtifact.kind) { writer in
            try FastTextClassifierArtifact.write(model, to: writer)
            try writer.writeSection("loss_per_epoch", type: .f64, values: losses)
            return (counts, FastTextClassifierArtifact.metadata(model, tokenizer: reader.header.metadata["tokenizer"] ?? .null))
        }
        let summary = "\(model.classes.count) classes, \(words.count) words + \(config.bucket) n-gram buckets × \(config.dim), \(trainingDocuments) documents × \(config.epochs) epochs, loss \(String(format: "%.4f", losses.first ?? 0)) → \(String(format: "%.4f", losses.last ?? 0)), \(tokensPerSecond) tokens/s with \(config.threads) thread\(config.threads == 1 ? "" : "s")"
        return StageReport(counts: counts, summary: summary)
    }
}
