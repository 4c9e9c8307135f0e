/// What a recurrent model predicts.
public enum RecurrentTask: String, Sendable, CaseIterable, Codable {
    /// One label per sequence, from the last layer's final hidden state (both directions concatenated).
    case classify
    /// One label per token, from the top layer's output at each step.
    case tag
    /// The next token at each step (a language model).
    case lm
}

/// The sizes of an embedding → recurrent stack → linear head model.
public struct RecurrentModelConfig: Sendable, Equatable, Codable {
    public var task: RecurrentTask
    /// Rows of the embedding table (the `sequences` vocabulary, `<pad>` and `<unk>` included).
    public var vocabularySize: Int
    public var recurrent: RecurrentShape
    /// Classes (classify, tag) or the vocabulary size (lm).
    public var outputs: Int
    public var dropout: Float

    public init(task: RecurrentTask, vocabularySize: Int, recurrent: RecurrentShape, outputs: Int, dropout: Float = 0) {
        self.task = task
        self.vocabularySize = vocabularySize
        self.recurrent = recurrent
        self.outputs = outputs
        self.dropout = dropout
    }

    public var embeddingDim: Int { recurrent.inputSize }
    /// Width of the features the head reads: hidden × directions.
    public var featureSize: Int { recurrent.outputSize }
}

/// Where each part of a recurrent model sits in its flat parameter vector: `embedding.weight`
/// (vocabulary × embedding), the stack as `rnn.weight_ih_l0` … (PyTorch's names), then
/// `head.weight` (outputs × features) and `head.bias`.
public struct RecurrentModelLayout: Sendable, Equatable {
    public let parameters: ParameterLayout
    public let embedding: Int
    public let recurrent: [RecurrentLayerOffsets]
    public let headWeight: Int
    public let headBias: Int

    public init(_ config: RecurrentModelConfig) {
        var layout = ParameterLayout()
        embedding = layout.add("embedding.weight", shape: [config.vocabularySize, config.embeddingDim])
        recurrent = layout.addRecurrent(config.recurrent, prefix: "rnn.")
        headWeight = layout.add("head.weight", shape: [config.outputs, config.featureSize])
        headBias = layout.add("head.bias", shape: [config.outputs])
        parameters = layout
    }

    public var count: Int { parameters.count }
    /// The parameters after the embedding table (what stays trainable when embeddings are frozen).
    public var afterEmbedding: Range<Int> { recurrent[0].weightIH..<count }
}
