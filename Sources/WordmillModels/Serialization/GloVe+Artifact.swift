import WordmillArtifacts
import WordmillText

/// The `glove` model artifact: the vocabulary's sections, `input_vectors` (f32 V×D: the
/// vectors to use — W + W̃ or W, per `metadata.vectors` — under the name every word-vector
/// reader looks for), `word_vectors` and `context_vectors` (f32 V×D), `word_biases` and
/// `context_biases` (f32 V), `loss_per_epoch` (f64); counts `vocab_size`, `dim`, `entries`.
public enum GloVeArtifact {
    public static let kind = "glove"

    /// Writes a trained model's sections into an open artifact.
    public static func write(_ trainer: GloVeTrainer, vocabulary: Vocabulary, losses: [Double], to writer: ArtifactWriter) throws {
        try vocabulary.write(to: writer)
        // Streamed from the trainer's rows: no copy of a V × dim matrix (ValueStream cuts the
        // frames writeSection would).
        for (name, matrix) in [("input_vectors", GloVeMatrix.exported), ("word_vectors", .word), ("context_vectors", .context)] {
            var stream = ValueStream<Float>(writer: writer, name: name, type: .f32)
            try trainer.forEachValue(of: matrix) { try stream.append($0) }
            try stream.finish()
        }
        try writer.writeSection("word_biases", type: .f32, values: trainer.wordBiases)
        try writer.writeSection("context_biases", type: .f32, values: trainer.contextBiases)
        try writer.writeSection("loss_per_epoch", type: .f64, values: losses)
    }
}
