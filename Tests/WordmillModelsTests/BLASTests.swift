import Testing
import WordmillNumerics

@Suite struct BLASTests {
    // A (2×3) = [[1, 2, 3], [4, 5, 6]], B (3×2) = [[7, 8], [9, 10], [11, 12]].
    let a: [Float] = [1, 2, 3, 4, 5, 6]
    let b: [Float] = [7, 8, 9, 10, 11, 12]

    @Test func sgemmRowMajor() {
        // A·B = [[58, 64], [139, 154]]; then 2·A·B + 1·C with C = ones.
        var c: [Float] = [1, 1, 1, 1]
        BLAS.sgemm(transposeA: false, transposeB: false, m: 2, n: 2, k: 3, alpha: 2, a: a, b: b, beta: 1, c: &c)
        #expect(c == [117, 129, 279, 309])
    }

    @Test func sgemmTransposed() {
        // Aᵀ·A (3×3) = [[17, 22, 27], [22, 29, 36], [27, 36, 45]].
        var c = [Float](repeating: -1, count: 9)
        BLAS.sgemm(transposeA: true, transposeB: false, m: 3, n: 3, k: 2, alpha: 1, a: a, b: a, beta: 0, c: &c)
        #expect(c == [17, 22, 27, 22, 29, 36, 27, 36, 45])
        // A·Aᵀ (2×2) = [[14, 32], [32, 77]].
        var d = [Float](repeating: 0, count: 4)
        BLAS.sgemm(transposeA: false, transposeB: true, m: 2, n: 2, k: 3, alpha: 1, a: a, b: a, beta: 0, c: &d)
        #expect(d == [14, 32, 32, 77])
    }

    @Test func sgemvSdotSaxpy() {
        var y: [Float] = [0, 0]
        BLAS.sgemv(m: 2, n: 3, alpha: 1, a: a, x: [1, 0, -1], beta: 0, y: &y)
        #expect(y == [-2, -2])
        var yt: [Float] = [0, 0, 0]
        BLAS.sgemv(transpose: true, m: 2, n: 3, alpha: 1, a: a, x: [1, 1], beta: 0, y: &yt)
        #expect(yt == [5, 7, 9])
        #expect(BLAS.sdot(3, a, [1, 1, 1]) == 6)
        var z: [Float] = [1, 1, 1]
        BLAS.saxpy(3, alpha: -2, x: [1, 2, 3], y: &z)
        #expect(z == [-1, -3, -5])
    }

    /// Only reads the thread count: setting it while other tests call BLAS in parallel would race.
    @Test func threadCountIsVisible() {
        #expect(BLAS.threads >= 1)
    }
}
