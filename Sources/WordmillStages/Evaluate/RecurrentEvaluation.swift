import Foundation
import WordmillArtifacts
import WordmillData
import WordmillExport
import WordmillModels
import WordmillPipeline
import WordmillSupport

/// `evaluate` of an `rnn` model on its `sequences` dataset: for classifiers and taggers the
/// classification metrics (per document, or per token for taggers) with every prediction
/// written to the artifact as it is made; for language models the loss and perplexity.
enum RecurrentEvaluation {
    /// Bytes of documents evaluation reads at a time.
    static let evaluationMemoryBytes = 64 << 20

    static func run(_ context: StageContext, model modelReader: ArtifactReader, data: ArtifactReader) throws -> StageReport {
        let p = context.parameters
        let saved = try RecurrentArtifact.read(modelReader)
        let dataset = try SequenceSource(reader: data)
        guard dataset.vocabulary == saved.vocabulary, dataset.task == saved.config.task.rawValue else {
            throw StageInputError("stage '\(data.header.stage)' has another vocabulary or task than model '\(modelReader.header.stage)' was trained on; evaluate on the sequences stage it was trained on")
        }
        let task = saved.config.task
        let part: EvaluateOperation.Part = p.choice("part")
        let training = RecurrentTrainingConfig(epochs: 1, batchSize: 64, seed: 1, threads: WorkerThreads.resolve(0), optimizer: OptimizerConfig(kind: .sgd, learningRate: 0),
                                               memoryBytes: evaluationMemoryBytes)
        let evaluator = try RecurrentTrainer(model: saved.config, config: training, source: dataset)
        if evaluator.documentCount(part.sequencePart) == 0 { throw ClassifierEvaluation.noDocuments(stage: data.header.stage, part: part) }
        evaluator.parameters = saved.parameters
        let started = Date()
        if task == .lm {
            let result = try evaluator.evaluate(part: part.sequencePart)
            let totals = result.totals, documents = result.documents
            let tokensPerSecond = Int(Double(result.tokens) / max(Date().timeIntervalSince(started), 1e-9))
            let loss = totals.loss / Double(max(1, totals.targets))
            let metrics: JSONValue = ["model": .string(modelReader.header.stage), "part": .string(part.rawValue), "documents": .integer(documents),
                                      "tokens": .integer(totals.targets), "loss": .double(loss), "perplexity": .double(Foundation.exp(loss))]
            try context.writeArtifact(kind: EvaluateOperation.artifactKind) { _ in
                let outputs = try ClassifierEvaluation.writeOutputs(context, metrics: metrics, scored: nil, title: "")
                return (["documents": documents, "tokens": totals.targets], ["metrics": metrics, "outputs": .array(outputs), "part": .string(part.rawValue)])
            }
            return StageReport(counts: ["tokens": totals.targets, "tokens_per_second": tokensPerSecond],
                               summary: "\(part.rawValue): \(totals.targets) tokens of \(documents) documents, loss \(String(format: "%.4f", loss)), perplexity \(String(format: "%.2f", Foundation.exp(loss))), \(tokensPerSecond) tokens/s")
        }
        // Predictions (per document, or per token document by document) go to the artifact as
        // they come; only the confusion counts are kept.
        let unit = task == .tag ? "tokens" : "documents"
        var confusion = ConfusionMatrix(classes: saved.classes.count)
        var scored: ClassificationMetrics!
        var tokensPerSecond = 0
        try context.writeArtifact(kind: EvaluateOperation.artifactKind) { writer in
            try writer.writeStrings("classes", saved.classes)
            writer.beginSection(ClassifierEvaluation.predictionsSection, type: .records)
            var record: [UInt8] = []
            let result = try evaluator.evaluate(part: part.sequencePart) { p in
                confusion.add(truth: Int(p.truth), predicted: Int(p.predicted))
                try ClassifierEvaluation.appendPrediction(item: p.item, truth: Int(p.truth), predicted: Int(p.predicted), probability: Double(p.probability),
                                                          to: writer, scratch: &record)
            }
            try writer.endSection(count: confusion.documents)
            tokensPerSecond = Int(Double(result.tokens) / max(Date().timeIntervalSince(started), 1e-9))
            scored = ClassificationMetrics(classes: saved.classes, confusion: confusion)
            var metricsJSON = ClassifierEvaluation.json(scored, part: part, model: modelReader.header.stage)
            if case .object(var o) = metricsJSON {
                o["loss"] = .double(result.totals.loss / Double(max(1, result.totals.targets)))
                o["unit"] = .string(task == .tag ? "token" : "document")
                metricsJSON = .object(o)
            }
            let outputs = try ClassifierEvaluation.writeOutputs(context, metrics: metricsJSON, scored: scored,
                                                                title: "\(modelReader.header.stage) on \(data.header.stage) (\(part.rawValue), \(unit)): accuracy \(String(format: "%.4f", scored.accuracy))")
            return ([unit: confusion.documents, "classes": saved.classes.count], ["metrics": metricsJSON, "outputs": .array(outputs), "part": .string(part.rawValue)])
        }
        var summary = "\(part.rawValue): \(confusion.documents) \(unit), accuracy \(String(format: "%.4f", scored.accuracy)), macro-F1 \(String(format: "%.4f", scored.macroF1)), \(tokensPerSecond) tokens/s"
        if task == .tag {
            let f1s = scored.classes.enumerated().map { "\($0.element) F1 \(String(format: "%.4f", scored.perClass[$0.offset].f1))" }
            if f1s.count <= 4 { summary += " (" + f1s.joined(separator: ", ") + ")" }
        }
        return StageReport(counts: [unit: confusion.documents, "tokens_per_second": tokensPerSecond], summary: summary)
    }
}
