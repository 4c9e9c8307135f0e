import Foundation

/// GloVe training settings (Stanford GloVe's `glove` flags in parentheses).
public struct GloVeConfig: Sendable, Equatable {
    public enum Vectors: String, Sendable, CaseIterable {
        /// Word plus context vectors, W + W̃ (`-model 2`, the default of GloVe's demo).
        case sum
        /// The word vectors W alone.
        case input
    }

    public var dim: Int
    /// Counts above this weigh fully (`-x-max`).
    public var xMax: Double
    /// Exponent of the weighting f(x) = (x / x_max)^alpha (`-alpha`).
    public var alpha: Double
    /// AdaGrad's initial learning rate (`-eta`).
    public var lr: Double
    public var epochs: Int
    /// Hogwild threads; 1 is bit-reproducible.
    public var threads: Int
    public var seed: UInt64
    /// Entries shuffled together: frames are taken in a random order, this many bytes of
    /// them at a time, and shuffled in memory (GloVe's `shuffle -memory`).
    public var shuffleBytes: Int
    public var vectors: Vectors

    public init(dim: Int = 100, xMax: Double = 100, alpha: Double = 0.75, lr: Double = 0.05, epochs: Int = 15, threads: Int = 1,
                seed: UInt64 = 1, shuffleBytes: Int = 192 << 20, vectors: Vectors = .sum) {
        self.dim = dim
        self.xMax = xMax
        self.alpha = alpha
        self.lr = lr
        self.epochs = epochs
        self.threads = threads
        self.seed = seed
        self.shuffleBytes = shuffleBytes
        self.vectors = vectors
    }
}

/// GloVe's weighted least-squares loss for one entry, ½ f(x) (w·w̃ + b + b̃ − log x)²,
/// and its gradient — in Double, the reference the trainer's Float loop follows.
public enum GloVeLoss {
    /// f(x) = (x / x_max)^alpha below x_max, else 1.
    public static func weight(_ x: Double, xMax: Double, alpha: Double) -> Double {
        x < xMax ? Foundation.pow(x / xMax, alpha) : 1
    }

    /// The loss and its gradients with respect to w, w̃, b and b̃.
    public static func gradient(word: [Double], context: [Double], wordBias: Double, contextBias: Double, x: Double, xMax: Double, alpha: Double)
        -> (loss: Double, word: [Double], context: [Double], wordBias: Double, contextBias: Double)
    {
        var dot = 0.0
        for k in word.indices { dot += word[k] * context[k] }
        let diff = dot + wordBias + contextBias - Foundation.log(x)
        let f = weight(x, xMax: xMax, alpha: alpha)
        let g = f * diff
        return (0.5 * f * diff * diff, context.map { g * $0 }, word.map { g * $0 }, g, g)
    }
}
