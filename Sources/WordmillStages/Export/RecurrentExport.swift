import WordmillArtifacts
import WordmillExport
import WordmillModels
import WordmillPipeline

/// `export` of an `rnn` model: its weights as safetensors under PyTorch's names
/// (`embedding.weight`, `rnn.weight_ih_l0` …, `head.weight`, `head.bias`) with its tokens in
/// a text file, or its loss curve as SVG.
enum RecurrentExport {
    static func vocabularyPath(_ p: [String: JSONValue], path: String) -> String {
        p.optionalString("vocab_path") ?? (path.hasSuffix(".safetensors") ? String(path.dropLast(12)) : path) + ".vocab.txt"
    }

    static func run(_ context: StageContext, model reader: ArtifactReader, format: String) throws -> StageReport {
        let p = context.parameters, path = p.string("path")
        let model = try RecurrentArtifact.read(reader)
        var files: [(String, [UInt8])] = []
        switch format {
        case "safetensors":
            let tensors = model.layout.parameters.tensors.map {
                SafetensorsFormat.Tensor(name: $0.name, shape: $0.shape, values: Array(model.parameters[$0.offset..<($0.offset + $0.count)]))
            }
            let r = model.config.recurrent
            let metadata = [
                "format": "pt", "producer": "wordmill", "task": model.config.task.rawValue, "cell": r.cell.rawValue,
                "embedding_dim": String(r.inputSize), "hidden": String(r.hiddenSize), "layers": String(r.layers), "bidirectional": String(r.bidirectional),
                "classes": JSONValue.array(model.classes.map { .string($0) }).canonicalText,
            ]
            var vocabulary: [UInt8] = []
            for (id, token) in model.vocabulary.enumerated() {
                if token.isEmpty || token.contains(where: \.isNewline) {
                    throw StageInputError("token \(id) of model '\(reader.header.stage)' cannot be written one per line (it is empty or holds a line break)")
                }
                vocabulary.append(contentsOf: token.utf8)
                vocabulary.append(0x0A)
            }
            files = [(path, SafetensorsFormat.encode(tensors, metadata: metadata)), (vocabularyPath(p, path: path), vocabulary)]
        case "svg" where p.string("picture") == "loss":
            let losses = (reader.header.metadata["loss_per_epoch"]?.arrayValue ?? []).compactMap(\.doubleValue)
            files = [(path, Array(SVGPlot.lossCurve(losses, title: "loss per epoch — \(reader.header.stage): \(model.config.recurrent.cell.rawValue) \(model.config.task.rawValue)").utf8))]
        default:
            throw StageInputError("\(context.stage.jsonPath): stage '\(reader.header.stage)' is an rnn model; it exports as \"safetensors\" or \"svg\" with \"picture\": \"loss\", not \"\(format)\"\(format == "svg" ? " with picture embeddings" : "")")
        }
        let bytes = try ExportOperation.writeFiles(files, context: context, counts: ["parameters": model.parameters.count])
        return StageReport(counts: ["parameters": model.parameters.count, "bytes": bytes], summary: "\(format) → \(files.map(\.0).joined(separator: ", ")) (\(formatBytes(bytes)))")
    }
}
