/// Thin single-precision BLAS wrappers (OpenBLAS through CBLAS, loaded on first use), row-major throughout.
///
/// Sizes are `Int` and leading dimensions default to the packed widths of the matrices as
/// they are stored (before any transposition), so a caller with dense row-major buffers
/// never has to pass them.
public enum BLAS {
    /// C (m×n) = alpha · op(A) · op(B) + beta · C, all row-major.
    ///
    /// op(A) is m×k: A is stored m×k, or k×m when `transposeA`. op(B) is k×n: B is stored k×n,
    /// or n×k when `transposeB`. `lda`, `ldb` and `ldc` default to the stored row widths
    /// (k or m, n or k, and n). With `beta` 0 the old contents of C are ignored.
    @inline(__always)
    public static func sgemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int? = nil, b: UnsafePointer<Float>, ldb: Int? = nil,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int? = nil
    ) {
        let blas = OpenBLASLibrary.self
        blas.shared.sgemm(blas.rowMajor, transposeA ? blas.transpose : blas.noTranspose, transposeB ? blas.transpose : blas.noTranspose,
                          Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda ?? (transposeA ? m : k)),
                          b, Int32(ldb ?? (transposeB ? k : n)), beta, c, Int32(ldc ?? n))
    }

    /// y = alpha · op(A) · x + beta · y, with A stored m×n row-major (leading dimension n).
    ///
    /// Without `transpose`, x has n entries and y has m; with it, x has m and y has n.
    @inline(__always)
    public static func sgemv(
        transpose: Bool = false, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>,
        x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>
    ) {
        let blas = OpenBLASLibrary.self
        blas.shared.sgemv(blas.rowMajor, transpose ? blas.transpose : blas.noTranspose, Int32(m), Int32(n), alpha, a, Int32(n),
                          x, 1, beta, y, 1)
    }

    /// The dot product of two contiguous length-n vectors.
    @inline(__always)
    public static func sdot(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        OpenBLASLibrary.shared.sdot(Int32(n), x, 1, y, 1)
    }

    /// y += alpha · x for two contiguous length-n vectors.
    @inline(__always)
    public static func saxpy(_ n: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        OpenBLASLibrary.shared.saxpy(Int32(n), alpha, x, 1, y, 1)
    }

    /// Sets how many threads OpenBLAS may use for the calls above (process-wide).
    ///
    /// The small matrices of word2vec batches rarely gain from more than one thread; one
    /// thread also keeps every sum in the same order from run to run.
    public static func setThreads(_ n: Int) {
        OpenBLASLibrary.shared.setThreads(Int32(max(1, n)))
    }

    /// How many threads OpenBLAS currently uses.
    public static var threads: Int { Int(OpenBLASLibrary.shared.getThreads()) }
}
