import COpenBLAS

/// Row-major single-precision BLAS calls (OpenBLAS through CBLAS).
public enum BLAS {
    /// C (m×n) = alpha · op(A) · op(B) + beta · C, all row-major; `lda`/`ldb`/`ldc` default to the packed widths.
    @inline(__always)
    public static func sgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int? = nil, b: UnsafePointer<Float>, ldb: Int? = nil,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int? = nil
    ) {
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda ?? (transposeA ? m : k)),
                    b, Int32(ldb ?? (transposeB ? k : n)), beta, c, Int32(ldc ?? n))
    }

    /// y (m) = alpha · A (m×n, row-major) · x + beta · y.
    @inline(__always)
    public static func sgemv(m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>) {
        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(n), x, 1, beta, y, 1)
    }

    /// Dot product of two length-n vectors.
    @inline(__always)
    public static func sdot(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        cblas_sdot(Int32(n), x, 1, y, 1)
    }

    /// How many threads OpenBLAS may use (1 keeps results reproducible run to run).
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }
}
