import Foundation
import Testing
import WordmillNumerics
@testable import WordmillModels

/// `WindowBatch` computes what the plain formulas say: F = I·Oᵀ, G = (labels − σ(F))·α with
/// saturated entries 0, then I += G·O and O += Gᵀ·I from the rows before the update.
@Suite struct WindowBatchTests {
    /// m context rows and outs output rows of dimension d with values from a fixed seed, some
    /// large enough to saturate σ.
    func check(m: Int, outs: Int, d: Int, repeatContext: Bool = false) {
        var g = RandomGenerator(seed: UInt64(m * 1000 + outs * 10 + d))
        let inputData = UnsafeMutablePointer<Float>.allocate(capacity: m * d), outputData = UnsafeMutablePointer<Float>.allocate(capacity: outs * d)
        defer { inputData.deallocate(); outputData.deallocate() }
        for i in 0..<(m * d) { inputData[i] = (g.nextFloat() - 0.5) * 0.8 }
        for i in 0..<(outs * d) { outputData[i] = (g.nextFloat() - 0.5) * 0.8 }
        for k in 0..<d { inputData[k] = 2; outputData[k] = 2 }  // row 0 · row 0 is large: σ saturates
        let inputs = UnsafeMutablePointer<UnsafeMutablePointer<Float>>.allocate(capacity: m)
        let outputs = UnsafeMutablePointer<UnsafeMutablePointer<Float>>.allocate(capacity: outs)
        defer { inputs.deallocate(); outputs.deallocate() }
        for i in 0..<m { inputs[i] = inputData + (repeatContext && i == m - 1 ? 0 : i) * d }
        for j in 0..<outs { outputs[j] = outputData + j * d }
        let before = (Array(UnsafeBufferPointer(start: inputData, count: m * d)), Array(UnsafeBufferPointer(start: outputData, count: outs * d)))
        let table = SigmoidTable()
        let alpha: Float = 0.025
        let gradients = UnsafeMutablePointer<Float>.allocate(capacity: m * outs), errors = UnsafeMutablePointer<Float>.allocate(capacity: m * d)
        defer { gradients.deallocate(); errors.deallocate() }
        let loss = table.sigmoid.withUnsafeBufferPointer { s in
            table.logSigmoid.withUnsafeBufferPointer { l in
                WindowBatch.gradients(inputs: inputs, m: m, outputs: outputs, outs: outs, d: d, alpha: alpha,
                                      sigmoid: s.baseAddress!, logSigmoid: l.baseAddress!, gradients: gradients)
            }
        }
        // The reference, in doubles, from the rows before the update; σ from the table is within
        // one step (0.012 in f, so 0.003 in σ) of the function.
        let row = { (data: [Float], r: Int) in Array(data[(r * d)..<((r + 1) * d)]) }
        let inputRow = { (i: Int) in row(before.0, repeatContext && i == m - 1 ? 0 : i) }
        var expectedLoss = 0.0
        var expectedG = [[Double]](repeating: [Double](repeating: 0, count: outs), count: m)
        for i in 0..<m {
            for j in 0..<outs {
                let f = zip(inputRow(i), row(before.1, j)).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
                if abs(f) >= Double(SigmoidTable.maxExp) { continue }
                let label = j == 0 ? 1.0 : 0.0
                expectedG[i][j] = (label - 1 / (1 + exp(-f))) * Double(alpha)
                expectedLoss -= log(1 / (1 + exp(label == 1 ? -f : f)))
                #expect(abs(Double(gradients[i * outs + j]) - expectedG[i][j]) < 0.0031 * Double(alpha), "g[\(i)][\(j)]")
            }
        }
        #expect(gradients[0] == 0, "the saturated pair trains nothing")
        #expect(abs(Double(loss) - expectedLoss) < 0.02 * Double(m * outs))
        // Update with the kernel's own gradients, and compare with the formulas.
        let usedG = (0..<m).map { i in (0..<outs).map { j in Double(gradients[i * outs + j]) } }
        WindowBatch.update(inputs: inputs, m: m, outputs: outputs, outs: outs, gradients: gradients, d: d, errors: errors)
        for j in 0..<outs {
            for k in 0..<d {
                let expected = Double(before.1[j * d + k]) + (0..<m).reduce(0.0) { $0 + usedG[$1][j] * Double(inputRow($1)[k]) }
                #expect(abs(Double(outputData[j * d + k]) - expected) < 1e-5, "O[\(j)][\(k)]")
            }
        }
        for r in 0..<(repeatContext ? m - 1 : m) {
            // A repeated context row takes each occurrence's ΔI.
            let occurrences = (0..<m).filter { (repeatContext && $0 == m - 1 ? 0 : $0) == r }
            for k in 0..<d {
                let delta = occurrences.reduce(0.0) { sum, i in sum + (0..<outs).reduce(0.0) { $0 + usedG[i][$1] * Double(before.1[$1 * d + k]) } }
                #expect(abs(Double(inputData[r * d + k]) - (Double(before.0[r * d + k]) + delta)) < 1e-5, "I[\(r)][\(k)]")
            }
        }
    }

    @Test func matchesTheFormulas() {
        for (m, outs, d) in [(1, 1, 8), (4, 6, 100), (10, 6, 100), (3, 13, 37), (7, 2, 5), (2, 7, 300)] { check(m: m, outs: outs, d: d) }
    }

    @Test func aRepeatedContextWordTakesBothUpdates() {
        check(m: 5, outs: 6, d: 20, repeatContext: true)
    }
}
