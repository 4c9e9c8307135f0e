import Foundation
import WordmillArtifacts
import WordmillData
import WordmillModels
import WordmillPipeline
import WordmillSupport
import WordmillText

/// `train` with `model: "rnn"`: a `sequences` dataset → an `rnn` model (embedding →
/// RNN/LSTM/GRU stack → linear head) for the dataset's task, checkpointed after every
/// epoch and resumed from the checkpoint when a run died.
enum RecurrentTraining {
    static let variant = VariantDeclaration(
        name: "rnn", summary: "an embedding → RNN / LSTM / GRU stack → linear head for classification, tagging or language modelling",
        parameters: parameters,
        inputs: [InputSlot("dataset", kinds: [SequenceDataset.artifactKind]),
                 InputSlot("embeddings", kinds: EmbeddingTable.artifactKinds, optional: true)],
        outputKind: RecurrentArtifact.kind, algorithmVersion: 1, check: check, run: run)

    /// The cells a spec names (the Elman cell's nonlinearity is a parameter of its own).
    enum Cell: String, CaseIterable { case rnn, lstm, gru }
    enum Nonlinearity: String, CaseIterable { case tanh, relu }

    static let parameters: [ParameterSpec] = [
        ParameterSpec("cell", .string(choices: Cell.allCases.map(\.rawValue)), default: "lstm", doc: "rnn (Elman), lstm or gru, with PyTorch's equations"),
        ParameterSpec("nonlinearity", .string(choices: Nonlinearity.allCases.map(\.rawValue)), default: "tanh", onlyWith: ParameterCondition("cell", [Cell.rnn]),
                      doc: "the Elman cell's nonlinearity"),
        ParameterSpec("embedding_dim", .integer(min: 1, max: 100_000),
                      default: .derived(doc: "the dim of the `embeddings` stage read, else 128") { $0.upstream["embeddings"]?.parameters["dim"] ?? 128 },
                      doc: "embedding size"),
        ParameterSpec("hidden", .integer(min: 1, max: 100_000), default: 256, doc: "hidden state size"),
        ParameterSpec("layers", .integer(min: 1, max: 64), default: 1, doc: "stacked layers"),
        ParameterSpec("bidirectional", .boolean, default: false, doc: "run each layer both ways and concatenate"),
        ParameterSpec("dropout", .number(min: 0, max: 0.99), default: 0.0, doc: "dropout on the outputs of every layer but the last (layers ≥ 2)"),
        ParameterSpec("freeze", .boolean, default: false, doc: "keep the pretrained `embeddings` fixed"),
        ParameterSpec("optimizer", .string(choices: OptimizerConfig.Kind.allCases.map(\.rawValue)), default: "adam", doc: "adam or sgd"),
        ParameterSpec("lr", .number(positive: true), default: .derived(doc: "0.001 for adam, 0.1 for sgd") { $0.parameters.isChoice("optimizer", OptimizerConfig.Kind.sgd) ? 0.1 : 0.001 },
                      doc: "learning rate"),
        ParameterSpec("momentum", .number(min: 0, max: 0.999), default: 0.0, onlyWith: ParameterCondition("optimizer", [OptimizerConfig.Kind.sgd]), doc: "momentum"),
        ParameterSpec("clip_norm", .number(positive: true), default: .null, doc: "clip the gradient to this global L2 norm (unset: no clipping)"),
        ParameterSpec("epochs", .integer(min: 1, max: 100_000), default: 5, doc: "passes over the training documents"),
        ParameterSpec("batch_size", .integer(min: 1, max: 1_000_000), default: 64, doc: "sequences per step (lm: parallel streams)"),
        ParameterSpec("bucket", .boolean, default: true, doc: "batch documents of similar length together"),
        ParameterSpec("threads", .integer(min: 1, max: 256), default: 1, doc: "workers splitting each batch; 1 is bit-reproducible"),
        ParameterSpec("seed", .integer(min: 0), default: 1, doc: "initialisation, batch order and dropout"),
        ParameterSpec("memory_mb", .number(positive: true), default: 128,
                      doc: "MiB of documents held at once: more training data than this is shuffled in random blocks of about this size, each epoch"),
        ParameterSpec("checkpoint_minutes", .number(positive: true), default: .null,
                      doc: "also checkpoint inside an epoch when this many minutes have passed since the last checkpoint"),
    ]

    /// Rules between the parameters and the stages read.
    static func check(_ c: StageCheck) -> [SpecIssue] {
        var issues: [SpecIssue] = []
        let p = c.parameters
        if p.double("dropout") > 0 && p.int("layers") == 1 {
            issues.append(c.issue("dropout", "acts between layers; with \"layers\": 1 it would do nothing (set layers ≥ 2 or drop it)"))
        }
        if let embeddings = c.upstream["embeddings"] {
            if let dim = embeddings.parameters["dim"], p["embedding_dim"] != dim {
                issues.append(c.issue("embedding_dim", "is \(p.int("embedding_dim")), but stage '\(embeddings.name)' has \(dim.canonicalText)-dimensional vectors"))
            }
        } else if p.bool("freeze") {
            issues.append(c.issue("freeze", "keeps pretrained embeddings fixed; add a word2vec, GloVe or fastText stage to \"from\""))
        }
        if let sequences = c.upstream["dataset"], sequences.parameters.isChoice("task", RecurrentTask.classify) {
            issues += MultiLabel.issue(c, model: "an rnn classifier")
        }
        if p.bool("bidirectional"), let sequences = c.upstream["dataset"], sequences.parameters.isChoice("task", RecurrentTask.lm) {
            issues.append(c.issue("bidirectional", "a language model (stage '\(sequences.name)' has task \"lm\") cannot read the tokens it predicts"))
        }
        return issues
    }

    static func run(_ context: StageContext) throws -> StageReport {
        let reader = context.input("dataset")
        let dataset = try SequenceSource(reader: reader)
        guard let task = RecurrentTask(rawValue: dataset.task) else { throw ArtifactError.damaged(path: reader.path, reason: "unknown task '\(dataset.task)'") }
        try MultiLabel.refuse(multiLabel: dataset.isMultiLabel, stage: reader.header.stage, model: "an rnn classifier")
        let (model, training, classes) = try configure(context, dataset: dataset, task: task)
        let trainer = try RecurrentTrainer(model: model, config: training, source: dataset)
        trainer.injectNaNAtEpoch = FaultInjection.nanEpoch(stage: context.stage.name)
        if task != .lm && trainer.trainingBlockCount > 1 { context.log("training documents shuffled in \(trainer.trainingBlockCount) blocks of about \(context.parameters["memory_mb"]!.canonicalText) MiB each epoch") }
        if trainer.trainingDocumentCount == 0 { throw StageInputError("stage '\(reader.header.stage)' has no training documents: every document is in the test part") }
        let checkpoint = TrainingCheckpoint(context: context, kind: RecurrentArtifact.checkpointKind)
        var history: [RecurrentEpochRecord] = []
        var startEpoch = 0
        var position: RecurrentPosition?
        if let resumed = checkpoint.resume({ reader, epoch in (history, position) = try load(reader, into: trainer, epoch: epoch) }) {
            startEpoch = resumed
        } else {
            trainer.initialize()
            if let embeddings = context.optionalInput("embeddings") {
                // A fastText subword model has a vector for every token, from its n-grams.
                let matched = embeddings.header.kind == FastTextSubwordArtifact.kind
                    ? trainer.loadEmbeddings(dim: context.parameters.int("embedding_dim"), vector: try FastTextSubwordArtifact.read(embeddings).vector(of:))
                    : trainer.loadEmbeddings(try EmbeddingTable(reader: embeddings))
                context.log("embeddings from stage '\(embeddings.header.stage)': \(matched) of \(dataset.vocabulary.count) tokens found")
            }
        }
        let tokenizer = reader.header.metadata["tokenizer"] ?? .null
        trainer.checkpointInterval = context.parameters["checkpoint_minutes"]?.doubleValue.map { $0 * 60 }
        /// The parameters, Adam's moments and the history: what every checkpoint holds.
        func writeState(_ writer: ArtifactWriter) throws -> [String: JSONValue] {
            try RecurrentArtifact.write(parameters: trainer.parameters, vocabulary: dataset.vocabulary, classes: classes, to: writer)
            try writer.writeSection("optimizer.first", type: .f32, values: trainer.optimizer.first)
            try writer.writeSection("optimizer.second", type: .f32, values: trainer.optimizer.second)
            var metadata = RecurrentArtifact.metadata(model, tokenizer: tokenizer)
            metadata["optimizer_steps"] = .integer(trainer.optimizer.steps)
            metadata["history"] = .array(history.map(json))
            return metadata
        }
        do {
            try trainer.train(startEpoch: startEpoch, resume: position, onEpoch: { record in
                history.append(record)
                var line = "epoch \(record.epoch)/\(training.epochs): loss \(String(format: "%.4f", record.loss)), \(Int(Double(record.tokens) / max(record.seconds, 1e-9))) tokens/s"
                if let acc = record.validationAccuracy { line += ", validation accuracy \(String(format: "%.4f", acc))" }
                if task == .lm, let ppl = record.validationPerplexity { line += ", validation perplexity \(String(format: "%.2f", ppl))" }
                // Every epoch for short runs; about twenty lines for long ones.
                let every = max(1, (training.epochs + 19) / 20)
                if record.epoch % every == 0 || record.epoch == training.epochs { context.log(line) }
                if record.epoch < training.epochs { try checkpoint.write(epoch: record.epoch, writeState) }
            }, onPosition: { at in
                // Inside an epoch: also where it stands, and a language model's carried states.
                try checkpoint.write(epoch: at.epoch - 1, label: "\(at.epoch - 1)+\(at.steps)") { writer in
                    var metadata = try writeState(writer)
                    metadata["steps"] = .integer(at.steps)
                    metadata["steps_loss"] = .double(at.totals.loss)
                    metadata["steps_targets"] = .integer(at.totals.targets)
                    metadata["steps_correct"] = .integer(at.totals.correct)
                    for (w, states) in (at.carriedHidden ?? []).enumerated() { try writer.writeSection("carried_hidden.\(w)", type: .f32, values: states) }
                    for (w, states) in (at.carriedCell ?? []).enumerated() { try writer.writeSection("carried_cell.\(w)", type: .f32, values: states) }
                    metadata["carried_workers"] = .integer(at.carriedHidden?.count ?? 0)
                    return metadata
                }
            })
        } catch let error as RecurrentDiverged {
            throw StageInputError(error.description)
        }
        let last = history.last
        var counts = ["parameters": trainer.layout.count, "vocabulary": dataset.vocabulary.count, "classes": classes.count, "epochs": training.epochs,
                      "training_documents": trainer.trainingDocumentCount, "test_documents": trainer.testDocumentCount]
        try context.writeArtifact(kind: RecurrentArtifact.kind) { writer in
            try RecurrentArtifact.write(parameters: trainer.parameters, vocabulary: dataset.vocabulary, classes: classes, to: writer)
            var metadata = RecurrentArtifact.metadata(model, tokenizer: tokenizer)
            metadata["history"] = .array(history.map(json))
            metadata["loss_per_epoch"] = .array(history.map { .double($0.loss) })
            if task == .lm { metadata["bptt"] = .integer(dataset.bptt) }
            metadata["eos"] = .bool(dataset.vocabulary.count > 2 && dataset.vocabulary[2] == SequenceDataset.endToken)
            return (counts, metadata)
        }
        checkpoint.remove()
        var summary = "\(model.recurrent.cell.rawValue) \(task.rawValue) model, \(trainer.layout.count) parameters, \(training.epochs) epochs"
        if let last {
            summary += ", loss \(String(format: "%.4f", history.first!.loss)) → \(String(format: "%.4f", last.loss))"
            if let acc = last.validationAccuracy { summary += ", validation accuracy \(String(format: "%.4f", acc))" }
            if task == .lm, let ppl = last.validationPerplexity { summary += ", validation perplexity \(String(format: "%.2f", ppl))" }
        }
        if let last { counts["tokens_per_second"] = Int(Double(last.tokens) / max(last.seconds, 1e-9)) }
        return StageReport(counts: counts, summary: summary)
    }

    /// The model's sizes and the training settings from the stage's parameters.
    static func configure(_ context: StageContext, dataset: SequenceSource, task: RecurrentTask) throws
        -> (RecurrentModelConfig, RecurrentTrainingConfig, [String]) {
        let p = context.parameters, path = context.stage.jsonPath
        let cell: RecurrentCell
        switch p.choice("cell", as: Cell.self) {
        case .lstm: cell = .lstm
        case .gru: cell = .gru
        case .rnn: cell = p.choice("nonlinearity", as: Nonlinearity.self) == .relu ? .rnnRelu : .rnnTanh
        }
        let optimizerKind: OptimizerConfig.Kind = p.choice("optimizer")
        let layers = p.int("layers"), dropout = p.double("dropout")
        let embeddingDim = p.int("embedding_dim")
        if let embeddings = context.optionalInput("embeddings"), let dim = embeddings.header.counts["dim"], dim != embeddingDim {
            throw StageInputError("\(path).embedding_dim is \(embeddingDim), but the artifact of stage '\(embeddings.header.stage)' has \(dim)-dimensional vectors")
        }
        let classes: [String]
        switch task {
        case .classify: classes = dataset.classes
        case .tag: classes = dataset.tagClasses ?? []
        case .lm: classes = []
        }
        if task != .lm && classes.count < 2 { throw StageInputError("stage '\(context.input("dataset").header.stage)' has \(classes.count) class; a classifier needs at least 2") }
        let model = RecurrentModelConfig(
            task: task, vocabularySize: dataset.vocabulary.count,
            recurrent: RecurrentShape(cell: cell, inputSize: embeddingDim, hiddenSize: p.int("hidden"), layers: layers, bidirectional: p.bool("bidirectional")),
            outputs: task == .lm ? dataset.vocabulary.count : classes.count, dropout: Float(dropout))
        var optimizer = OptimizerConfig(kind: optimizerKind, learningRate: Float(p.double("lr")),
                                        momentum: Float(p["momentum"]?.doubleValue ?? 0))  // declared only with sgd
        optimizer.clipNorm = p["clip_norm"]?.doubleValue.map { Float($0) }
        let training = RecurrentTrainingConfig(epochs: p.int("epochs"), batchSize: p.int("batch_size"), seed: UInt64(p.int("seed")), threads: p.int("threads"),
                                               bucketByLength: p.bool("bucket"), optimizer: optimizer, freezeEmbedding: p.bool("freeze"),
                                               memoryBytes: Int(p.double("memory_mb") * 1_048_576))
        return (model, training, classes)
    }

    /// An epoch's record for the artifact: no wall-clock times, so the same spec and data
    /// give the same bytes (times go to the log and the run record).
    static func json(_ r: RecurrentEpochRecord) -> JSONValue {
        var o: [String: JSONValue] = ["epoch": .integer(r.epoch), "loss": .double(r.loss), "tokens": .integer(r.tokens)]
        if let v = r.validationLoss { o["validation_loss"] = .double(v) }
        if let v = r.validationAccuracy { o["validation_accuracy"] = .double(v) }
        if let v = r.validationPerplexity { o["validation_perplexity"] = .double(v) }
        return .object(o)
    }

    static func record(_ v: JSONValue) -> RecurrentEpochRecord? {
        guard let o = v.objectValue, let epoch = o["epoch"]?.intValue, let loss = o["loss"]?.doubleValue else { return nil }
        return RecurrentEpochRecord(epoch: epoch, loss: loss, tokens: o["tokens"]?.intValue ?? 0, seconds: 0,
                                    validationLoss: o["validation_loss"]?.doubleValue, validationAccuracy: o["validation_accuracy"]?.doubleValue)
    }

    /// Restores parameters and optimiser state from a checkpoint (all read before any is set)
    /// and returns the history so far, and where inside the next epoch it was written (if it was).
    static func load(_ reader: ArtifactReader, into trainer: RecurrentTrainer, epoch: Int) throws -> ([RecurrentEpochRecord], RecurrentPosition?) {
        let m = reader.header.metadata
        var position: RecurrentPosition?
        if let steps = m["steps"]?.intValue {
            var totals = BatchTotals()
            totals.loss = m["steps_loss"]?.doubleValue ?? 0
            totals.targets = m["steps_targets"]?.intValue ?? 0
            totals.correct = m["steps_correct"]?.intValue ?? 0
            let workers = m["carried_workers"]?.intValue ?? 0
            let hidden = try (0..<workers).map { try reader.readArray("carried_hidden.\($0)", as: Float.self) }
            let cell = try (0..<workers).map { w in
                reader.header.section("carried_cell.\(w)") == nil ? hidden[w] : try reader.readArray("carried_cell.\(w)", as: Float.self)
            }
            position = RecurrentPosition(epoch: epoch + 1, steps: steps, totals: totals, carriedHidden: workers > 0 ? hidden : nil, carriedCell: workers > 0 ? cell : nil)
        }
        let saved = try RecurrentArtifact.read(reader)
        let first = try reader.readArray("optimizer.first", as: Float.self)
        let second = try reader.readArray("optimizer.second", as: Float.self)
        guard saved.config == trainer.model, first.count == trainer.optimizer.first.count, second.count == trainer.optimizer.second.count,
              let steps = reader.header.metadata["optimizer_steps"]?.intValue
        else { throw ArtifactError.damaged(path: reader.path, reason: "the checkpoint does not match the model it claims to be") }
        trainer.parameters = saved.parameters
        trainer.optimizer.first = first
        trainer.optimizer.second = second
        trainer.optimizer.steps = steps
        return ((reader.header.metadata["history"]?.arrayValue ?? []).compactMap(record), position)
    }
}
