/// Settings of the lecture's softmax word2vec (`batch_size`, `learning_rate`, `num_epochs`, …).
public struct SoftmaxWord2VecConfig: Sendable, Equatable {
    /// V: rows of the embedding and outputs of the linear layer.
    public var vocabularySize: Int
    /// D: the embedding width (the lecture uses 256).
    public var dim: Int
    /// Plain SGD learning rate (the lecture uses 5e-4).
    public var lr: Float
    /// Examples per batch; the last batch of an epoch may be smaller (the lecture uses 4).
    public var batchSize: Int
    /// Passes over the examples (the lecture uses 5).
    public var epochs: Int
    /// A new permutation of the examples each epoch; off by default, like the lecture's `DataLoader`.
    public var shuffle: Bool
    /// Seeds the parameter initialisation and the shuffling.
    public var seed: UInt64

    public init(vocabularySize: Int, dim: Int, lr: Float, batchSize: Int, epochs: Int, shuffle: Bool = false, seed: UInt64 = 1) {
        self.vocabularySize = vocabularySize
        self.dim = dim
        self.lr = lr
        self.batchSize = batchSize
        self.epochs = epochs
        self.shuffle = shuffle
        self.seed = seed
    }
}

/// Why `SoftmaxWord2Vec.train` stopped.
public enum TrainingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The loss of a batch was NaN or infinite (epoch and batch count from 1); that batch's
    /// step was not applied, so the parameters are those from before it.
    case nonFiniteLoss(epoch: Int, batch: Int, loss: Double)
    /// There was nothing to train on.
    case noExamples
    /// An example holds an id outside the vocabulary (inputs may also be −1).
    case invalidID(example: Int, id: Int32, vocabularySize: Int)

    public var description: String {
        switch self {
        case .nonFiniteLoss(let epoch, let batch, let loss):
            return "the loss became \(loss) in epoch \(epoch), batch \(batch); try a lower lr (the parameters from before that step are kept)"
        case .noExamples:
            return "there are no training examples"
        case .invalidID(let example, let id, let v):
            return "example \(example) holds id \(id), outside the vocabulary of \(v) words"
        }
    }
}
