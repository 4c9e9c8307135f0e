import Foundation
import WordmillArtifacts
import WordmillData
import WordmillModels
import WordmillPipeline
import WordmillSupport

/// `evaluate` of a `fasttext-classifier` model on the `sequences` dataset it was trained on:
/// accuracy, P@k and R@k as `fasttext test` computes them, per-class precision / recall / F1
/// and the confusion matrix of the top label, every prediction written to the artifact as it
/// is made.
enum FastTextEvaluation {
    /// Bytes of document ids read at a time.
    static let blockBytes = 64 << 20

    static func run(_ context: StageContext, model modelReader: ArtifactReader, data: ArtifactReader) throws -> StageReport {
        let model = try FastTextClassifierArtifact.read(modelReader)
        let source = try SequenceSource(reader: data)
        guard FastTextFeaturizer.vocabulary(adding: source.vocabulary) == model.words, source.classes == model.classes else {
            throw StageInputError("stage '\(data.header.stage)' has another vocabulary or other classes than model '\(modelReader.header.stage)' was trained on; evaluate on the sequences stage it was trained on")
        }
        let part: EvaluateOperation.Part = context.parameters.choice("part")
        var inPart = 0
        try source.scan { _, _, training in if part.includes(training: training) { inPart += 1 } }
        if inPart == 0 { throw ClassifierEvaluation.noDocuments(stage: data.header.stage, part: part) }
        let featurizer = FastTextFeaturizer(words: model.words, bucket: model.bucket, wordNgrams: model.wordNgrams)
        var rows: [Int32] = [], hashes: [UInt32] = []
        var confusion = ConfusionMatrix(classes: model.classes.count)
        let k = context.parameters.int("k"), threshold = Float(context.parameters.double("threshold"))
        var atK = PrecisionAtK()
        var scored: ClassificationMetrics!
        var tokensPerSecond = 0
        let started = Date()
        try context.writeArtifact(kind: EvaluateOperation.artifactKind) { writer in
            try writer.writeStrings("classes", model.classes)
            writer.beginSection(ClassifierEvaluation.predictionsSection, type: .records)
            var record: [UInt8] = []
            var tokens = 0
            // The part's documents a block at a time (at most `blockBytes` of ids).
            for range in try source.blocks(of: 0..<source.documents, budget: blockBytes, bytes: { n, training in part.includes(training: training) ? 4 * n : 0 }) {
                let block = try source.read(documents: range) { _, training in part.includes(training: training) }
                for i in 0..<block.count {
                    let ids = block.ids[block.tokenRange(i)]
                    tokens += ids.count
                    featurizer.rows(ids: ids, unknown: SequenceDataset.unknownId, into: &rows, scratch: &hashes)
                    let p = model.probabilities(rows: rows)
                    let best = FastTextClassifierModel.top(p, k: 1, threshold: 0)[0]
                    let truth = Int(block.labels[i])
                    confusion.add(truth: truth, predicted: best.label)
                    atK.add(predicted: FastTextClassifierModel.top(p, k: k, threshold: threshold).map(\.label), truth: block.labelSet(i).map { Int($0) })
                    try ClassifierEvaluation.appendPrediction(item: block.documents[i], truth: truth, predicted: best.label, probability: Double(best.probability),
                                                              to: writer, scratch: &record)
                }
            }
            try writer.endSection(count: confusion.documents)
            tokensPerSecond = Int(Double(tokens) / max(Date().timeIntervalSince(started), 1e-9))
            scored = ClassificationMetrics(classes: model.classes, confusion: confusion)
            var fields = ClassifierEvaluation.json(scored, part: part, model: modelReader.header.stage).objectValue ?? [:]
            fields["k"] = .integer(k)
            fields["threshold"] = .double(Double(threshold))
            fields["precision_at_k"] = .double(atK.precision)
            fields["recall_at_k"] = .double(atK.recall)
            let metricsJSON = JSONValue.object(fields)
            let outputs = try ClassifierEvaluation.writeOutputs(context, metrics: metricsJSON, scored: scored,
                                                                title: "\(modelReader.header.stage) on \(data.header.stage) (\(part.rawValue)): accuracy \(String(format: "%.4f", scored.accuracy))")
            return (["documents": confusion.documents, "classes": model.classes.count], ["metrics": metricsJSON, "outputs": .array(outputs), "part": .string(part.rawValue)])
        }
        return StageReport(counts: ["documents": confusion.documents, "tokens_per_second": tokensPerSecond],
                           summary: "\(part.rawValue): \(confusion.documents) documents, accuracy \(String(format: "%.4f", scored.accuracy)), P@\(k) \(String(format: "%.4f", atK.precision)), R@\(k) \(String(format: "%.4f", atK.recall)), macro-F1 \(String(format: "%.4f", scored.macroF1)), \(tokensPerSecond) tokens/s")
    }
}

/// `fasttext test`'s P@k and R@k: over all documents, the labels predicted (at most k, each at
/// least the threshold) that are among the document's labels, divided by all labels predicted
/// (precision) or by all true labels (recall).
struct PrecisionAtK {
    private(set) var correct = 0, predictedCount = 0, goldCount = 0

    mutating func add(predicted: [Int], truth: [Int]) {
        correct += predicted.filter(truth.contains).count
        predictedCount += predicted.count
        goldCount += truth.count
    }

    var precision: Double { predictedCount > 0 ? Double(correct) / Double(predictedCount) : 0 }
    var recall: Double { goldCount > 0 ? Double(correct) / Double(goldCount) : 0 }
}
