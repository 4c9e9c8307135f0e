import CPrefetch

/// Dot products and axpy on raw float vectors with explicit SIMD, for the word2vec and
/// GloVe inner loops (dimension ~50–300, called hundreds of millions of times). The
/// summation order is fixed, so results are bit-reproducible.
public enum VectorKernels {
    /// Σ a[i]·b[i].
    @inlinable @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        var i = 0
        while i + 16 <= n {
            acc0 += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            acc1 += ra.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
            i += 16
        }
        if i + 8 <= n {
            acc0 += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        var sum = (acc0 + acc1).sum()
        if i + 4 <= n {
            sum += (ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD4<Float>.self) * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD4<Float>.self)).sum()
            i += 4
        }
        while i < n {
            sum += a[i] * b[i]
            i += 1
        }
        return sum
    }

    /// (Σ h[i]·a[i], Σ h[i]·b[i]) in one pass: two independent dot products interleaved, so
    /// their dependency chains overlap. Each equals `dot` bit for bit.
    @inlinable @inline(__always)
    public static func dot2(_ h: UnsafePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> (Float, Float) {
        let rh = UnsafeRawPointer(h), ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), b0 = SIMD8<Float>(), b1 = SIMD8<Float>()
        var i = 0
        while i + 16 <= n {
            let h0 = rh.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let h1 = rh.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
            a0 += h0 * ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            b0 += h0 * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            a1 += h1 * ra.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
            b1 += h1 * rb.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
            i += 16
        }
        if i + 8 <= n {
            let h0 = rh.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            a0 += h0 * ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            b0 += h0 * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        var sa = (a0 + a1).sum(), sb = (b0 + b1).sum()
        if i + 4 <= n {
            let h4 = rh.loadUnaligned(fromByteOffset: i * 4, as: SIMD4<Float>.self)
            sa += (h4 * ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD4<Float>.self)).sum()
            sb += (h4 * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD4<Float>.self)).sum()
            i += 4
        }
        while i < n {
            sa += h[i] * a[i]
            sb += h[i] * b[i]
            i += 1
        }
        return (sa, sb)
    }

    /// y[i] += alpha · x[i].
    @inlinable @inline(__always)
    public static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
        let a = SIMD8<Float>(repeating: alpha)
        var i = 0
        while i + 8 <= n {
            let v = ry.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) + a * rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            ry.storeBytes(of: v, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        if i + 4 <= n {
            let v = ry.loadUnaligned(fromByteOffset: i * 4, as: SIMD4<Float>.self) + SIMD4<Float>(repeating: alpha) * rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD4<Float>.self)
            ry.storeBytes(of: v, toByteOffset: i * 4, as: SIMD4<Float>.self)
            i += 4
        }
        while i < n {
            y[i] += alpha * x[i]
            i += 1
        }
    }

    /// Starts loading `count` floats at `p` into the cache (for rows needed a little later).
    @inlinable @inline(__always)
    public static func prefetch(_ p: UnsafePointer<Float>, _ count: Int) {
        wordmill_prefetch(p, count * 4)
    }

    /// y[i] = 0.
    @inlinable @inline(__always)
    public static func zero(_ y: UnsafeMutablePointer<Float>, _ n: Int) {
        y.update(repeating: 0, count: n)
    }

    /// y[i] *= alpha.
    @inlinable @inline(__always)
    public static func scale(_ alpha: Float, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { y[i] *= alpha }
    }
}
