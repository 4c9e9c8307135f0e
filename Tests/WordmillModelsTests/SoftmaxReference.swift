import Foundation
import WordmillModels
import WordmillNumerics

/// A naive Double-precision reimplementation of the lecture's loss, independent of the
/// model's code: h = Σ E[input] (−1 skipped), z = W·h + bias, mean of logsumexp(z) − z[target].
struct SoftmaxReference {
    var v: Int
    var d: Int
    var e: [Double]
    var w: [Double]
    var bias: [Double]

    func loss(_ examples: Word2VecExamples, rows: [Int]) -> Double {
        var total = 0.0
        for r in rows {
            var h = [Double](repeating: 0, count: d)
            for c in 0..<examples.width {
                let id = Int(examples.inputs[r * examples.width + c])
                if id >= 0 { for j in 0..<d { h[j] += e[id * d + j] } }
            }
            var z = [Double](repeating: 0, count: v)
            for i in 0..<v {
                z[i] = bias[i]
                for j in 0..<d { z[i] += w[i * d + j] * h[j] }
            }
            let m = z.max()!
            let lse = m + log(z.reduce(0) { $0 + exp($1 - m) })
            total += lse - z[Int(examples.targets[r])]
        }
        return total / Double(rows.count)
    }
}

/// Small random parameters (E ~ 0.5·N(0,1), W and bias ~ U(−0.5, 0.5)) for gradient checks.
func smallRandomParameters(v: Int, d: Int, seed: UInt64) -> (e: [Float], w: [Float], bias: [Float]) {
    var g = RandomGenerator(seed: seed)
    let e = (0..<(v * d)).map { _ in g.nextNormal() * 0.5 }
    let w = (0..<(v * d)).map { _ in g.nextUniform(-0.5, 0.5) }
    let bias = (0..<v).map { _ in g.nextUniform(-0.5, 0.5) }
    return (e, w, bias)
}

/// 64 CBOW examples of width 4 over a vocabulary of 60 with random ids (about one input in
/// ten is −1), shaped like the lecture's toy run.
func lectureShapedExamples(seed: UInt64, count: Int = 64, vocabularySize: Int = 60) -> Word2VecExamples {
    var g = RandomGenerator(seed: seed)
    let inputs = (0..<(count * 4)).map { _ in g.nextInt(below: 10) == 0 ? Int32(-1) : Int32(g.nextInt(below: vocabularySize)) }
    let targets = (0..<count).map { _ in Int32(g.nextInt(below: vocabularySize)) }
    return Word2VecExamples(inputs: inputs, width: 4, targets: targets)
}

/// |a − b| ≤ tolerance · max(1, |b|).
func approximatelyEqual(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool { abs(a - b) <= tolerance * max(1, abs(b)) }
