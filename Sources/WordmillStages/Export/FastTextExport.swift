import WordmillArtifacts
import WordmillExport
import WordmillModels
import WordmillPipeline
import WordmillText

/// `format: "fasttext-bin"`: a fastText model (the classifier or the subword vectors) as
/// fastText's own `.bin`, which `fasttext.load_model` reads, and for the subword vectors also
/// gensim's `load_facebook_model`.
enum FastTextExport {
    static let bin = VariantDeclaration(
        name: "fasttext-bin", summary: "a fastText model (fasttext-classifier or fasttext subword vectors) as fastText's .bin, which fasttext.load_model reads",
        inputs: [InputSlot("model", kinds: [FastTextClassifierArtifact.kind, FastTextSubwordArtifact.kind])],
        outputKind: ExportOperation.artifactKind, algorithmVersion: 1
    ) { context in
        let input = context.input("model")
        let epochs = input.header.parameters["epochs"]?.intValue ?? 5
        if input.header.kind == FastTextClassifierArtifact.kind {
            let model = try FastTextClassifierArtifact.read(input)
            let content = try FastTextBinFormat.classifier(model, epochs: epochs)
            return try ClassifierExport.write(context, content, counts: ["classes": model.classes.count, "words": model.words.count, "buckets": model.bucket])
        }
        let model = try FastTextSubwordArtifact.read(input)
        let vocabulary = try Vocabulary(reader: input)
        let m = input.header.metadata, p = input.header.parameters
        let hierarchical = m["objective"]?.stringValue == FastTextSubwordTraining.Objective.hierarchical.rawValue
        let arguments = FastTextBinFormat.Arguments(
            dim: model.dim, window: m["window"]?.intValue ?? 5, epochs: epochs, minCount: max(1, vocabulary.counts.min() ?? 1),
            negative: p["negative"]?.intValue ?? 5, wordNgrams: 1, loss: hierarchical ? .hierarchical : .negative,
            model: m["architecture"]?.stringValue == "cbow" ? .cbow : .skipgram, bucket: model.bucket, minn: model.minn, maxn: model.maxn,
            sample: p["sample"]?.doubleValue ?? 1e-4)
        let content = try FastTextBinFormat.subwordModel(model, counts: vocabulary.counts, output: try input.readArray("output_vectors", as: Float.self), arguments: arguments)
        return try ClassifierExport.write(context, content, counts: ["words": model.words.count, "buckets": model.bucket])
    }
}
