import WordmillData
import WordmillPipeline

/// Corpora with several labels per document (`tsv` with `label_separator`, `jsonl` with
/// `multi_label`): only the fastText classifier learns from them; the single-label
/// classifiers are refused at validation and, for an artifact made elsewhere, when they run.
enum MultiLabel {
    /// The tokenize stage upstream that reads several labels per document, if any.
    static func source(_ c: StageCheck) -> StageSpec? {
        c.ancestors.first { stage in
            guard stage.op == TokenizeOperation.definition.name else { return false }
            let format = stage.parameters.object("format")
            return TokenizeOperation.format(from: format).isMultiLabel
        }
    }

    /// The issue a single-label classifier reports for such a source.
    static func issue(_ c: StageCheck, model: String) -> [SpecIssue] {
        guard let source = source(c) else { return [] }
        return [c.issue(nil, "stage '\(source.name)' reads several labels per document, and \(model) learns one class per document; train a fasttext-classifier (loss one-vs-all) on it, or read one label")]
    }

    /// The run-time check for an artifact whose labels validation did not see.
    static func refuse(multiLabel: Bool, stage: String, model: String) throws {
        if multiLabel {
            throw StageInputError("stage '\(stage)' has several labels per document, and \(model) learns one class per document; train a fasttext-classifier (loss one-vs-all) on it")
        }
    }
}
