import Foundation
import Testing
import WordmillModels

/// The optimisers follow PyTorch's update rules step for step.
@Suite struct OptimizerTests {
    @Test func adamTwoSteps() {
        let optimizer = Optimizer(config: OptimizerConfig(kind: .adam, learningRate: 0.1), count: 2)
        var p: [Float] = [1, -2]
        let grads: [[Float]] = [[0.5, -0.25], [0.1, 0.3]]
        // By hand in Double: m, v with β = (0.9, 0.999), bias-corrected, ε = 1e-8.
        var m = [0.0, 0.0], v = [0.0, 0.0], expected = [1.0, -2.0]
        for (step, g) in grads.enumerated() {
            p.withUnsafeMutableBufferPointer { pb in g.withUnsafeBufferPointer { optimizer.step(pb.baseAddress!, $0.baseAddress!, range: 0..<2) } }
            let t = Double(step + 1)
            for k in 0..<2 {
                m[k] = 0.9 * m[k] + 0.1 * Double(g[k])
                v[k] = 0.999 * v[k] + 0.001 * Double(g[k]) * Double(g[k])
                expected[k] -= 0.1 / (1 - pow(0.9, t)) * m[k] / (v[k].squareRoot() / (1 - pow(0.999, t)).squareRoot() + 1e-8)
            }
        }
        #expect(abs(Double(p[0]) - expected[0]) < 1e-6 && abs(Double(p[1]) - expected[1]) < 1e-6, "\(p) vs \(expected)")
    }

    @Test func sgdMomentum() {
        let optimizer = Optimizer(config: OptimizerConfig(kind: .sgd, learningRate: 0.5, momentum: 0.9), count: 1)
        var p: [Float] = [1]
        for g: [Float] in [[2], [1]] {
            p.withUnsafeMutableBufferPointer { pb in g.withUnsafeBufferPointer { optimizer.step(pb.baseAddress!, $0.baseAddress!, range: 0..<1) } }
        }
        // b₁ = 2, p = 1 − 1 = 0; b₂ = 0.9·2 + 1 = 2.8, p = 0 − 1.4 = −1.4.
        #expect(p == [-1.4])
    }

    @Test func clipsToGlobalNorm() {
        let optimizer = Optimizer(config: OptimizerConfig(kind: .sgd, learningRate: 1, clipNorm: 1), count: 2)
        var g: [Float] = [3, 4]
        let norm = g.withUnsafeMutableBufferPointer { optimizer.clip($0.baseAddress!, range: 0..<2) }
        #expect(norm == 5)
        #expect(abs(g[0] - 0.6) < 1e-6 && abs(g[1] - 0.8) < 1e-6)
        var small: [Float] = [0.3, 0.4]
        _ = small.withUnsafeMutableBufferPointer { optimizer.clip($0.baseAddress!, range: 0..<2) }
        #expect(small == [0.3, 0.4])
    }
}
