import Foundation
import WordmillArtifacts
import WordmillData
import WordmillExport
import WordmillModels
import WordmillPipeline
import WordmillSupport

/// `evaluate` of a classifier on a labelled bag-of-words dataset: accuracy, per-class
/// precision/recall/F1, macro and weighted F1, the confusion matrix (JSON, and an SVG heat
/// map), and every prediction, written to the artifact as it is made (for the predictions
/// exports): the memory is the model's and the classes', whatever the corpus.
enum ClassifierEvaluation {
    static let predictionsSection = "predictions"

    static func run(_ context: StageContext, model modelReader: ArtifactReader, data: ArtifactReader) throws -> StageReport {
        let p = context.parameters
        let (model, featurizer) = try NaiveBayesArtifact.read(modelReader)
        let dataFeatures = try data.readStrings("features")
        guard dataFeatures == featurizer.features, data.header.metadata["weighting"] == modelReader.header.metadata["weighting"] else {
            throw StageInputError("stage '\(data.header.stage)' has other features than classifier '\(modelReader.header.stage)' was trained on; evaluate on the bag-of-words stage it was trained on")
        }
        let documents = try data.section(BagOfWordsMatrix.rowsSection).count
        let labels = try DocumentLabels(reader: data, documents: documents)
        guard labels.isLabelled else { throw StageInputError("stage '\(data.header.stage)' has no labels to evaluate against") }
        let part: EvaluateOperation.Part = p.choice("part")
        // The metrics' classes: the model's, then any label it never saw (it cannot predict those).
        var classes = model.classes
        var modelIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($0.element, $0.offset) })
        let dataToMetrics = labels.classes.map { name -> Int in
            if let k = modelIndex[name] { return k }
            classes.append(name)
            modelIndex[name] = classes.count - 1
            return classes.count - 1
        }
        var confusion = ConfusionMatrix(classes: classes.count)
        var metrics: ClassificationMetrics?
        var scores: [Double] = []
        var records: [UInt8] = []
        try context.writeArtifact(kind: EvaluateOperation.artifactKind) { writer in
            try writer.writeStrings("classes", classes)
            writer.beginSection(predictionsSection, type: .records)
            try BagOfWordsMatrix.forEachRow(data, features: featurizer.features.count) { i, row in
                let inPart = part.includes(training: labels.isTraining(i))
                guard inPart else { return }
                model.jointLogLikelihood(row, into: &scores)
                NaiveBayesModel.normalize(&scores)
                let best = NaiveBayesModel.argmax(scores)
                let t = dataToMetrics[Int(labels.labels[i])]
                confusion.add(truth: t, predicted: best)
                try appendPrediction(item: i, truth: t, predicted: best, probability: Foundation.exp(scores[best]), to: writer, scratch: &records)
            }
            try writer.endSection(count: confusion.documents)
            if confusion.documents == 0 { throw noDocuments(stage: data.header.stage, part: part) }
            let scored = ClassificationMetrics(classes: classes, confusion: confusion)
            metrics = scored
            let metricsJSON = json(scored, part: part, model: modelReader.header.stage)
            let outputs = try writeOutputs(context, metrics: metricsJSON, scored: scored,
                                           title: "\(modelReader.header.stage) on \(data.header.stage) (\(part)): accuracy \(String(format: "%.4f", scored.accuracy))")
            return (["documents": confusion.documents, "classes": classes.count], ["metrics": metricsJSON, "outputs": .array(outputs), "part": .string(part.rawValue)])
        }
        let m = metrics!
        return StageReport(counts: ["documents": m.documents],
                           summary: "\(part): \(m.documents) documents, accuracy \(String(format: "%.4f", m.accuracy)), macro-F1 \(String(format: "%.4f", m.macroF1)), weighted-F1 \(String(format: "%.4f", m.weightedF1))")
    }

    /// The error for a part with nothing in it.
    static func noDocuments(stage: String, part: EvaluateOperation.Part) -> StageInputError {
        let which = [EvaluateOperation.Part.test: "test ", .train: "training ", .all: ""][part]!
        let hint = part == .test ? "; give its tokenize stage a \"split\" or \"test_inputs\", or set \"part\": \"train\"" : ""
        return StageInputError("stage '\(stage)' has no \(which)documents to evaluate on\(hint)")
    }

    /// Appends one record to the `predictions` section: varints item, true class, predicted
    /// class, then the predicted class's probability as a little-endian f64 (what
    /// `predictions(_:)` reads back).
    static func appendPrediction(item: Int, truth: Int, predicted: Int, probability: Double, to writer: ArtifactWriter, scratch: inout [UInt8]) throws {
        scratch.removeAll(keepingCapacity: true)
        RecordCoding.appendVarint(item, to: &scratch)
        RecordCoding.appendVarint(truth, to: &scratch)
        RecordCoding.appendVarint(predicted, to: &scratch)
        withUnsafeBytes(of: probability.bitPattern.littleEndian) { scratch.append(contentsOf: $0) }
        try scratch.withUnsafeBytes { try writer.append($0) }
    }

    /// Writes the metrics JSON and, for classifiers, the confusion-matrix picture where the
    /// stage's `metrics` and `confusion_svg` parameters ask; returns the files' records.
    static func writeOutputs(_ context: StageContext, metrics: JSONValue, scored: ClassificationMetrics?, title: String) throws -> [JSONValue] {
        var outputs: [JSONValue] = []
        if let path = context.parameters.optionalString("metrics") {
            outputs.append(try writeFile(Array((metrics.prettyText + "\n").utf8), to: path, context: context))
        }
        if let scored, let path = context.parameters.optionalString("confusion_svg") {
            let svg = ConfusionMatrixPlot.svg(classes: scored.classes, confusion: scored.confusion, title: title)
            outputs.append(try writeFile(Array(svg.utf8), to: path, context: context))
        }
        return outputs
    }

    static func writeFile(_ bytes: [UInt8], to path: String, context: StageContext) throws -> JSONValue {
        try AtomicFile.write(bytes, to: context.resolvePath(path))
        return ["path": .string(path), "bytes": .integer(bytes.count), "xxh64": .string(XXH64.hash(bytes).hex16)]
    }

    /// The metrics as JSON (scikit-learn's `classification_report(output_dict=True)` names).
    static func json(_ m: ClassificationMetrics, part: EvaluateOperation.Part, model: String) -> JSONValue {
        var perClass: [String: JSONValue] = [:]
        for (k, name) in m.classes.enumerated() {
            let c = m.perClass[k]
            perClass[name] = ["precision": .double(c.precision), "recall": .double(c.recall), "f1": .double(c.f1), "support": .integer(c.support)]
        }
        return [
            "model": .string(model), "part": .string(part.rawValue), "documents": .integer(m.documents),
            "accuracy": .double(m.accuracy), "macro_f1": .double(m.macroF1), "weighted_f1": .double(m.weightedF1),
            "macro_precision": .double(m.macroPrecision), "macro_recall": .double(m.macroRecall),
            "classes": .object(perClass),
            "confusion_matrix": ["labels": .array(m.classes.map { .string($0) }), "matrix": .array(m.confusion.map { .array($0.map { .integer($0) }) })],
        ]
    }

    /// One prediction kept in an evaluation artifact.
    struct Prediction {
        var document: Int
        var truth: Int
        var predicted: Int
        var probability: Double
    }

    /// Reads an evaluation artifact's classes, then hands its predictions to `body` one at a
    /// time; returns how many there were.
    static func forEachPrediction(_ reader: ArtifactReader, classes gotClasses: ([String]) throws -> Void,
                                  _ body: (Prediction) throws -> Void) throws -> Int {
        guard reader.header.section(predictionsSection) != nil else {
            throw StageInputError("\(reader.path) holds no predictions: it evaluates word vectors, not a classifier")
        }
        let classes = try reader.readStrings("classes")
        try gotClasses(classes)
        var count = 0
        try reader.forEachFrame(predictionsSection) { frame in
            var d = RecordDecoder(frame)
            while !d.isAtEnd {
                let p: Prediction
                do {
                    p = Prediction(document: try d.varint(), truth: try d.varint(), predicted: try d.varint(), probability: Double(bitPattern: try d.fixed64()))
                    guard p.truth < classes.count, p.predicted < classes.count else { throw RecordDecoder.Malformed(offset: d.offset, reason: "class id out of range") }
                } catch {
                    throw ArtifactError.damaged(path: reader.path, reason: "section '\(predictionsSection)': \(error)")
                }
                try body(p)
                count += 1
            }
        }
        return count
    }
}
