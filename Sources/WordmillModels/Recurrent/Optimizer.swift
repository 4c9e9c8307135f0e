import Foundation
import WordmillNumerics

/// SGD with momentum or Adam over a flat parameter vector, with PyTorch's update rules
/// (`torch.optim.SGD(momentum=μ)`: b ← μ·b + g, the first step b ← g, p ← p − lr·b;
/// `torch.optim.Adam`: bias-corrected moments, p ← p − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)).
public struct OptimizerConfig: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, CaseIterable, Codable { case sgd, adam }
    public var kind: Kind
    public var learningRate: Float
    public var momentum: Float = 0
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    /// Clip the gradient to this global L2 norm (`clip_grad_norm_`); nil: no clipping.
    public var clipNorm: Float?

    public init(kind: Kind, learningRate: Float, momentum: Float = 0, clipNorm: Float? = nil) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
        self.clipNorm = clipNorm
    }
}

/// The optimiser's state: first and second moments (Adam) or the momentum buffer (SGD),
/// and the number of steps taken.
public final class Optimizer {
    public let config: OptimizerConfig
    public let count: Int
    /// Adam's m, or SGD's momentum buffer.
    public var first: [Float]
    /// Adam's v (empty for SGD).
    public var second: [Float]
    public var steps: Int = 0

    public init(config: OptimizerConfig, count: Int) {
        self.config = config
        self.count = count
        first = [Float](repeating: 0, count: config.kind == .adam || config.momentum > 0 ? count : 0)
        second = [Float](repeating: 0, count: config.kind == .adam ? count : 0)
    }

    /// Scales `gradients` down to `clipNorm` when their global norm is larger (PyTorch's
    /// `clip_grad_norm_`: factor max_norm / (norm + 1e-6)); returns the norm before clipping.
    @discardableResult
    public func clip(_ gradients: UnsafeMutablePointer<Float>, range: Range<Int>) -> Float {
        var sum: Double = 0
        for k in range { sum += Double(gradients[k]) * Double(gradients[k]) }
        let norm = Float(sum.squareRoot())
        if let limit = config.clipNorm, norm > limit {
            let factor = limit / (norm + 1e-6)
            for k in range { gradients[k] *= factor }
        }
        return norm
    }

    /// One update of `parameters[range]` from `gradients[range]`.
    public func step(_ parameters: UnsafeMutablePointer<Float>, _ gradients: UnsafePointer<Float>, range: Range<Int>) {
        steps += 1
        let lr = config.learningRate
        switch config.kind {
        case .sgd:
            if config.momentum > 0 {
                let mu = config.momentum, first = steps == 1
                self.first.withUnsafeMutableBufferPointer { buffer in
                    for k in range {
                        buffer[k] = first ? gradients[k] : mu * buffer[k] + gradients[k]
                        parameters[k] -= lr * buffer[k]
                    }
                }
            } else {
                for k in range { parameters[k] -= lr * gradients[k] }
            }
        case .adam:
            let b1 = config.beta1, b2 = config.beta2, eps = config.epsilon
            let correction1 = 1 - powf(b1, Float(steps)), correction2 = (1 - powf(b2, Float(steps))).squareRoot()
            let stepSize = lr / correction1
            first.withUnsafeMutableBufferPointer { m in
                second.withUnsafeMutableBufferPointer { v in
                    for k in range {
                        let g = gradients[k]
                        m[k] = b1 * m[k] + (1 - b1) * g
                        v[k] = b2 * v[k] + (1 - b2) * g * g
                        parameters[k] -= stepSize * m[k] / (v[k].squareRoot() / correction2 + eps)
                    }
                }
            }
        }
    }
}
