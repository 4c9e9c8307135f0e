import WordmillArtifacts
import WordmillExport
import WordmillModels
import WordmillPipeline

/// `export`: a model artifact → files other tools read. The only stage that writes outside
/// the artifact directory; its own artifact records each file's size and hash so a
/// deleted or edited export is noticed and rewritten.
enum ExportOperation {
    static let formats = ["word2vec-text", "word2vec-binary", "glove-text", "npy", "projector-tsv", "svg"]

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
            "projector-tsv": [],
            "svg": [
                ParameterSpec("picture", .string(choices: ["embeddings", "loss"]), default: "embeddings",
                              doc: "embeddings: the most frequent words projected to 2-D (PCA); loss: the loss per epoch"),
                ParameterSpec("words", .integer(min: 2, max: 100_000), default: 500, doc: "how many of the most frequent words to plot"),
                ParameterSpec("labels", .integer(min: 0, max: 100_000), default: 100, doc: "how many of them to label"),
            ],
        ],
        inputs: [InputSlot("model", kinds: EmbeddingTable.artifactKinds)],
        outputKind: { _ in "export" },
        algorithmVersion: 1,
        run: run)

    static func run(_ context: StageContext) throws -> StageReport {
        let p = context.parameters
        let model = context.input("model")
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
        var outputs: [JSONValue] = []
        var bytes = 0
        for (relative, content) in files {
            try AtomicFile.write(content, to: context.resolvePath(relative))
            outputs.append(["path": .string(relative), "bytes": .integer(content.count), "xxh64": .string(XXH64.hash(content).hex16)])
            bytes += content.count
        }
        let counts = ["words": table.words.count, "dim": table.dim, "bytes": bytes]
        try context.writeArtifact(kind: "export") { _ in (counts, ["outputs": .array(outputs), "format": .string(p.string("format"))]) }
        return StageReport(counts: counts, summary: "\(table.words.count) vectors of \(table.dim) as \(p.string("format")) → \(files.map(\.0).joined(separator: ", ")) (\(formatBytes(bytes))\(note))")
    }
}
