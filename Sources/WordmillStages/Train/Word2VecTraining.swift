import Foundation
import WordmillArtifacts
import WordmillData
import WordmillModels
import WordmillPipeline
import WordmillText

/// `train` with `model: "word2vec"`: the lecture's softmax CBOW / skip-gram.
enum Word2VecTraining {
    static let parameters: [ParameterSpec] = [
        ParameterSpec("seed", .integer(min: 0), default: 1, doc: "random seed (initialisation, shuffling)"),
        ParameterSpec("epochs", .integer(min: 1), default: 5, doc: "passes over the data"),
        ParameterSpec("lr", .number(positive: true), default: 0.025, doc: "learning rate"),
        ParameterSpec("architecture", .string(choices: ["cbow", "skipgram"]), default: .null,
                      doc: "cbow or skipgram; taken from the windows artifact when omitted"),
        ParameterSpec("objective", .string(choices: ["softmax"]), default: "softmax",
                      doc: "softmax: full softmax over the vocabulary (the lecture's nn.Linear + CrossEntropyLoss)"),
        ParameterSpec("dim", .integer(min: 1, max: 100_000), default: 100, doc: "embedding dimension"),
        ParameterSpec("batch_size", .integer(min: 1), default: 32, doc: "examples per SGD step (mean loss over the batch)"),
        ParameterSpec("shuffle", .boolean, default: false, doc: "reshuffle the examples every epoch (the lecture's DataLoader does not)"),
    ]

    static func run(_ context: StageContext) throws -> StageReport {
        let p = context.parameters
        let reader = context.input("dataset")
        let vocabulary = try Vocabulary(reader: reader)
        let dataset = try WindowDataset(reader: reader, vocabularySize: vocabulary.count)
        if let architecture = p.optionalString("architecture"), architecture != dataset.config.kind.rawValue {
            throw StageInputError("\(context.stage.jsonPath).architecture is \"\(architecture)\" but stage '\(reader.header.stage)' made \(dataset.config.kind.rawValue) windows")
        }
        let examples = makeExamples(dataset)
        let config = SoftmaxWord2VecConfig(
            vocabularySize: vocabulary.count, dim: p.int("dim"), lr: Float(p.double("lr")), batchSize: p.int("batch_size"),
            epochs: p.int("epochs"), shuffle: p.bool("shuffle"), seed: UInt64(p.int("seed")))
        let model = SoftmaxWord2Vec(config: config)
        let started = Date()
        let losses = try model.train(examples: examples) { epoch, loss in
            context.log("epoch \(epoch)/\(config.epochs): mean loss \(String(format: "%.6f", loss))")
        }
        let seconds = Date().timeIntervalSince(started)
        let writer = try ArtifactWriter(path: context.outputPath)
        do {
            try Word2VecArtifact.write(model, vocabulary: vocabulary, losses: losses, to: writer)
            let counts = ["vocab_size": vocabulary.count, "vocab_specials": vocabulary.specialCount, "dim": config.dim,
                          "examples": examples.count, "epochs": config.epochs]
            let metadata: [String: JSONValue] = [
                "architecture": .string(dataset.config.kind.rawValue), "objective": "softmax",
                "loss_per_epoch": .array(losses.map { .double($0) }),
            ]
            try writer.commit(header: context.header(kind: Word2VecArtifact.kind, counts: counts, metadata: metadata))
        } catch {
            writer.discard()
            throw error
        }
        let rate = Double(examples.count * config.epochs) / max(seconds, 1e-9)
        let summary = "\(dataset.config.kind.rawValue) softmax, \(vocabulary.count) words × \(config.dim), \(examples.count) examples, loss \(String(format: "%.4f", losses.first ?? 0)) → \(String(format: "%.4f", losses.last ?? 0)), \(Int(rate)) examples/s"
        return StageReport(counts: ["examples": examples.count, "epochs": config.epochs], summary: summary)
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
