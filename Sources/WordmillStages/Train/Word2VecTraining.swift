import Foundation
import WordmillArtifacts
import WordmillData
import WordmillModels
import WordmillPipeline
import WordmillSupport
import WordmillText

/// `train` with `model: "word2vec"`: the lecture's full-softmax model for small data, or
/// negative sampling / hierarchical softmax at corpus scale (word2vec.c, gensim).
enum Word2VecTraining {
    static let variant = VariantDeclaration(
        name: "word2vec", summary: "word2vec CBOW or skip-gram: the lecture's full softmax, negative sampling or hierarchical softmax",
        parameters: parameters, inputs: [InputSlot("dataset", kinds: [WindowDataset.artifactKind])], outputKind: Word2VecArtifact.kind,
        algorithmVersion: 2,  // 2: gensim 4.4 init range and saturation rule
        check: check, run: run)

    /// The objectives: the lecture's full softmax, or word2vec.c's two approximations.
    enum Objective: String, CaseIterable { case softmax, negative, hierarchical }

    static let sampled = ParameterCondition("objective", [Objective.negative, .hierarchical])

    static let parameters: [ParameterSpec] = [
        ParameterSpec("architecture", .string(choices: WindowConfig.Kind.allCases.map(\.rawValue)),
                      default: .derived(doc: "the kind of the windows stage read") { $0.upstream["dataset"]?.parameters["kind"] },
                      doc: "cbow or skipgram; must match the windows stage"),
        ParameterSpec("objective", .string(choices: Objective.allCases.map(\.rawValue)), default: "negative",
                      doc: "negative sampling, hierarchical softmax, or the lecture's full softmax"),
        ParameterSpec("negative", .integer(min: 1, max: 100), default: 5, onlyWith: ParameterCondition("objective", [Objective.negative]),
                      doc: "noise words per prediction"),
        ParameterSpec("shared_negatives", .boolean, default: .derived(doc: "true for skip-gram, false for CBOW") { s in
            .bool(s.parameters.isChoice("architecture", WindowConfig.Kind.skipgram))
        }, onlyWith: ParameterCondition("objective", [Objective.negative]),
                      doc: "skip-gram: one set of noise words per centre word, shared by its window, trained as small matrix products (pWord2Vec); false: pair after pair as word2vec.c"),
        ParameterSpec("dim", .integer(min: 1, max: 100_000), default: 100, doc: "embedding dimension"),
        ParameterSpec("lr", .number(positive: true), default: .derived(doc: "0.05 for CBOW with negative or hierarchical, else 0.025") { s in
            !s.parameters.isChoice("objective", Objective.softmax) && s.parameters.isChoice("architecture", WindowConfig.Kind.cbow) ? 0.05 : 0.025
        }, doc: "initial learning rate"),
        ParameterSpec("min_lr", .number(min: 0), default: 0.0001, onlyWith: sampled, doc: "final learning rate of the linear decay"),
        ParameterSpec("epochs", .integer(min: 1), default: 5, doc: "passes over the data"),
        ParameterSpec("sample", .number(min: 0, max: 1), default: 0.001, onlyWith: sampled, doc: "subsampling threshold of frequent words (0 = off)"),
        ParameterSpec("cbow_mean", .boolean, default: true, onlyWith: sampled, doc: "CBOW averages (true) or sums the context vectors"),
        ParameterSpec("threads", .integer(min: 1, max: 256), default: 1, doc: "training threads (Hogwild; softmax trains on one); 1 is bit-reproducible"),
        ParameterSpec("seed", .integer(min: 0), default: 1, doc: "random seed"),
        ParameterSpec("batch_size", .integer(min: 1), default: 32, onlyWith: ParameterCondition("objective", [Objective.softmax]), doc: "examples per SGD step"),
        ParameterSpec("shuffle", .boolean, default: false, onlyWith: ParameterCondition("objective", [Objective.softmax]), doc: "reshuffle examples every epoch"),
    ]

    /// Rules between the parameters and the windows stage read.
    static func check(_ c: StageCheck) -> [SpecIssue] {
        var issues: [SpecIssue] = []
        let p = c.parameters, objective: Objective = p.choice("objective")
        if let windows = c.upstream["dataset"] {
            if p["architecture"] != windows.parameters["kind"] {
                issues.append(c.issue("architecture", "is \(p["architecture"]?.canonicalText ?? "unset") but stage '\(windows.name)' makes \(windows.parameters["kind"]?.canonicalText ?? "other") windows"))
            }
            if objective != .softmax, !windows.parameters.isChoice("edges", WindowConfig.Edges.truncate) {
                issues.append(c.issue("objective", "\"\(objective.rawValue)\" draws a reduced window per centre as word2vec.c does, which needs \"edges\": \"truncate\" in stage '\(windows.name)'"))
            }
        }
        if p["shared_negatives"] == .bool(true), !p.isChoice("architecture", WindowConfig.Kind.skipgram) {
            issues.append(c.issue("shared_negatives", "is a skip-gram scheme; CBOW already trains a window against one set of noise words"))
        }
        if objective == .softmax, p.int("threads") != 1 { issues.append(c.issue("threads", "the softmax objective trains on one thread")) }
        return issues
    }

    /// The windows artifact a stage reads, its vocabulary and window settings, checked against
    /// the stage's `architecture`: the artifact read is the one the loader checked against, so
    /// a mismatch means another spec made it (a run with --only).
    static func windowsInput(_ context: StageContext) throws -> (ArtifactReader, Vocabulary, WindowConfig) {
        let p = context.parameters
        let reader = context.input("dataset")
        let windows = try WindowDataset.config(of: reader)
        if p.string("architecture") != windows.kind.rawValue {
            throw StageInputError("\(context.stage.jsonPath).architecture is \"\(p.string("architecture"))\" but stage '\(reader.header.stage)' made \(windows.kind.rawValue) windows")
        }
        return (reader, try Vocabulary(reader: reader), windows)
    }

    static func run(_ context: StageContext) throws -> StageReport {
        let p = context.parameters
        let (reader, vocabulary, windows) = try windowsInput(context)
        let objective: Objective = p.choice("objective")
        if objective == .softmax { return try runSoftmax(context, reader: reader, vocabulary: vocabulary, windows: windows) }
        let config = Word2VecConfig(
            architecture: windows.kind == .cbow ? .cbow : .skipgram,
            objective: objective == .negative ? .negative(p.int("negative")) : .hierarchical,
            dim: p.int("dim"), window: windows.window, lr: Float(p.double("lr")), minLr: Float(p.double("min_lr")), epochs: p.int("epochs"),
            sample: p.double("sample"), cbowMean: p.bool("cbow_mean"), threads: p.int("threads"), seed: UInt64(p.int("seed")),
            sharedNegatives: p["shared_negatives"] == .bool(true))  // declared only with negative sampling
        let trained = try trainAtScale(context, reader: reader, vocabulary: vocabulary, config: config)
        let corpus = trained.corpus
        try writeModel(context, vocabulary: vocabulary, dim: config.dim, architecture: config.architecture.rawValue, objective: objective.rawValue,
                       losses: trained.losses, counts: ["corpus_words": corpus.totalWords, "epochs": config.epochs]) { writer in
            try Word2VecArtifact.write(trained.trainer, vocabulary: vocabulary, losses: trained.losses, to: writer)
        }
        trained.checkpoint.remove()
        return StageReport(counts: ["corpus_words": corpus.totalWords, "epochs": config.epochs, "words_per_second": Int(trained.wordsPerSecond)],
                           summary: summary(config, objective, trained, words: vocabulary.count))
    }

    /// What `trainAtScale` hands back: the trained model, its losses, the corpus read, the
    /// mean words per second, and the checkpoint to remove once the model is written.
    struct ScaleTraining {
        let trainer: Word2VecTrainer
        let losses: [Double]
        let corpus: Word2VecCorpus
        let wordsPerSecond: Double
        let checkpoint: TrainingCheckpoint
    }

    /// Trains word2vec (or fastText's subword model, `config.subwords`) on a windows artifact's
    /// id stream, resuming from the checkpoint a cut-off run left: after every epoch but the
    /// last it keeps the input rows training can change, the output rows, the words the
    /// learning-rate schedule has counted and the losses so far.
    /// `prepare` sets the trainer's starting point (a model training continues from) before a
    /// checkpoint, if any, restores the rows it kept.
    static func trainAtScale(_ context: StageContext, reader: ArtifactReader, vocabulary: Vocabulary, config: Word2VecConfig,
                             prepare: (Word2VecTrainer) throws -> Void = { _ in }) throws -> ScaleTraining {
        let corpus = Word2VecCorpus(partCount: try IdStream.frameCount(reader), totalWords: reader.header.counts["tokens"] ?? 0) { part, body in
            try IdStream.forEachDocument(reader, frame: part, vocabularySize: vocabulary.count, body)
        }
        let trainer = Word2VecTrainer(config: config, counts: vocabulary.counts, words: config.subwords == nil ? [] : vocabulary.tokens)
        let used = trainer.subwords?.usedBuckets ?? []
        try prepare(trainer)
        let checkpoint = TrainingCheckpoint(context: context, kind: "word2vec-checkpoint")
        var losses: [Double] = [], processed = 0
        let startEpoch = checkpoint.resume { reader, epoch in
            let input = try reader.readArray("input_vectors", as: Float.self), output = try reader.readArray("output_vectors", as: Float.self)
            let saved = try reader.readArray("loss_per_epoch", as: Double.self)
            guard output.count == trainer.contextVectors.count, saved.count == epoch, let words = reader.header.metadata["processed_words"]?.intValue,
                  trainer.restoreTrainedInputRows(input, usedBuckets: used)
            else { throw ArtifactError.damaged(path: reader.path, reason: "the checkpoint does not match this model's sizes") }
            trainer.setContextVectors(output)
            (losses, processed) = (saved, words)
        } ?? 0
        let reports = try trainer.train(corpus: corpus, startEpoch: startEpoch, processedWords: processed) { r, words in
            context.log("epoch \(r.epoch)/\(config.epochs): loss \(String(format: "%.5f", r.loss)), \(Int(r.wordsPerSecond)) words/s, \(r.trainedWords) words after subsampling")
            losses.append(r.loss)
            guard r.epoch < config.epochs else { return }
            try checkpoint.write(epoch: r.epoch) { writer in
                try writer.writeSection("input_vectors", type: .f32, values: trainer.trainedInputRows(usedBuckets: used))
                try writer.writeSection("output_vectors", type: .f32, values: trainer.contextVectors)
                try writer.writeSection("loss_per_epoch", type: .f64, values: losses)
                return ["processed_words": .integer(words)]
            }
        }
        let wordsPerSecond = Double(corpus.totalWords * reports.count) / max(1e-9, reports.reduce(0) { $0 + Double(corpus.totalWords) / $1.wordsPerSecond })
        return ScaleTraining(trainer: trainer, losses: losses, corpus: corpus, wordsPerSecond: wordsPerSecond, checkpoint: checkpoint)
    }

    static func runSoftmax(_ context: StageContext, reader: ArtifactReader, vocabulary: Vocabulary, windows: WindowConfig) throws -> StageReport {
        let p = context.parameters
        let dataset = try WindowDataset(reader: reader, vocabularySize: vocabulary.count)
        let examples = makeExamples(dataset)
        let config = SoftmaxWord2VecConfig(
            vocabularySize: vocabulary.count, dim: p.int("dim"), lr: Float(p.double("lr")), batchSize: p.int("batch_size"),
            epochs: p.int("epochs"), shuffle: p.bool("shuffle"), seed: UInt64(p.int("seed")))
        let model = SoftmaxWord2Vec(config: config)
        // After every epoch but the last: the parameters, the shuffling generator and the losses.
        let checkpoint = TrainingCheckpoint(context: context, kind: "word2vec-checkpoint")
        var losses: [Double] = []
        let startEpoch = checkpoint.resume { reader, epoch in
            let input = try reader.readArray("input_vectors", as: Float.self), weights = try reader.readArray("output_weights", as: Float.self)
            let bias = try reader.readArray("output_bias", as: Float.self), state = try reader.readArray("generator", as: UInt64.self)
            let saved = try reader.readArray("loss_per_epoch", as: Double.self)
            guard saved.count == epoch, model.restore(inputVectors: input, outputWeights: weights, outputBias: bias, generator: state) else {
                throw ArtifactError.damaged(path: reader.path, reason: "the checkpoint does not match this model's sizes")
            }
            losses = saved
        } ?? 0
        let started = Date()
        _ = try model.train(examples: examples, startEpoch: startEpoch) { epoch, loss in
            context.log("epoch \(epoch)/\(config.epochs): mean loss \(String(format: "%.6f", loss))")
            losses.append(loss)
            guard epoch < config.epochs else { return }
            try checkpoint.write(epoch: epoch) { writer in
                let state = model.checkpointState
                try writer.writeSection("input_vectors", type: .f32, values: state.inputVectors)
                try writer.writeSection("output_weights", type: .f32, values: state.outputWeights)
                try writer.writeSection("output_bias", type: .f32, values: state.outputBias)
                try writer.writeSection("generator", type: .u64, values: state.generator)
                try writer.writeSection("loss_per_epoch", type: .f64, values: losses)
                return [:]
            }
        }
        let seconds = Date().timeIntervalSince(started)
        try writeModel(context, vocabulary: vocabulary, dim: config.dim, architecture: dataset.config.kind.rawValue, objective: Objective.softmax.rawValue,
                       losses: losses, counts: ["examples": examples.count, "epochs": config.epochs]) { writer in
            try Word2VecArtifact.write(model, vocabulary: vocabulary, losses: losses, to: writer)
        }
        checkpoint.remove()
        let rate = Double(examples.count * (config.epochs - startEpoch)) / max(seconds, 1e-9)
        let summary = "\(dataset.config.kind.rawValue) softmax, \(vocabulary.count) words × \(config.dim), \(examples.count) examples, loss \(String(format: "%.4f", losses.first ?? 0)) → \(String(format: "%.4f", losses.last ?? 0)), \(Int(rate)) examples/s"
        return StageReport(counts: ["examples": examples.count, "epochs": config.epochs], summary: summary)
    }

    /// Writes a `word2vec` artifact (or `kind`, with `metadata` added) with the header every
    /// word-vector model of windows shares.
    static func writeModel(
        _ context: StageContext, kind: String = Word2VecArtifact.kind, vocabulary: Vocabulary, dim: Int, architecture: String, objective: String,
        losses: [Double], counts: [String: Int], metadata extra: [String: JSONValue] = [:], sections: (ArtifactWriter) throws -> Void
    ) throws {
        try context.writeArtifact(kind: kind) { writer in
            try sections(writer)
            let shared = ["vocab_size": vocabulary.count, "vocab_specials": vocabulary.specialCount, "dim": dim]
            let metadata: [String: JSONValue] = [
                "architecture": .string(architecture), "objective": .string(objective), "loss_per_epoch": .array(losses.map { .double($0) }),
            ]
            return (shared.merging(counts) { a, _ in a }, metadata.merging(extra) { a, _ in a })
        }
    }

    /// The one-line summary of a windows-trained model.
    static func summary(_ config: Word2VecConfig, _ objective: Objective, _ trained: ScaleTraining, words: Int) -> String {
        let losses = trained.losses, threads = config.threads
        return "\(config.architecture.rawValue) \(objective.rawValue), \(words) words × \(config.dim), \(trained.corpus.totalWords) corpus words × \(config.epochs) epochs, loss \(String(format: "%.4f", losses.first ?? 0)) → \(String(format: "%.4f", losses.last ?? 0)), \(Int(trained.wordsPerSecond)) words/s with \(threads) thread\(threads == 1 ? "" : "s")"
    }

    /// The dataset's examples as the softmax trainer reads them (small data: held in memory).
    static func makeExamples(_ dataset: WindowDataset) -> Word2VecExamples {
        let width = dataset.config.kind == .cbow ? dataset.config.contextWidth : 1
        var inputs: [Int32] = []
        var targets: [Int32] = []
        let n = dataset.exampleCount
        inputs.reserveCapacity(n * width)
        targets.reserveCapacity(n)
        dataset.forEachExample { row, target in
            inputs.append(contentsOf: row)
            if row.count < width { inputs.append(contentsOf: repeatElement(-1, count: width - row.count)) }
            targets.append(target)
        }
        return Word2VecExamples(inputs: inputs, width: width, targets: targets)
    }
}
