import Foundation
import WordmillNumerics

extension SoftmaxWord2Vec {
    /// Forward and backward pass over the examples at `rows` (a range or any list of example
    /// indices, 1 to `config.batchSize` of them); returns the batch's mean cross-entropy.
    ///
    /// h_b = Σ inputVectors[id] over the valid inputs of example b (a sum, as the lecture's
    /// `torch.sum`; −1 inputs are skipped), logits = h·Wᵀ + bias, loss = mean over the batch
    /// of logsumexp(logits_b) − logits_b[target]. Leaves dlogits = (softmax − onehot)/B
    /// behind and fills `gradWeights` = dlogitsᵀ·h, `gradBias` = Σ_b dlogits_b and
    /// `gradHidden` = dlogits·W for the next `sgdStep`. Parameters are not changed.
    @discardableResult
    public func forwardBackward(examples: Word2VecExamples, rows: some Collection<Int>) -> Double {
        let b = rows.count
        precondition(b >= 1 && b <= config.batchSize, "a batch holds 1...\(config.batchSize) examples, got \(b)")
        let v = config.vocabularySize, width = examples.width
        let v32 = Int32(clamping: v)
        batchRows.withUnsafeMutableBufferPointer { batch in
            examples.inputs.withUnsafeBufferPointer { inputs in
                examples.targets.withUnsafeBufferPointer { targets in
                    var k = 0
                    for r in rows {
                        precondition(r >= 0 && r < examples.count, "example \(r) is outside 0..<\(examples.count)")
                        precondition(targets[r] >= 0 && targets[r] < v32, "example \(r): target \(targets[r]) is outside 0..<\(v)")
                        for c in 0..<width {
                            let id = inputs[r * width + c]
                            precondition(id >= -1 && id < v32, "example \(r): input \(id) is neither −1 nor in 0..<\(v)")
                        }
                        batch[k] = r
                        k += 1
                    }
                }
            }
        }
        lastBatchCount = b
        batchInputs = examples.inputs
        batchWidth = width
        sumInputVectors(count: b)
        computeLogits(count: b)
        let loss = softmaxCrossEntropy(targets: examples.targets, count: b)
        backward(count: b)
        return loss
    }

    /// One plain SGD step with the gradients of the last `forwardBackward`:
    /// W −= lr·dW, bias −= lr·dBias, and for every valid input id of every example b of that
    /// batch, inputVectors[id] −= lr·dH[b]; an id used k times moves k times (as PyTorch's
    /// sparse embedding gradient with plain SGD does). Calling it twice applies the step twice.
    public func sgdStep(lr: Float) {
        precondition(lastBatchCount > 0, "sgdStep(lr:) needs a forwardBackward first")
        let v = config.vocabularySize, d = config.dim, width = batchWidth, b = lastBatchCount
        outputWeights.withUnsafeMutableBufferPointer { w in
            gradWeights.withUnsafeBufferPointer { g in BLAS.saxpy(v * d, alpha: -lr, x: g.baseAddress!, y: w.baseAddress!) }
        }
        outputBias.withUnsafeMutableBufferPointer { w in
            gradBias.withUnsafeBufferPointer { g in for i in 0..<v { w[i] -= lr * g[i] } }
        }
        batchInputs.withUnsafeBufferPointer { inputs in
            batchRows.withUnsafeBufferPointer { batch in
                inputVectors.withUnsafeMutableBufferPointer { e in
                    gradHidden.withUnsafeBufferPointer { dH in
                        for k in 0..<b {
                            let row = batch[k]
                            let source = dH.baseAddress! + k * d
                            for c in 0..<width {
                                let id = Int(inputs[row * width + c])
                                if id < 0 { continue }
                                let target = e.baseAddress! + id * d
                                for j in 0..<d { target[j] -= lr * source[j] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// hidden[k] = Σ inputVectors[id] over the valid inputs of the k-th example of the batch.
    private func sumInputVectors(count b: Int) {
        let d = config.dim, width = batchWidth
        batchInputs.withUnsafeBufferPointer { inputs in
            batchRows.withUnsafeBufferPointer { batch in
                inputVectors.withUnsafeBufferPointer { e in
                    hidden.withUnsafeMutableBufferPointer { h in
                        for k in 0..<b {
                            let row = batch[k]
                            let hk = h.baseAddress! + k * d
                            hk.update(repeating: 0, count: d)
                            for c in 0..<width {
                                let id = Int(inputs[row * width + c])
                                if id < 0 { continue }
                                let source = e.baseAddress! + id * d
                                for j in 0..<d { hk[j] += source[j] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// logits (B×V) = bias broadcast, then += hidden (B×D) · Wᵀ through sgemm.
    private func computeLogits(count b: Int) {
        let v = config.vocabularySize, d = config.dim
        hidden.withUnsafeBufferPointer { h in
            outputWeights.withUnsafeBufferPointer { w in
                outputBias.withUnsafeBufferPointer { bias in
                    logits.withUnsafeMutableBufferPointer { z in
                        for k in 0..<b { (z.baseAddress! + k * v).update(from: bias.baseAddress!, count: v) }
                        BLAS.sgemm(transposeA: false, transposeB: true, m: b, n: v, k: d, alpha: 1,
                                   a: h.baseAddress!, b: w.baseAddress!, beta: 1, c: z.baseAddress!)
                    }
                }
            }
        }
    }

    /// Mean cross-entropy of the batch (log-sum-exp with the row maximum subtracted, sums in
    /// Double); overwrites the logits with dlogits = (softmax − onehot(target)) / B.
    private func softmaxCrossEntropy(targets: [Int32], count b: Int) -> Double {
        let v = config.vocabularySize
        let scale = 1 / Float(b)
        var loss = 0.0
        targets.withUnsafeBufferPointer { t in
            batchRows.withUnsafeBufferPointer { batch in
                logits.withUnsafeMutableBufferPointer { z in
                    for k in 0..<b {
                        let zk = z.baseAddress! + k * v
                        let target = Int(t[batch[k]])
                        let targetLogit = Double(zk[target])
                        var maximum = zk[0]
                        for i in 1..<v where zk[i] > maximum { maximum = zk[i] }
                        var sum = 0.0
                        for i in 0..<v {
                            let e = Foundation.exp(zk[i] - maximum)
                            zk[i] = e
                            sum += Double(e)
                        }
                        loss += Double(maximum) + Foundation.log(sum) - targetLogit
                        let factor = Float(1 / sum) * scale
                        for i in 0..<v { zk[i] *= factor }
                        zk[target] -= scale
                    }
                }
            }
        }
        return loss / Double(b)
    }

    /// dW (V×D) = dlogitsᵀ · hidden, dBias = column sums of dlogits, dH (B×D) = dlogits · W.
    private func backward(count b: Int) {
        let v = config.vocabularySize, d = config.dim
        logits.withUnsafeBufferPointer { dz in
            hidden.withUnsafeBufferPointer { h in
                gradWeights.withUnsafeMutableBufferPointer { dW in
                    BLAS.sgemm(transposeA: true, transposeB: false, m: v, n: d, k: b, alpha: 1,
                               a: dz.baseAddress!, b: h.baseAddress!, beta: 0, c: dW.baseAddress!)
                }
            }
            gradBias.withUnsafeMutableBufferPointer { dB in
                dB.update(repeating: 0)
                for k in 0..<b {
                    let row = dz.baseAddress! + k * v
                    for i in 0..<v { dB[i] += row[i] }
                }
            }
            outputWeights.withUnsafeBufferPointer { w in
                gradHidden.withUnsafeMutableBufferPointer { dH in
                    BLAS.sgemm(transposeA: false, transposeB: false, m: b, n: d, k: v, alpha: 1,
                               a: dz.baseAddress!, b: w.baseAddress!, beta: 0, c: dH.baseAddress!)
                }
            }
        }
    }
}
