/// Training examples for the softmax word2vec, held in memory.
///
/// CBOW: each row of `inputs` holds the context ids (−1 marks "no word", for windows cut at
/// a document edge) and the target is the centre. Skip-gram: width 1, the input is the
/// centre and the target one context word (the lecture's `SkipGramDataset`: x = centre, y = context).
public struct Word2VecExamples: Sendable {
    public let inputs: [Int32]
    public let width: Int
    public let targets: [Int32]

    public init(inputs: [Int32], width: Int, targets: [Int32]) {
        precondition(width >= 1 && inputs.count == width * targets.count)
        self.inputs = inputs
        self.width = width
        self.targets = targets
    }

    public var count: Int { targets.count }
}

/// Settings of the lecture's softmax word2vec.
public struct SoftmaxWord2VecConfig: Sendable {
    public var vocabularySize: Int
    public var dim: Int
    public var lr: Float
    public var batchSize: Int
    public var epochs: Int
    /// A new permutation of the examples each epoch (the lecture's DataLoader keeps order).
    public var shuffle: Bool
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

/// Training stopped because the loss stopped being a number.
public enum TrainingError: Error, Sendable, CustomStringConvertible, Equatable {
    case nonFiniteLoss(epoch: Int, batch: Int, loss: Double)

    public var description: String {
        switch self {
        case .nonFiniteLoss(let epoch, let batch, let loss):
            return "the loss became \(loss) in epoch \(epoch), batch \(batch); lower lr (the parameters before that step are kept)"
        }
    }
}
