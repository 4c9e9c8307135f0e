import WordmillArtifacts
import WordmillExport
import WordmillModels
import WordmillPipeline

/// `export`: a model artifact → files other tools read. The only stage that writes outside
/// the artifact directory; its own artifact records each file's size and hash so a
/// deleted or edited export is noticed and rewritten.
enum ExportOperation {
    static let formats = ["word2vec-text", "word2vec-binary", "glove-text", "npy", "safetensors", "projector-tsv", "svg", "naive-bayes-json", "predictions-csv", "predictions-jsonl"]
    /// Formats that read a classifier or its evaluation rather than word vectors.
    static let classifierFormats: [String: String] = [
        "naive-bayes-json": NaiveBayesArtifact.kind, "predictions-csv": "evaluation", "predictions-jsonl": "evaluation",
    ]

    static let definition = OperationDefinition(
        name: "export",
        summary: "write vectors in formats other tools read, or pictures",
        parameters: [
            ParameterSpec("path", .string(), doc: "output file (a folder for projector-tsv), relative to the spec's folder"),
        ],
        variantKey: "format",
        variants: [
            "word2vec-text": [], "word2vec-binary": [], "glove-text": [],
            "npy": [ParameterSpec("vocab_path", .string(), default: .null, doc: "where the words go (default: the .npy path with .vocab.txt)")],
            "safetensors": [ParameterSpec("vocab_path", .string(), default: .null, doc: "where the tokens go, one per line in id order (default: the path with .vocab.txt)")],
            "projector-tsv": [],
            "naive-bayes-json": [], "predictions-csv": [], "predictions-jsonl": [],
            "svg": [
                ParameterSpec("picture", .string(choices: ["embeddings", "loss"]), default: "embeddings",
                              doc: "embeddings: the most frequent words projected to 2-D (PCA); loss: the loss per epoch"),
                ParameterSpec("words", .integer(min: 2, max: 100_000), default: 500, doc: "how many of the most frequent words to plot"),
                ParameterSpec("labels", .integer(min: 0, max: 100_000), default: 100, doc: "how many of them to label"),
            ],
        ],
        inputs: [InputSlot("model", kinds: EmbeddingTable.artifactKinds + [NaiveBayesArtifact.kind, RecurrentArtifact.kind, "evaluation"])],
        outputKind: { _ in "export" },
        algorithmVersion: 1,
        run: run)

    static func run(_ context: StageContext) throws -> StageReport {
        let p = context.parameters
        let model = context.input("model")
        let format = p.string("format")
        if let kind = classifierFormats[format] { return try runClassifier(context, input: model, format: format, kind: kind) }
        if model.header.kind == RecurrentArtifact.kind { return try RecurrentExport.run(context, model: model, format: format) }
        guard EmbeddingTable.artifactKinds.contains(model.header.kind) else {
            throw StageInputError("\(context.stage.jsonPath): format \"\(format)\" writes word vectors, but stage '\(model.header.stage)' made '\(model.header.kind)'")
        }
        let table = try EmbeddingTable(reader: model)
        let path = p.string("path")
        var files: [(String, [UInt8])] = []
        var note = ""
        do {
            switch p.string("format") {
            case "word2vec-text": files = [(path, try Word2VecTextFormat.encode(table))]
            case "word2vec-binary": files = [(path, try Word2VecBinaryFormat.encode(table))]
            case "glove-text": files = [(path, try GloVeTextFormat.encode(table))]
            case "npy":
                let vocabPath = p.optionalString("vocab_path") ?? (path.hasSuffix(".npy") ? String(path.dropLast(4)) : path) + ".vocab.txt"
                files = [(path, NumpyFormat.encode(rows: table.words.count, columns: table.dim, values: table.vectors)),
                         (vocabPath, try NumpyFormat.vocabulary(table))]
            case "safetensors":
                let tensor = SafetensorsFormat.Tensor(name: "embedding.weight", shape: [table.words.count, table.dim], values: table.vectors)
                files = [(path, SafetensorsFormat.encode([tensor], metadata: ["format": "pt", "producer": "wordmill", "kind": model.header.kind])),
                         (RecurrentExport.vocabularyPath(p, path: path), try NumpyFormat.vocabulary(table))]
            case "projector-tsv":
                let (labels, escaped) = ProjectorFormat.metadata(table)
                files = [(path + "/vectors.tsv", try ProjectorFormat.vectors(table)), (path + "/metadata.tsv", labels)]
                if escaped > 0 { note = ", \(escaped) labels escaped" }
            case "svg":
                let title = "\(model.header.stage): \(model.header.metadata["architecture"]?.stringValue ?? "") \(model.header.metadata["objective"]?.stringValue ?? "")"
                let svg: String
                if p.string("picture") == "loss" {
                    svg = SVGPlot.lossCurve(try model.readArray("loss_per_epoch", as: Double.self), title: "loss per epoch — " + title)
                } else {
                    svg = SVGPlot.embeddingProjection(table, count: p.int("words"), labelled: p.int("labels"), title: "PCA of the most frequent words — " + title)
                }
                files = [(path, Array(svg.utf8))]
            default:
                throw StageInputError("unknown format \(p.string("format"))")
            }
        } catch let error as ExportError {
            throw StageInputError(error.description)
        }
        let bytes = try writeFiles(files, context: context, counts: ["words": table.words.count, "dim": table.dim])
        return StageReport(counts: ["words": table.words.count, "dim": table.dim, "bytes": bytes],
                           summary: "\(table.words.count) vectors of \(table.dim) as \(p.string("format")) → \(files.map(\.0).joined(separator: ", ")) (\(formatBytes(bytes))\(note))")
    }

    /// Writes the files atomically and the stage's own artifact recording them; returns the bytes written.
    static func writeFiles(_ files: [(String, [UInt8])], context: StageContext, counts: [String: Int]) throws -> Int {
        var outputs: [JSONValue] = []
        var bytes = 0
        for (relative, content) in files {
            try AtomicFile.write(content, to: context.resolvePath(relative))
            outputs.append(["path": .string(relative), "bytes": .integer(content.count), "xxh64": .string(XXH64.hash(content).hex16)])
            bytes += content.count
        }
        try context.writeArtifact(kind: "export") { _ in (counts.merging(["bytes": bytes]) { a, _ in a }, ["outputs": .array(outputs), "format": .string(context.parameters.string("format"))]) }
        return bytes
    }

    /// The classifier formats: the model as JSON, or an evaluation's predictions.
    static func runClassifier(_ context: StageContext, input: ArtifactReader, format: String, kind: String) throws -> StageReport {
        guard input.header.kind == kind else {
            throw StageInputError("\(context.stage.jsonPath): format \"\(format)\" reads a '\(kind)' stage, but stage '\(input.header.stage)' made '\(input.header.kind)'")
        }
        let path = context.parameters.string("path")
        let content: [UInt8]
        var counts: [String: Int] = [:]
        if format == "naive-bayes-json" {
            let (model, featurizer) = try NaiveBayesArtifact.read(input)
            content = ClassifierFormats.naiveBayesJSON(model, featurizer: featurizer, tokenizer: input.header.metadata["tokenizer"] ?? .null)
            counts = ["classes": model.classes.count, "features": featurizer.features.count]
        } else {
            let (classes, predictions) = try ClassifierEvaluation.predictions(input)
            let records = predictions.map { PredictionRecord(document: $0.document, truth: classes[$0.truth], predicted: classes[$0.predicted], probability: $0.probability) }
            content = format == "predictions-csv" ? ClassifierFormats.predictionsCSV(records) : ClassifierFormats.predictionsJSONL(records)
            counts = ["predictions": records.count]
        }
        try AtomicFile.write(content, to: context.resolvePath(path))
        counts["bytes"] = content.count
        let outputs: [JSONValue] = [["path": .string(path), "bytes": .integer(content.count), "xxh64": .string(XXH64.hash(content).hex16)]]
        try context.writeArtifact(kind: "export") { _ in (counts, ["outputs": .array(outputs), "format": .string(format)]) }
        return StageReport(counts: counts, summary: "\(format) → \(path) (\(formatBytes(content.count)))")
    }
}
