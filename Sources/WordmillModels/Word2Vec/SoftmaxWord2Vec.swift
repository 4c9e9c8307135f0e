import WordmillNumerics

/// The lecture's word2vec with a full softmax: an embedding table (`nn.Embedding`) whose
/// rows are summed over a CBOW context (or taken alone for skip-gram), then a linear layer
/// with bias onto the vocabulary (`nn.Linear`), mean cross-entropy over the batch, plain SGD.
///
/// Matrix products go through BLAS; the workspace is allocated once for `batchSize`, so
/// nothing allocates per batch or per example.
public final class SoftmaxWord2Vec {
    public let config: SoftmaxWord2VecConfig
    /// V×D embedding rows (`nn.Embedding.weight`), N(0, 1) at start.
    public private(set) var inputVectors: [Float]
    /// V×D output weights (`nn.Linear.weight`), U(−1/√D, 1/√D) at start.
    public private(set) var outputWeights: [Float]
    /// V output biases (`nn.Linear.bias`), U(−1/√D, 1/√D) at start.
    public private(set) var outputBias: [Float]

    /// Gradients of the last `forwardBackward`: dW (V×D), dBias (V), dH (B×D).
    public private(set) var gradWeights: [Float]
    public private(set) var gradBias: [Float]
    public private(set) var gradHidden: [Float]
    private var hidden: [Float]
    private var logits: [Float]
    private var batchRows: [Int]
    private var batchCount = 0
    private var generator: RandomGenerator

    /// Initialises like PyTorch, drawing embedding, then weights, then biases from one generator.
    public convenience init(config: SoftmaxWord2VecConfig) {
        var g = RandomGenerator(seed: config.seed)
        let v = config.vocabularySize, d = config.dim
        let embedding = (0..<(v * d)).map { _ in g.nextNormal() }
        let bound = 1 / Float(d).squareRoot()
        let weights = (0..<(v * d)).map { _ in g.nextUniform(-bound, bound) }
        let bias = (0..<v).map { _ in g.nextUniform(-bound, bound) }
        self.init(config: config, inputVectors: embedding, outputWeights: weights, outputBias: bias, generator: g)
    }

    /// A model with given parameters (tests, loading).
    public init(config: SoftmaxWord2VecConfig, inputVectors: [Float], outputWeights: [Float], outputBias: [Float],
                generator: RandomGenerator? = nil) {
        let v = config.vocabularySize, d = config.dim, b = config.batchSize
        precondition(inputVectors.count == v * d && outputWeights.count == v * d && outputBias.count == v)
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
        self.generator = generator ?? RandomGenerator(seed: config.seed &+ 0x5EED)
    }

    /// Forward and backward pass over the examples at `rows` (at most `batchSize`); returns
    /// the batch's mean cross-entropy and leaves the gradients in `grad*`.
    public func forwardBackward(_ examples: Word2VecExamples, rows: some Collection<Int>) -> Double {
        let v = config.vocabularySize, d = config.dim, width = examples.width
        let b = rows.count
        precondition(b >= 1 && b <= config.batchSize)
        for (k, r) in rows.enumerated() { batchRows[k] = r }
        batchCount = b
        var loss = 0.0
        examples.inputs.withUnsafeBufferPointer { inputs in
        examples.targets.withUnsafeBufferPointer { targets in
        inputVectors.withUnsafeBufferPointer { embedding in
        outputWeights.withUnsafeBufferPointer { weights in
        outputBias.withUnsafeBufferPointer { bias in
        hidden.withUnsafeMutableBufferPointer { h in
        logits.withUnsafeMutableBufferPointer { z in
        gradWeights.withUnsafeMutableBufferPointer { dW in
        gradBias.withUnsafeMutableBufferPointer { dB in
        gradHidden.withUnsafeMutableBufferPointer { dH in
            // h_b = Σ embedding[input]
            for k in 0..<b {
                let row = batchRows[k]
                let hk = h.baseAddress! + k * d
                for j in 0..<d { hk[j] = 0 }
                for c in 0..<width {
                    let id = Int(inputs[row * width + c])
                    if id < 0 { continue }
                    let e = embedding.baseAddress! + id * d
                    for j in 0..<d { hk[j] += e[j] }
                }
            }
            // logits = h · Wᵀ + bias
            for k in 0..<b { for i in 0..<v { z[k * v + i] = bias[i] } }
            BLAS.sgemm(transposeA: false, transposeB: true, m: b, n: v, k: d, alpha: 1, a: h.baseAddress!, b: weights.baseAddress!,
                       beta: 1, c: z.baseAddress!)
            // softmax − onehot, divided by B; loss = mean(logsumexp − z_target)
            let scale = 1 / Float(b)
            for k in 0..<b {
                let zk = z.baseAddress! + k * v
                let target = Int(targets[batchRows[k]])
                let targetLogit = Double(zk[target])
                var maximum = zk[0]
                for i in 1..<v where zk[i] > maximum { maximum = zk[i] }
                var sum = 0.0
                for i in 0..<v {
                    let e = _exp(zk[i] - maximum)
                    zk[i] = e
                    sum += Double(e)
                }
                loss += Double(maximum) + _log(sum) - targetLogit
                let inverse = Float(1 / sum)
                for i in 0..<v { zk[i] *= inverse * scale }
                zk[target] -= scale
            }
            // dW = dZᵀ · h ; dBias = Σ_b dZ ; dH = dZ · W
            BLAS.sgemm(transposeA: true, transposeB: false, m: v, n: d, k: b, alpha: 1, a: z.baseAddress!, b: h.baseAddress!,
                       beta: 0, c: dW.baseAddress!)
            for i in 0..<v { dB[i] = 0 }
            for k in 0..<b { for i in 0..<v { dB[i] += z[k * v + i] } }
            BLAS.sgemm(transposeA: false, transposeB: false, m: b, n: d, k: v, alpha: 1, a: z.baseAddress!, b: weights.baseAddress!,
                       beta: 0, c: dH.baseAddress!)
        }}}}}}}}}}
        return loss / Double(b)
    }

    /// One plain SGD step with the gradients of the last `forwardBackward`. Embedding rows
    /// get dH once per occurrence (duplicates accumulate, as PyTorch's sparse gradient does).
    public func sgdStep(_ examples: Word2VecExamples, lr: Float) {
        let d = config.dim, width = examples.width
        outputWeights.withUnsafeMutableBufferPointer { w in
            gradWeights.withUnsafeBufferPointer { g in for i in 0..<w.count { w[i] -= lr * g[i] } }
        }
        outputBias.withUnsafeMutableBufferPointer { w in
            gradBias.withUnsafeBufferPointer { g in for i in 0..<w.count { w[i] -= lr * g[i] } }
        }
        examples.inputs.withUnsafeBufferPointer { inputs in
            inputVectors.withUnsafeMutableBufferPointer { e in
                gradHidden.withUnsafeBufferPointer { dH in
                    for k in 0..<batchCount {
                        let row = batchRows[k]
                        for c in 0..<width {
                            let id = Int(inputs[row * width + c])
                            if id < 0 { continue }
                            let target = e.baseAddress! + id * d
                            let source = dH.baseAddress! + k * d
                            for j in 0..<d { target[j] -= lr * source[j] }
                        }
                    }
                }
            }
        }
    }

    /// Trains for `config.epochs` and returns the mean batch loss of each epoch. A NaN or
    /// infinite loss throws before that step is applied.
    public func train(examples: Word2VecExamples, progress: ((_ epoch: Int, _ meanLoss: Double) -> Void)? = nil) throws -> [Double] {
        precondition(examples.count > 0)
        var order = Array(0..<examples.count)
        var losses: [Double] = []
        for epoch in 1...config.epochs {
            if config.shuffle { generator.shuffle(&order) }
            var total = 0.0
            var batches = 0
            var start = 0
            while start < order.count {
                let end = min(order.count, start + config.batchSize)
                let loss = forwardBackward(examples, rows: order[start..<end])
                if !loss.isFinite { throw TrainingError.nonFiniteLoss(epoch: epoch, batch: batches + 1, loss: loss) }
                sgdStep(examples, lr: config.lr)
                total += loss
                batches += 1
                start = end
            }
            losses.append(total / Double(batches))
            progress?(epoch, losses.last!)
        }
        return losses
    }
}
