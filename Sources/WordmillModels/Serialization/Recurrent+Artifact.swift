import WordmillArtifacts
import WordmillData
import WordmillSupport

/// The `rnn` model artifact: `vocabulary` (records: the model's tokens by id), `classes`
/// (records: labels or tags; empty for a language model), `parameters` (f32: every tensor
/// end to end, PyTorch names and shapes listed in `metadata.tensors`). Metadata also holds
/// the task, the cell and sizes, the tokenizer that made the training tokens (so `predict`
/// and `generate` split new text the same way) and the per-epoch history.
///
/// A checkpoint (`rnn-checkpoint`) is the same plus the optimiser state (`optimizer.first`,
/// `optimizer.second`, f32) and `metadata.epoch`/`optimizer_steps`.
public enum RecurrentArtifact {
    public static let kind = "rnn"
    public static let checkpointKind = "rnn-checkpoint"

    /// What a model artifact holds.
    public struct Model {
        public var config: RecurrentModelConfig
        public var parameters: [Float]
        public var vocabulary: [String]
        public var classes: [String]
        public var tokenizer: JSONValue
        public var metadata: [String: JSONValue]
        public var layout: RecurrentModelLayout { RecurrentModelLayout(config) }
    }

    public static func write(parameters: [Float], vocabulary: [String], classes: [String], to writer: ArtifactWriter) throws {
        try writer.writeStrings("vocabulary", vocabulary)
        try writer.writeStrings("classes", classes)
        try writer.writeSection("parameters", type: .f32, values: parameters)
    }

    /// The metadata `read` needs: the model's shape and the tensor table.
    public static func metadata(_ config: RecurrentModelConfig, tokenizer: JSONValue) -> [String: JSONValue] {
        let r = config.recurrent
        let tensors: [JSONValue] = RecurrentModelLayout(config).parameters.tensors.map {
            ["name": .string($0.name), "shape": .array($0.shape.map { .integer($0) })]
        }
        return [
            "task": .string(config.task.rawValue), "cell": .string(r.cell.rawValue), "embedding_dim": .integer(r.inputSize),
            "hidden": .integer(r.hiddenSize), "layers": .integer(r.layers), "bidirectional": .bool(r.bidirectional),
            "dropout": .double(Double(config.dropout)), "vocabulary_size": .integer(config.vocabularySize), "outputs": .integer(config.outputs),
            "tensors": .array(tensors), "tokenizer": tokenizer,
        ]
    }

    /// Reads a model (or checkpoint) artifact and checks its sizes agree.
    public static func read(_ reader: ArtifactReader) throws -> Model {
        let m = reader.header.metadata
        func damaged(_ why: String) -> ArtifactError { .damaged(path: reader.path, reason: why) }
        guard let task = m["task"]?.stringValue.flatMap(RecurrentTask.init(rawValue:)),
              let cell = m["cell"]?.stringValue.flatMap(RecurrentCell.init(rawValue:)),
              let embedding = m["embedding_dim"]?.intValue, let hidden = m["hidden"]?.intValue, let layers = m["layers"]?.intValue,
              let bidirectional = m["bidirectional"]?.boolValue, let vocabularySize = m["vocabulary_size"]?.intValue,
              let outputs = m["outputs"]?.intValue, embedding > 0, hidden > 0, layers > 0, vocabularySize > 0, outputs > 0
        else { throw damaged("metadata does not describe a recurrent model (task, cell, sizes)") }
        let config = RecurrentModelConfig(
            task: task, vocabularySize: vocabularySize,
            recurrent: RecurrentShape(cell: cell, inputSize: embedding, hiddenSize: hidden, layers: layers, bidirectional: bidirectional),
            outputs: outputs, dropout: Float(m["dropout"]?.doubleValue ?? 0))
        let vocabulary = try reader.readStrings("vocabulary")
        let classes = try reader.readStrings("classes")
        let parameters = try reader.readArray("parameters", as: Float.self)
        let layout = RecurrentModelLayout(config)
        guard vocabulary.count == vocabularySize, parameters.count == layout.count,
              task == .lm ? outputs == vocabularySize : classes.count == outputs
        else { throw damaged("sections disagree with the model's sizes (\(vocabulary.count) tokens, \(classes.count) classes, \(parameters.count) parameters for \(layout.count))") }
        return Model(config: config, parameters: parameters, vocabulary: vocabulary, classes: classes, tokenizer: m["tokenizer"] ?? .null, metadata: m)
    }
}
