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
    /// Adam's m, or SGD's momentum buffer (empty for plain SGD).
    let firstBuffer: FloatBuffer
    /// Adam's v (empty for SGD).
    let secondBuffer: FloatBuffer
    let firstCount: Int, secondCount: Int
    public var steps: Int = 0

    public init(config: OptimizerConfig, count: Int) {
        self.config = config
        self.count = count
        firstCount = config.kind == .adam || config.momentum > 0 ? count : 0
        secondCount = config.kind == .adam ? count : 0
        firstBuffer = FloatBuffer(capacity: firstCount)
        secondBuffer = FloatBuffer(capacity: secondCount)
    }

    /// Adam's m, or SGD's momentum buffer, as an array (for checkpoints).
    public var first: [Float] {
        get { Array(UnsafeBufferPointer(start: firstBuffer.pointer, count: firstCount)) }
        set { precondition(newValue.count == firstCount); firstBuffer.pointer.update(from: newValue, count: firstCount) }
    }

    /// Adam's v, as an array (for checkpoints).
    public var second: [Float] {
        get { Array(UnsafeBufferPointer(start: secondBuffer.pointer, count: secondCount)) }
        set { precondition(newValue.count == secondCount); secondBuffer.pointer.update(from: newValue, count: secondCount) }
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
        beginStep()
        update(parameters, gradients, range: range)
    }

    /// Counts a step; then `update` applies it, possibly to several disjoint ranges at once.
    public func beginStep() { steps += 1 }

    /// Applies the current step (counted by `beginStep`) to `parameters[range]`. Disjoint
    /// ranges may be updated concurrently.
    public func update(_ parameters: UnsafeMutablePointer<Float>, _ gradients: UnsafePointer<Float>, range: Range<Int>) {
        let lr = config.learningRate
        switch config.kind {
        case .sgd:
            if config.momentum > 0 {
                let mu = config.momentum, first = steps == 1
                let buffer = firstBuffer.pointer
                for k in range {
                    buffer[k] = first ? gradients[k] : mu * buffer[k] + gradients[k]
                    parameters[k] -= lr * buffer[k]
                }
            } else {
                for k in range { parameters[k] -= lr * gradients[k] }
            }
        case .adam:
            let b1 = config.beta1, b2 = config.beta2, eps = config.epsilon
            let correction1 = 1 - powf(b1, Float(steps)), correction2 = (1 - powf(b2, Float(steps))).squareRoot()
            let stepSize = lr / correction1, inverse2 = 1 / correction2
            let m = firstBuffer.pointer
            let v = secondBuffer.pointer
            // Eight at a time (pointers may alias as far as the compiler knows, so it would not
            // vectorize this itself); the tail runs the same arithmetic one by one.
            typealias V = SIMD8<Float>
            var k = range.lowerBound
            while k + 8 <= range.upperBound {
                let g = UnsafeRawPointer(gradients + k).loadUnaligned(as: V.self)
                let mk = b1 * UnsafeRawPointer(m + k).loadUnaligned(as: V.self) + (1 - b1) * g
                let vk = b2 * UnsafeRawPointer(v + k).loadUnaligned(as: V.self) + (1 - b2) * g * g
                let p = UnsafeRawPointer(parameters + k).loadUnaligned(as: V.self) - stepSize * mk / (vk.squareRoot() * inverse2 + eps)
                UnsafeMutableRawPointer(m + k).storeBytes(of: mk, as: V.self)
                UnsafeMutableRawPointer(v + k).storeBytes(of: vk, as: V.self)
                UnsafeMutableRawPointer(parameters + k).storeBytes(of: p, as: V.self)
                k += 8
            }
            while k < range.upperBound {
                let g = gradients[k]
                m[k] = b1 * m[k] + (1 - b1) * g
                v[k] = b2 * v[k] + (1 - b2) * g * g
                parameters[k] -= stepSize * m[k] / (v[k].squareRoot() * inverse2 + eps)
                k += 1
            }
        }
    }
}
