import Foundation
import WordmillArtifacts
import WordmillData
import WordmillModels
import WordmillPipeline
import WordmillText

/// `train` with `model: "glove"`: a co-occurrence matrix → GloVe vectors (Stanford GloVe's `glove`).
enum GloVeTraining {
    static let parameters: [ParameterSpec] = [
        ParameterSpec("dim", .integer(min: 1, max: 100_000), default: 100, doc: "vector dimension (-vector-size)"),
        ParameterSpec("x_max", .number(positive: true), default: 100.0, doc: "counts above this weigh fully (-x-max)"),
        ParameterSpec("alpha", .number(positive: true), default: 0.75, doc: "exponent of the weighting (x/x_max)^alpha (-alpha)"),
        ParameterSpec("lr", .number(positive: true), default: 0.05, doc: "AdaGrad's initial learning rate (-eta)"),
        ParameterSpec("epochs", .integer(min: 1), default: 15, doc: "passes over the entries (-iter)"),
        ParameterSpec("threads", .integer(min: 1, max: 256), default: 1, doc: "Hogwild threads (-threads); 1 is bit-reproducible"),
        ParameterSpec("seed", .integer(min: 0), default: 1, doc: "initialisation and shuffling"),
        ParameterSpec("shuffle_mb", .integer(min: 1), default: 256, doc: "entries shuffled together in memory (GloVe's shuffle -memory)"),
        ParameterSpec("vectors", .string(choices: GloVeConfig.Vectors.allCases.map(\.rawValue)), default: "sum",
                      doc: "sum: W + W̃ (-model 2); input: W"),
    ]

    static func run(_ context: StageContext) throws -> StageReport {
        let p = context.parameters
        let reader = context.input("dataset")
        guard reader.header.kind == CooccurrenceMatrix.artifactKind else {
            throw StageInputError("\(context.stage.jsonPath): model \"glove\" trains on a cooccurrence stage, not '\(reader.header.kind)' from stage '\(reader.header.stage)'")
        }
        let vocabulary = try Vocabulary(reader: reader)
        guard let unit = reader.header.metadata["unit"]?.intValue, unit > 0 else {
            throw ArtifactError.damaged(path: reader.path, reason: "metadata lacks the count unit")
        }
        let config = GloVeConfig(dim: p.int("dim"), xMax: p.double("x_max"), alpha: p.double("alpha"), lr: p.double("lr"), epochs: p.int("epochs"),
                                 threads: p.int("threads"), seed: UInt64(p.int("seed")), shuffleBytes: p.int("shuffle_mb") << 20,
                                 vectors: GloVeConfig.Vectors(rawValue: p.string("vectors"))!)
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
        let trainer = GloVeTrainer(config: config, vocabularySize: vocabulary.count)
        let started = Date()
        let losses: [Double]
        do {
            losses = try trainer.train(corpus) { epoch, loss, rate in
                context.log("epoch \(epoch)/\(config.epochs): loss \(String(format: "%.5f", loss)), \(Int(rate)) entries/s")
            }
        } catch let error as GloVeDiverged {
            throw StageInputError(error.description)
        }
        let seconds = Date().timeIntervalSince(started)
        let counts = ["vocab_size": vocabulary.count, "vocab_specials": vocabulary.specialCount, "dim": config.dim, "entries": section.count, "epochs": config.epochs]
        try context.writeArtifact(kind: GloVeArtifact.kind) { writer in
            try GloVeArtifact.write(trainer, vocabulary: vocabulary, losses: losses, to: writer)
            return (counts, ["vectors": .string(config.vectors.rawValue), "loss_per_epoch": .array(losses.map { .double($0) }),
                             "architecture": "glove", "objective": .string("weighted least squares, x_max \(config.xMax)")])
        }
        let rate = Double(section.count * config.epochs) / max(seconds, 1e-9)
        return StageReport(counts: counts.merging(["entries_per_second": Int(rate)]) { a, _ in a },
                           summary: "\(vocabulary.count) words × \(config.dim) from \(section.count) entries × \(config.epochs) epochs, loss \(String(format: "%.4f", losses.first ?? 0)) → \(String(format: "%.4f", losses.last ?? 0)), \(Int(rate)) entries/s with \(config.threads) thread\(config.threads == 1 ? "" : "s")")
    }
}
