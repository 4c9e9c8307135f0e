import WordmillNumerics

/// The lecture's word2vec with a full softmax, for CBOW and skip-gram alike.
///
/// An embedding table (`nn.Embedding`) whose rows are summed over each example's inputs
/// (the CBOW context, or the single centre word for skip-gram), a linear layer with bias
/// onto the vocabulary (`nn.Linear`), mean cross-entropy over the batch
/// (`nn.CrossEntropyLoss`) and plain SGD (`torch.optim.SGD`).
///
/// Parameters are Float; losses are accumulated in Double. Matrix products go through BLAS
/// and the workspace is allocated once for `config.batchSize`, so training allocates
/// nothing per batch or per example. Not thread-safe: one model, one thread at a time.
public final class SoftmaxWord2Vec {
    /// The settings the model was made with.
    public let config: SoftmaxWord2VecConfig
    /// V×D embedding rows, row-major (`nn.Embedding.weight`); N(0, 1) at start.
    public internal(set) var inputVectors: [Float]
    /// V×D output weights, row-major (`nn.Linear.weight`); U(−1/√D, 1/√D) at start.
    public internal(set) var outputWeights: [Float]
    /// V output biases (`nn.Linear.bias`); U(−1/√D, 1/√D) at start.
    public internal(set) var outputBias: [Float]

    /// dLoss/dW (V×D) from the last `forwardBackward`.
    public internal(set) var gradWeights: [Float]
    /// dLoss/dBias (V) from the last `forwardBackward`.
    public internal(set) var gradBias: [Float]
    /// dLoss/dh (batchSize×D; the first `lastBatchCount` rows are valid) from the last
    /// `forwardBackward`. Each input id of example b receives row b of it.
    public internal(set) var gradHidden: [Float]
    /// How many examples the last `forwardBackward` saw (0 before the first).
    public internal(set) var lastBatchCount = 0

    // Workspace and the batch the gradients belong to.
    var hidden: [Float]
    var logits: [Float]
    var batchRows: [Int]
    var batchInputs: [Int32] = []
    var batchWidth = 1
    var generator: RandomGenerator

    /// A freshly initialised model, drawing from one `RandomGenerator(seed: config.seed)`:
    /// first the V×D embedding (`nextNormal()`, row-major), then the V×D output weights,
    /// then the V biases (both `nextUniform(−1/√D, 1/√D)`). The same generator then
    /// shuffles the examples when `config.shuffle` is on.
    public convenience init(config: SoftmaxWord2VecConfig) {
        Self.check(config)
        var g = RandomGenerator(seed: config.seed)
        let v = config.vocabularySize, d = config.dim
        var embedding = [Float](repeating: 0, count: v * d)
        for i in embedding.indices { embedding[i] = g.nextNormal() }
        let bound = 1 / Float(d).squareRoot()
        var weights = [Float](repeating: 0, count: v * d)
        for i in weights.indices { weights[i] = g.nextUniform(-bound, bound) }
        var bias = [Float](repeating: 0, count: v)
        for i in bias.indices { bias[i] = g.nextUniform(-bound, bound) }
        self.init(config: config, inputVectors: embedding, outputWeights: weights, outputBias: bias, generator: g)
    }

    /// A model with the given parameters (tests, loading a trained model). Shuffling, if
    /// on, draws from a fresh `RandomGenerator(seed: config.seed)`.
    public convenience init(config: SoftmaxWord2VecConfig, inputVectors: [Float], outputWeights: [Float], outputBias: [Float]) {
        self.init(config: config, inputVectors: inputVectors, outputWeights: outputWeights, outputBias: outputBias,
                  generator: RandomGenerator(seed: config.seed))
    }

    private init(config: SoftmaxWord2VecConfig, inputVectors: [Float], outputWeights: [Float], outputBias: [Float],
                 generator: RandomGenerator) {
        Self.check(config)
        let v = config.vocabularySize, d = config.dim, b = config.batchSize
        precondition(inputVectors.count == v * d, "inputVectors has \(inputVectors.count) values, not \(v)×\(d)")
        precondition(outputWeights.count == v * d, "outputWeights has \(outputWeights.count) values, not \(v)×\(d)")
        precondition(outputBias.count == v, "outputBias has \(outputBias.count) values, not \(v)")
        self.config = config
        self.inputVectors = inputVectors
        self.outputWeights = outputWeights
        self.outputBias = outputBias
        gradWeights = [Float](repeating: 0, count: v * d)
        gradBias = [Float](repeating: 0, count: v)
        gradHidden = [Float](repeating: 0, count: b * d)
        hidden = [Float](repeating: 0, count: b * d)
        logits = [Float](repeating: 0, count: b * v)
        batchRows = [Int](repeating: 0, count: b)
        self.generator = generator
    }

    private static func check(_ config: SoftmaxWord2VecConfig) {
        precondition(config.vocabularySize >= 1, "vocabularySize must be ≥ 1, got \(config.vocabularySize)")
        precondition(config.dim >= 1, "dim must be ≥ 1, got \(config.dim)")
        precondition(config.batchSize >= 1, "batchSize must be ≥ 1, got \(config.batchSize)")
        precondition(config.epochs >= 0, "epochs must be ≥ 0, got \(config.epochs)")
    }

    /// Trains for `config.epochs` epochs of `forwardBackward` + `sgdStep(lr: config.lr)` over
    /// consecutive batches of `config.batchSize` (the last one may be smaller), in example
    /// order like the lecture's `DataLoader`, or, with `config.shuffle`, in the order
    /// `generator.shuffle` makes of 0..<count anew each epoch.
    ///
    /// Returns the mean batch loss of each epoch and reports it to `progress` (epochs count
    /// from 1). A NaN or infinite batch loss throws `TrainingError.nonFiniteLoss` before
    /// that batch's step, leaving the parameters as they were.
    public func train(examples: Word2VecExamples, startEpoch: Int = 0,
                      progress: ((_ epoch: Int, _ meanLoss: Double) throws -> Void)? = nil) throws -> [Double] {
        guard examples.count > 0 else { throw TrainingError.noExamples }
        if let bad = examples.firstInvalidID(vocabularySize: config.vocabularySize) {
            throw TrainingError.invalidID(example: bad.example, id: bad.id, vocabularySize: config.vocabularySize)
        }
        var order = Array(0..<examples.count)
        var losses: [Double] = []
        losses.reserveCapacity(config.epochs)
        for epoch in stride(from: startEpoch + 1, through: config.epochs, by: 1) {
            if config.shuffle {
                for i in order.indices { order[i] = i }
                generator.shuffle(&order)
            }
            var total = 0.0
            var batch = 0
            var start = 0
            while start < order.count {
                let end = min(order.count, start + config.batchSize)
                let loss = forwardBackward(examples: examples, rows: order[start..<end])
                batch += 1
                guard loss.isFinite else { throw TrainingError.nonFiniteLoss(epoch: epoch, batch: batch, loss: loss) }
                sgdStep(lr: config.lr)
                total += loss
                start = end
            }
            let mean = total / Double(batch)
            losses.append(mean)
            try progress?(epoch, mean)
        }
        return losses
    }

    /// What a checkpoint keeps: the parameters and the shuffling generator's state.
    public var checkpointState: (inputVectors: [Float], outputWeights: [Float], outputBias: [Float], generator: [UInt64]) {
        (inputVectors, outputWeights, outputBias, generator.state)
    }

    /// Restores a checkpoint of a model of the same sizes; false (nothing changed) otherwise.
    public func restore(inputVectors: [Float], outputWeights: [Float], outputBias: [Float], generator state: [UInt64]) -> Bool {
        guard inputVectors.count == self.inputVectors.count, outputWeights.count == self.outputWeights.count,
              outputBias.count == self.outputBias.count, let g = RandomGenerator(state: state) else { return false }
        (self.inputVectors, self.outputWeights, self.outputBias, generator) = (inputVectors, outputWeights, outputBias, g)
        return true
    }
}
