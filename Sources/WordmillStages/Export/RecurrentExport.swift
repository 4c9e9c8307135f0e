import WordmillArtifacts
import WordmillExport
import WordmillModels
import WordmillPipeline
import WordmillSupport

/// `export` of an `rnn` model: its weights as safetensors under PyTorch's names
/// (`embedding.weight`, `rnn.weight_ih_l0` …, `head.weight`, `head.bias`) with its tokens in
/// a text file, or its loss curve as SVG.
enum RecurrentExport {
    /// The weights as safetensors under PyTorch's names, and the tokens one per line in id order.
    static func safetensors(_ context: StageContext, model reader: ArtifactReader) throws -> StageReport {
        let p = context.parameters
        let model = try RecurrentArtifact.read(reader)
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
        return try write(context, model: model, files: [(p.string("path"), SafetensorsFormat.encode(tensors, metadata: metadata)), (p.string("vocab_path"), vocabulary)])
    }

    /// The loss per epoch as an SVG line chart (the loader allows only `picture: loss` for an rnn model).
    static func lossCurve(_ context: StageContext, model reader: ArtifactReader) throws -> StageReport {
        let model = try RecurrentArtifact.read(reader)
        let losses = (reader.header.metadata["loss_per_epoch"]?.arrayValue ?? []).compactMap(\.doubleValue)
        let title = "loss per epoch — \(reader.header.stage): \(model.config.recurrent.cell.rawValue) \(model.config.task.rawValue)"
        return try write(context, model: model, files: [(context.parameters.string("path"), Array(SVGPlot.lossCurve(losses, title: title).utf8))])
    }

    private static func write(_ context: StageContext, model: RecurrentArtifact.Model, files: [(String, [UInt8])]) throws -> StageReport {
        let bytes = try ExportOperation.writeFiles(files, context: context, counts: ["parameters": model.parameters.count])
        return StageReport(counts: ["parameters": model.parameters.count, "bytes": bytes],
                           summary: "\(context.stage.variant.name) → \(files.map(\.0).joined(separator: ", ")) (\(formatBytes(bytes)))")
    }
}
