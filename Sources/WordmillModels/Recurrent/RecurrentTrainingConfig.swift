import Foundation

/// How a recurrent model is trained (the `train` stage's settings beyond the model's sizes).
public struct RecurrentTrainingConfig: Sendable, Equatable {
    public var epochs: Int
    public var batchSize: Int
    public var seed: UInt64
    /// Workers that split each batch; 1 is bit-reproducible.
    public var threads: Int
    /// Batches of documents of similar length (shuffled in pools of 50 batches, then the
    /// batches shuffled), so each packed step keeps more live rows.
    public var bucketByLength: Bool
    public var optimizer: OptimizerConfig
    public var freezeEmbedding: Bool
    /// Bytes of documents held at once: a training block, an evaluation block, or the
    /// language model's column buffers together.
    public var memoryBytes: Int

    public init(epochs: Int, batchSize: Int, seed: UInt64, threads: Int = 1, bucketByLength: Bool = true,
                optimizer: OptimizerConfig, freezeEmbedding: Bool = false, memoryBytes: Int) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.seed = seed
        self.threads = threads
        self.bucketByLength = bucketByLength
        self.optimizer = optimizer
        self.freezeEmbedding = freezeEmbedding
        self.memoryBytes = memoryBytes
    }
}

/// What one epoch did: mean training loss, tokens trained on, seconds, and the validation
/// loss and accuracy (classify, tag) or perplexity (lm) on the held-out documents, when any.
public struct RecurrentEpochRecord: Sendable, Equatable {
    public var epoch: Int
    public var loss: Double
    public var tokens: Int
    public var seconds: Double
    public var validationLoss: Double?
    public var validationAccuracy: Double?

    public init(epoch: Int, loss: Double, tokens: Int, seconds: Double, validationLoss: Double? = nil, validationAccuracy: Double? = nil) {
        self.epoch = epoch
        self.loss = loss
        self.tokens = tokens
        self.seconds = seconds
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
    }

    /// exp(validation loss): the language model's perplexity.
    public var validationPerplexity: Double? { validationLoss.map { Foundation.exp($0) } }
}
