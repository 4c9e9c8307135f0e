import WordmillData
import WordmillModels
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

    static func run(_ context: StageContext) throws -> StageReport {
        let p = context.parameters
        let reader = context.input("dataset")
        let dataset = try SequenceDataset(reader: reader)
        guard dataset.labels.isLabelled else { throw StageInputError("stage '\(reader.header.stage)' has no labels: make it with \"task\": \"classify\"") }
        let config = FastTextClassifierConfig(
            dim: p.int("dim"), epochs: p.int("epochs"), lr: Float(p.double("lr")), wordNgrams: p.int("word_ngrams"), bucket: p.int("bucket"),
            threads: p.int("threads"), seed: UInt64(p.int("seed")), shuffle: p.bool("shuffle"), loss: p.choice("loss"))
        let words = FastTextFeaturizer.vocabulary(adding: dataset.vocabulary)
        let featurizer = FastTextFeaturizer(words: words, bucket: config.bucket, wordNgrams: config.wordNgrams)
        var documents = FastTextDocuments(), rows: [Int32] = [], hashes: [UInt32] = []
        let endOfLine = words.firstIndex(of: FastTextFeaturizer.endOfLine)!
        var wordCounts = [Int](repeating: 0, count: words.count), classCounts = [Int](repeating: 0, count: dataset.labels.classes.count)
        for i in 0..<dataset.documents where dataset.labels.isTraining(i) {
            let ids = dataset.document(i)
            featurizer.rows(ids: ids, unknown: SequenceDataset.unknownId, into: &rows, scratch: &hashes)
            let classes = dataset.labels.labelSet(i)
            documents.append(rows: rows, labels: classes.map { Int32($0) }, tokens: ids.count + 1)
            for id in ids { wordCounts[Int(id)] += 1 }
            wordCounts[endOfLine] += 1
            for c in classes { classCounts[Int(c)] += 1 }
        }
        if documents.count == 0 { throw StageInputError("stage '\(reader.header.stage)' has no training documents: every document is in the test part") }
        if config.loss == .hierarchical, classCounts.count < 2 {
            throw StageInputError("\(context.stage.jsonPath).loss \"hierarchical\" needs two classes or more; stage '\(reader.header.stage)' has \(classCounts.count)")
        }
        let trainer = FastTextClassifierTrainer(config: config, words: words.count, classes: dataset.labels.classes.count, classCounts: classCounts)
        var losses: [Double] = [], seconds = 0.0
        _ = try trainer.train(documents) { r in
            context.log("epoch \(r.epoch)/\(config.epochs): loss \(String(format: "%.5f", r.loss)), \(Int(r.tokensPerSecond)) tokens/s")
            losses.append(r.loss)
            seconds += Double(documents.tokens) / r.tokensPerSecond
        }
        let model = trainer.model(words: words, classes: dataset.labels.classes, wordCounts: wordCounts, classCounts: classCounts)
        let tokensPerSecond = Int(Double(documents.tokens * config.epochs) / max(seconds, 1e-9))
        let counts = ["classes": model.classes.count, "words": words.count, "training_documents": documents.count, "tokens": documents.tokens,
                      "tokens_per_second": tokensPerSecond]
        try context.writeArtifact(kind: FastTextClassifierArtifact.kind) { writer in
            try FastTextClassifierArtifact.write(model, to: writer)
            try writer.writeSection("loss_per_epoch", type: .f64, values: losses)
            return (counts, FastTextClassifierArtifact.metadata(model, tokenizer: reader.header.metadata["tokenizer"] ?? .null))
        }
        let summary = "\(model.classes.count) classes, \(words.count) words + \(config.bucket) n-gram buckets × \(config.dim), \(documents.count) documents × \(config.epochs) epochs, loss \(String(format: "%.4f", losses.first ?? 0)) → \(String(format: "%.4f", losses.last ?? 0)), \(tokensPerSecond) tokens/s with \(config.threads) thread\(config.threads == 1 ? "" : "s")"
        return StageReport(counts: counts, summary: summary)
    }
}
