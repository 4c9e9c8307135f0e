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

    /// A predictions format: the rows an `evaluate` stage of a classifier or tagger kept,
    /// streamed from the evaluation artifact to the file.
    static func predictions(_ name: String, summary: String, encoding: PredictionsEncoding) -> VariantDeclaration {
        VariantDeclaration(
            name: name, summary: summary, inputs: [InputSlot("model", kinds: [EvaluateOperation.artifactKind])],
            outputKind: ExportOperation.artifactKind, algorithmVersion: 1,
            check: { c in
                guard let evaluation = c.upstream["model"], evaluation.variant.name == EvaluateOperation.wordVectors.name else { return [] }
                return [c.issue("format", "\"\(name)\" writes a classifier's predictions, but stage '\(evaluation.name)' evaluates word vectors")]
            }
        ) { context in
            let path = context.parameters.string("path")
            var count = 0
            let bytes = try ExportOperation.writeStreamedFile(path, context: context, counts: { ["predictions": count] }) { out in
                try out.write(encoding.header)
                var classes: [String] = []
                count = try ClassifierEvaluation.forEachPrediction(context.input("model"), classes: { classes = $0 }) { p in
                    try out.write(encoding.line(PredictionRecord(document: p.document, truth: classes[p.truth], predicted: classes[p.predicted], probability: p.probability)))
                }
            }
            return StageReport(counts: ["predictions": count, "bytes": bytes], summary: "\(context.stage.variant.name) → \(path) (\(formatBytes(bytes)))")
        }
    }

    /// Writes the one file and the stage's artifact recording it.
    static func write(_ context: StageContext, _ content: [UInt8], counts: [String: Int]) throws -> StageReport {
        let path = context.parameters.string("path")
        let bytes = try ExportOperation.writeFiles([(path, content)], context: context, counts: counts)
        return StageReport(counts: counts.merging(["bytes": bytes]) { a, _ in a }, summary: "\(context.stage.variant.name) → \(path) (\(formatBytes(bytes)))")
    }
}
