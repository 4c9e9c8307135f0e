import Foundation
import WordmillArtifacts
import WordmillData
import WordmillModels
import WordmillPipeline
import WordmillSupport
import WordmillText

/// `train` with `model: "glove"`: a co-occurrence matrix → GloVe vectors (Stanford GloVe's `glove`).
enum GloVeTraining {
    static let variant = VariantDeclaration(
        name: "glove", summary: "GloVe vectors from a co-occurrence matrix (Stanford GloVe's glove)", parameters: parameters,
        inputs: [InputSlot("dataset", kinds: [CooccurrenceMatrix.artifactKind])], outputKind: GloVeArtifact.kind,
        algorithmVersion: 1, run: run)

    static let parameters: [ParameterSpec] = [
        ParameterSpec("dim", .integer(min: 1, max: 100_000), default: 100, doc: "vector dimension (-vector-size)"),
        ParameterSpec("x_max", .number(positive: true), default: 100.0, doc: "counts above this weigh fully (-x-max)"),
        ParameterSpec("alpha", .number(positive: true), default: 0.75, doc: "exponent of the weighting (x/x_max)^alpha (-alpha)"),
        ParameterSpec("lr", .number(positive: true), default: 0.05, doc: "AdaGrad's initial learning rate (-eta)"),
        ParameterSpec("epochs", .integer(min: 1), default: 15, doc: "passes over the entries (-iter)"),
        ParameterSpec("threads", .integer(min: 1, max: 256), default: 1, doc: "Hogwild threads (-threads); 1 is bit-reproducible"),
        ParameterSpec("seed", .integer(min: 0), default: 1, doc: "initialisation and shuffling"),
        ParameterSpec("shuffle_mb", .integer(min: 1), default: 192, doc: "entries shuffled together in memory (GloVe's shuffle -memory)"),
        ParameterSpec("vectors", .string(choices: GloVeConfig.Vectors.allCases.map(\.rawValue)), default: "sum",
                      doc: "sum: W + W̃ (-model 2); input: W"),
    ]

    static func run(_ context: StageContext) throws -> StageReport {
        let p = context.parameters
        let reader = context.input("dataset")
        let vocabulary = try Vocabulary(reader: reader)
        guard let unit = reader.header.metadata["unit"]?.intValue, unit > 0 else {
            throw ArtifactError.damaged(path: reader.path, reason: "metadata lacks the count unit")
        }
        let config = GloVeConfig(dim: p.int("dim"), xMax: p.double("x_max"), alpha: p.double("alpha"), lr: p.double("lr"), epochs: p.int("epochs"),
                                 threads: p.int("threads"), seed: UInt64(p.int("seed")), shuffleBytes: p.int("shuffle_mb") << 20,
                                 vectors: p.choice("vectors", as: GloVeConfig.Vectors.self))
        let section = try reader.section(CooccurrenceMatrix.entriesSection)
        let scale = 1 / Double(unit)
        let corpus = GloVeCorpus(frames: section.frames.count, entries: section.count) { frame, rows, columns, counts in
            rows.removeAll(keepingCapacity: true)
            columns.removeAll(keepingCapacity: true)
            counts.removeAll(keepingCapacity: true)
            try reader.readFrame(CooccurrenceMatrix.entriesSection, index: frame).withUnsafeBytes { bytes in
                try CooccurrenceMatrix.forEachEntry(inFrame: bytes, vocabularySize: vocabulary.count, path: reader.path) { i, j, units in
                    rows.append(Int32(i))
                    columns.append(Int32(j))
                    counts.append(Float(Double(units) * scale))
                }
            }
        }
        if section.count == 0 { throw StageInputError("stage '\(reader.header.stage)' has no co-occurrences to train on") }
        var trainer = GloVeTrainer(config: config, vocabularySize: vocabulary.count)
        // After every epoch but the last: the parameters with their AdaGrad sums and the
        // losses so far; a rerun of this configuration resumes there.
        let checkpoint = TrainingCheckpoint(context: context, kind: "glove-checkpoint")
        var losses: [Double] = []
        var overwritten = false
        let resumed = checkpoint.resume { reader, epoch in
            let saved = try reader.readArray("loss_per_epoch", as: Double.self)
            guard saved.count == epoch else { throw ArtifactError.damaged(path: reader.path, reason: "the checkpoint's losses are not one per epoch") }
            // Straight into the trainer's buffers; a section that fails part way leaves them
            // half restored, so training then starts afresh (below).
            try trainer.withMutableStateBuffers { buffers in
                for (name, values) in buffers {
                    overwritten = true
                    try reader.read(name, into: values)
                }
            }
            losses = saved
        }
        // A checkpoint that failed after it began overwriting the parameters: start afresh.
        if resumed == nil && overwritten { trainer = GloVeTrainer(config: config, vocabularySize: vocabulary.count) }
        let startEpoch = resumed ?? 0
        let started = Date()
        do {
            _ = try trainer.train(corpus, startEpoch: startEpoch) { epoch, loss, rate in
                context.log("epoch \(epoch)/\(config.epochs): loss \(String(format: "%.5f", loss)), \(Int(rate)) entries/s")
                losses.append(loss)
                guard epoch < config.epochs else { return }
                try checkpoint.write(epoch: epoch) { writer in
                    // Straight from the trainer's buffers: a copy would double the parameters' memory.
                    try trainer.withStateBuffers { buffers in
                        for (name, values) in buffers {
                            writer.beginSection(name, type: .f32)
                            try writer.append(values)
                            try writer.endSection()
                        }
                    }
                    try writer.writeSection("loss_per_epoch", type: .f64, values: losses)
                    return [:]
                }
            }
        } catch let error as GloVeDiverged {
            throw StageInputError(error.description)
        }
        checkpoint.remove()
        let seconds = Date().timeIntervalSince(started)
        let counts = ["vocab_size": vocabulary.count, "vocab_specials": vocabulary.specialCount, "dim": config.dim, "entries": section.count, "epochs": config.epochs]
        try context.writeArtifact(kind: GloVeArtifact.kind) { writer in
            try GloVeArtifact.write(trainer, vocabulary: vocabulary, losses: losses, to: writer)
            return (counts, ["vectors": .string(config.vectors.rawValue), "loss_per_epoch": .array(losses.map { .double($0) }),
                             "architecture": "glove", "objective": .string("weighted least squares, x_max \(config.xMax)")])
        }
        let rate = Double(section.count * (config.epochs - startEpoch)) / max(seconds, 1e-9)
        return StageReport(counts: counts.merging(["entries_per_second": Int(rate)]) { a, _ in a },
                           summary: "\(vocabulary.count) words × \(config.dim) from \(section.count) entries × \(config.epochs) epochs, loss \(String(format: "%.4f", losses.first ?? 0)) → \(String(format: "%.4f", losses.last ?? 0)), \(Int(rate)) entries/s with \(config.threads) thread\(config.threads == 1 ? "" : "s")")
    }
}
