import WordmillArtifacts
import WordmillText

/// The `word2vec` model artifact: the vocabulary's sections, `input_vectors` (f32 V×D, the
/// word vectors: the lecture's `model.embedding`, word2vec.c's syn0) and `loss_per_epoch`
/// (f64); counts `vocab_size` and `dim`. The softmax model adds `output_weights` (f32 V×D)
/// and `output_bias` (f32 V); negative sampling adds `output_vectors` (V×D, syn1neg) and
/// hierarchical softmax `output_vectors` ((V−1)×D, syn1).
public enum Word2VecArtifact {
    public static let kind = "word2vec"

    /// Writes a trained softmax model's sections into an open artifact.
    public static func write(_ model: SoftmaxWord2Vec, vocabulary: Vocabulary, losses: [Double], to writer: ArtifactWriter) throws {
        try vocabulary.write(to: writer)
        try writer.writeSection("input_vectors", type: .f32, values: model.inputVectors)
        try writer.writeSection("output_weights", type: .f32, values: model.outputWeights)
        try writer.writeSection("output_bias", type: .f32, values: model.outputBias)
        try writer.writeSection("loss_per_epoch", type: .f64, values: losses)
    }

    /// Writes a corpus-scale model's sections into an open artifact.
    public static func write(_ trainer: Word2VecTrainer, vocabulary: Vocabulary, losses: [Double], to writer: ArtifactWriter) throws {
        try vocabulary.write(to: writer)
        try writer.writeSection("input_vectors", type: .f32, values: trainer.wordVectors)
        try writer.writeSection("output_vectors", type: .f32, values: trainer.contextVectors)
        try writer.writeSection("loss_per_epoch", type: .f64, values: losses)
    }
}

extension EmbeddingTable {
    /// Artifact kinds that carry word vectors.
    public static let artifactKinds = [Word2VecArtifact.kind, GloVeArtifact.kind, FastTextSubwordArtifact.kind]

    /// The input vectors of a model artifact with their words.
    public init(reader: ArtifactReader) throws {
        guard EmbeddingTable.artifactKinds.contains(reader.header.kind) else {
            throw ArtifactError.wrongKind(path: reader.path, found: reader.header.kind, expected: EmbeddingTable.artifactKinds)
        }
        let vocabulary = try Vocabulary(reader: reader)
        let vectors = try reader.readArray("input_vectors", as: Float.self)
        guard let dim = reader.header.counts["dim"], dim > 0, vectors.count == vocabulary.count * dim else {
            throw ArtifactError.damaged(path: reader.path, reason: "input_vectors holds \(vectors.count) values for \(vocabulary.count) words of dimension \(reader.header.counts["dim"] ?? 0)")
        }
        self.init(words: vocabulary.tokens, dim: dim, vectors: vectors)
    }
}
