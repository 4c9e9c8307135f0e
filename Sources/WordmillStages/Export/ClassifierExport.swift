import WordmillExport
import WordmillModels
import WordmillPipeline

/// The export formats of classifiers: a naive Bayes model as JSON and the predictions an
/// `evaluate` stage kept.
enum ClassifierExport {
    static let naiveBayesJSON = VariantDeclaration(
        name: "naive-bayes-json", summary: "a naive Bayes model as JSON: classes, priors, feature log-probabilities and the tokenizer",
        inputs: [InputSlot("model", kinds: [NaiveBayesArtifact.kind])], outputKind: ExportOperation.artifactKind, algorithmVersion: 1
    ) { context in
        let input = context.input("model")
        let (model, featurizer) = try NaiveBayesArtifact.read(input)
        let content = ClassifierFormats.naiveBayesJSON(model, featurizer: featurizer, tokenizer: input.header.metadata["tokenizer"] ?? .null)
        return try write(context, content, counts: ["classes": model.classes.count, "features": featurizer.features.count])
    }

    /// A predictions format: the rows an `evaluate` stage of a classifier or tagger kept.
    static func predictions(_ name: String, summary: String, encode: @escaping @Sendable ([PredictionRecord]) -> [UInt8]) -> VariantDeclaration {
        VariantDeclaration(
            name: name, summary: summary, inputs: [InputSlot("model", kinds: [EvaluateOperation.artifactKind])],
            outputKind: ExportOperation.artifactKind, algorithmVersion: 1,
            check: { c in
                guard let evaluation = c.upstream["model"], evaluation.variant.name == EvaluateOperation.wordVectors.name else { return [] }
                return [c.issue("format", "\"\(name)\" writes a classifier's predictions, but stage '\(evaluation.name)' evaluates word vectors")]
            }
        ) { context in
            let (classes, predictions) = try ClassifierEvaluation.predictions(context.input("model"))
            let records = predictions.map { PredictionRecord(document: $0.document, truth: classes[$0.truth], predicted: classes[$0.predicted], probability: $0.probability) }
            return try write(context, encode(records), counts: ["predictions": records.count])
        }
    }

    /// Writes the one file and the stage's artifact recording it.
    static func write(_ context: StageContext, _ content: [UInt8], counts: [String: Int]) throws -> StageReport {
        let path = context.parameters.string("path")
        let bytes = try ExportOperation.writeFiles([(path, content)], context: context, counts: counts)
        return StageReport(counts: counts.merging(["bytes": bytes]) { a, _ in a }, summary: "\(context.stage.variant.name) → \(path) (\(formatBytes(bytes)))")
    }
}
