import WordmillArtifacts
import WordmillExport
import WordmillModels
import WordmillPipeline
import WordmillSupport

/// `export`: a model artifact → files other tools read. The only stage that writes outside
/// the artifact directory; its own artifact records each file's size and hash so a
/// deleted or edited export is noticed and rewritten. `format` names the variant; each
/// format declares the kinds it reads and its own parameters.
enum ExportOperation {
    /// The kind every export stage writes.
    static let artifactKind = "export"

    static let definition = OperationDefinition(
        name: "export",
        summary: "write vectors in formats other tools read, or pictures",
        parameters: [
            ParameterSpec("path", .string(), doc: "output file (a folder for projector-tsv), relative to the spec's folder"),
        ],
        selector: .parameter("format"),
        variants: [
            wordVectors("word2vec-text", summary: "word2vec text: a `V D` header, then a word and its values per line") { table, _, p in
                ([(p.string("path"), try Word2VecTextFormat.encode(table))], "")
            },
            wordVectors("word2vec-binary", summary: "word2vec binary, as gensim's load_word2vec_format(binary=True) reads it") { table, _, p in
                ([(p.string("path"), try Word2VecBinaryFormat.encode(table))], "")
            },
            wordVectors("glove-text", summary: "GloVe text: a word and its values per line, no header") { table, _, p in
                ([(p.string("path"), try GloVeTextFormat.encode(table))], "")
            },
            wordVectors("npy", summary: "a NumPy .npy float32 matrix and its words, one per line in row order",
                        parameters: [vocabularyPath(replacing: ".npy")]) { table, _, p in
                ([(p.string("path"), NumpyFormat.encode(rows: table.words.count, columns: table.dim, values: table.vectors)),
                  (p.string("vocab_path"), try NumpyFormat.vocabulary(table))], "")
            },
            wordVectors("projector-tsv", summary: "TensorBoard projector: vectors.tsv and metadata.tsv in the folder `path`") { table, _, p in
                let (labels, escaped) = ProjectorFormat.metadata(table)
                let path = p.string("path")
                return ([(path + "/vectors.tsv", try ProjectorFormat.vectors(table)), (path + "/metadata.tsv", labels)],
                        escaped > 0 ? ", \(escaped) labels escaped" : "")
            },
            safetensors, svg,
            ClassifierExport.naiveBayesJSON, FastTextExport.bin,
            ClassifierExport.predictions("predictions-csv", summary: "an evaluation's predictions as CSV", encoding: ClassifierFormats.predictionsCSV),
            ClassifierExport.predictions("predictions-jsonl", summary: "an evaluation's predictions as JSON lines", encoding: ClassifierFormats.predictionsJSONL),
        ])

    /// `vocab_path`, by default the export's path with `suffix` replaced by `.vocab.txt`.
    static func vocabularyPath(replacing suffix: String) -> ParameterSpec {
        ParameterSpec("vocab_path", .string(), default: .derived(doc: "`path` with its .npy or .safetensors replaced by .vocab.txt") { s in
            s["path"]?.stringValue.map { .string((($0.hasSuffix(suffix) ? String($0.dropLast(suffix.count)) : $0) + ".vocab.txt")) }
        }, doc: "where the words go, one per line in row order")
    }

    /// A format that writes the word vectors of a word2vec or GloVe stage: `encode` returns
    /// the files and a note for the summary.
    static func wordVectors(
        _ name: String, summary: String, parameters: [ParameterSpec] = [],
        encode: @escaping @Sendable (EmbeddingTable, ArtifactReader, [String: JSONValue]) throws -> ([(String, [UInt8])], String)
    ) -> VariantDeclaration {
        VariantDeclaration(name: name, summary: summary, parameters: parameters, inputs: [InputSlot("model", kinds: EmbeddingTable.artifactKinds)],
                           outputKind: artifactKind, algorithmVersion: 1) { context in
            try exportVectors(context) { table, model in try encode(table, model, context.parameters) }
        }
    }

    /// Reads the word vectors, writes what `encode` makes of them and reports it.
    static func exportVectors(_ context: StageContext, encode: (EmbeddingTable, ArtifactReader) throws -> ([(String, [UInt8])], String)) throws -> StageReport {
        let model = context.input("model")
        let table = try EmbeddingTable(reader: model)
        let files: [(String, [UInt8])], note: String
        do { (files, note) = try encode(table, model) } catch let error as ExportError { throw StageInputError(error.description) }
        let bytes = try writeFiles(files, context: context, counts: ["words": table.words.count, "dim": table.dim])
        return StageReport(counts: ["words": table.words.count, "dim": table.dim, "bytes": bytes],
                           summary: "\(table.words.count) vectors of \(table.dim) as \(context.stage.variant.name) → \(files.map(\.0).joined(separator: ", ")) (\(formatBytes(bytes))\(note))")
    }

    static let safetensors = VariantDeclaration(
        name: "safetensors", summary: "safetensors with PyTorch's parameter names (word vectors as embedding.weight, or an rnn model's weights)",
        parameters: [vocabularyPath(replacing: ".safetensors")],
        inputs: [InputSlot("model", kinds: EmbeddingTable.artifactKinds + [RecurrentArtifact.kind])], outputKind: artifactKind, algorithmVersion: 1
    ) { context in
        let model = context.input("model")
        if model.header.kind == RecurrentArtifact.kind { return try RecurrentExport.safetensors(context, model: model) }
        return try exportVectors(context) { table, model in
            let tensor = SafetensorsFormat.Tensor(name: "embedding.weight", shape: [table.words.count, table.dim], values: table.vectors)
            return ([(context.parameters.string("path"), SafetensorsFormat.encode([tensor], metadata: ["format": "pt", "producer": "wordmill", "kind": model.header.kind])),
                     (context.parameters.string("vocab_path"), try NumpyFormat.vocabulary(table))], "")
        }
    }

    /// What an `svg` export draws.
    enum Picture: String, CaseIterable { case embeddings, loss }

    static let svg = VariantDeclaration(
        name: "svg", summary: "a picture: the embedding's most frequent words projected to 2-D, or the loss per epoch",
        parameters: [
            ParameterSpec("picture", .string(choices: Picture.allCases.map(\.rawValue)), default: "embeddings",
                          doc: "embeddings: the most frequent words projected to 2-D (PCA); loss: the loss per epoch"),
            ParameterSpec("words", .integer(min: 2, max: 100_000), default: 500, onlyWith: ParameterCondition("picture", [Picture.embeddings]),
                          doc: "how many of the most frequent words to plot"),
            ParameterSpec("labels", .integer(min: 0, max: 100_000), default: 100, onlyWith: ParameterCondition("picture", [Picture.embeddings]),
                          doc: "how many of them to label"),
        ],
        inputs: [InputSlot("model", kinds: EmbeddingTable.artifactKinds + [RecurrentArtifact.kind])], outputKind: artifactKind, algorithmVersion: 1,
        check: { c in
            guard c.parameters.choice("picture", as: Picture.self) == .embeddings, let model = c.upstream["model"], model.variant.outputKind == RecurrentArtifact.kind else { return [] }
            return [c.issue("picture", "stage '\(model.name)' is an rnn model: it draws \"picture\": \"loss\", not its embeddings")]
        }
    ) { context in
        let model = context.input("model"), p = context.parameters
        if model.header.kind == RecurrentArtifact.kind { return try RecurrentExport.lossCurve(context, model: model) }
        return try exportVectors(context) { table, model in
            let title = "\(model.header.stage): \(model.header.metadata["architecture"]?.stringValue ?? "") \(model.header.metadata["objective"]?.stringValue ?? "")"
            let svg = p.choice("picture", as: Picture.self) == .loss
                ? SVGPlot.lossCurve(try model.readArray("loss_per_epoch", as: Double.self), title: "loss per epoch — " + title)
                : SVGPlot.embeddingProjection(table, count: p.int("words"), labelled: p.int("labels"), title: "PCA of the most frequent words — " + title)
            return ([(p.string("path"), Array(svg.utf8))], "")
        }
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
        try context.writeArtifact(kind: artifactKind) { _ in
            (counts.merging(["bytes": bytes]) { a, _ in a }, ["outputs": .array(outputs), "format": .string(context.stage.variant.name)])
        }
        return bytes
    }

    /// Writes one file that `produce` streams through a `StreamedFile`, then the stage's
    /// artifact recording it (`counts` is read after `produce`); returns the file's bytes.
    static func writeStreamedFile(_ relative: String, context: StageContext, counts: () -> [String: Int],
                                  produce: (StreamedFile) throws -> Void) throws -> Int {
        let out = try StreamedFile(path: context.resolvePath(relative))
        try produce(out)
        let (bytes, hash) = try out.commit()
        let outputs: [JSONValue] = [["path": .string(relative), "bytes": .integer(bytes), "xxh64": .string(hash.hex16)]]
        try context.writeArtifact(kind: artifactKind) { _ in
            (counts().merging(["bytes": bytes]) { a, _ in a }, ["outputs": .array(outputs), "format": .string(context.stage.variant.name)])
        }
        return bytes
    }
}
