import Testing
import WordmillNumerics

@Suite struct VectorKernelTests {
    func vector(_ n: Int, seed: UInt64) -> [Float] {
        var g = RandomGenerator(seed: seed)
        return (0..<n).map { _ in g.nextFloat() * 2 - 1 }
    }

    @Test func kernelsMatchPlainLoops() {
        for n in [1, 3, 4, 7, 8, 12, 15, 16, 17, 31, 100, 300] {
            let h = vector(n, seed: 1), a = vector(n, seed: 2), b = vector(n, seed: 3)
            let d = VectorKernels.dot(h, a, n)
            let plain = zip(h, a).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            #expect(abs(Double(d) - plain) < 1e-4, "n = \(n)")
            let (da, db) = VectorKernels.dot2(h, a, b, n)
            #expect(da.bitPattern == d.bitPattern, "dot2 must equal dot bit for bit (n = \(n))")
            #expect(db.bitPattern == VectorKernels.dot(h, b, n).bitPattern)
            var y = b
            VectorKernels.axpy(0.5, a, &y, n)
            #expect(y == zip(a, b).map { 0.5 * $0 + $1 })
        }
    }
}
