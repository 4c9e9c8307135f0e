import WordmillArtifacts
import WordmillExport
import WordmillModels
import WordmillPipeline
import WordmillSupport
import WordmillText

/// `import`: a model file made by another tool → an artifact later stages read. `format`
/// names the variant: `fasttext-bin`, an unsupervised fastText `.bin` (`cc.ko.300.bin`,
/// `fasttext skipgram -output …`) → a `fasttext` subword model, whose vectors every word-vector
/// reader takes and which gives an `rnn`'s `embeddings` a vector for every token.
enum ImportOperation {
    static let definition = OperationDefinition(
        name: "import", summary: "read a model file made by another tool into an artifact", parameters: [], selector: .parameter("format"),
        variants: [fastTextBin])

    static let fastTextBin = VariantDeclaration(
        name: "fasttext-bin", summary: "an unsupervised fastText .bin (skip-gram or CBOW) as a fasttext subword model",
        parameters: [ParameterSpec("path", .paths, doc: "the .bin file, relative to the spec's folder")],
        inputs: [], outputKind: FastTextSubwordArtifact.kind, algorithmVersion: 1, fileParameters: ["path"]
    ) { context in
        guard context.files.count == 1, let path = context.files.first else {
            throw StageInputError("\(context.stage.jsonPath).path names \(context.files.count) files; import reads one")
        }
        let file = try FastTextBinFile(path: path)
        let a = file.arguments
        guard a.model != .supervised else {
            throw StageInputError("\(path) is a supervised model (a classifier); import reads fastText's unsupervised models (skipgram, cbow)")
        }
        guard a.maxn >= a.minn, a.minn >= 1, a.bucket >= 1 else {
            throw StageInputError("\(path) has no character n-grams (minn \(a.minn), maxn \(a.maxn), bucket \(a.bucket)); its word vectors alone would be a word2vec model")
        }
        let d = a.dim, words = file.words
        var wordRows: [Float] = [], bucketRows: [Float] = []
        wordRows.reserveCapacity(words.count * d)
        for w in 0..<words.count { wordRows += file.row(w) }
        bucketRows.reserveCapacity(a.bucket * d)
        for b in 0..<a.bucket { bucketRows += file.row(words.count + b) }
        // Every bucket is stored: the rows come from the file, not from a seed.
        let model = FastTextSubwordModel(words: words, dim: d, minn: a.minn, maxn: a.maxn, bucket: a.bucket, seed: 0, wordRows: wordRows,
                                         usedBuckets: (0..<a.bucket).map { Int32($0) }, bucketRows: bucketRows)
        let vocabulary = Vocabulary(tokens: words, counts: file.counts)
        let hierarchical = a.loss == .hierarchical
        // hs keeps V − 1 inner-node rows of the V-row output matrix fastText writes.
        let output = Array(file.output().prefix((hierarchical ? words.count - 1 : words.count) * d))
        try context.writeArtifact(kind: FastTextSubwordArtifact.kind) { writer in
            try FastTextSubwordArtifact.write(model, vocabulary: vocabulary, outputVectors: output, losses: [], to: writer)
            var metadata = FastTextSubwordArtifact.metadata(model)
            metadata["architecture"] = .string(a.model == .cbow ? "cbow" : "skipgram")
            metadata["objective"] = .string(hierarchical ? FastTextSubwordTraining.Objective.hierarchical.rawValue : FastTextSubwordTraining.Objective.negative.rawValue)
            metadata["window"] = .integer(a.window)
            metadata["loss_per_epoch"] = .array([])
            return (["vocab_size": words.count, "vocab_specials": 0, "dim": d], metadata)
        }
        return StageReport(counts: ["words": words.count, "buckets": a.bucket, "dim": d],
                           summary: "\(words.count) words and \(a.bucket) n-gram buckets × \(d) (minn \(a.minn), maxn \(a.maxn)) from \(FileSystem.baseName(of: path))")
    }
}
