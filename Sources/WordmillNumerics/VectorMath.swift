/// exp, the logistic function and tanh on eight floats at a time, for the recurrent cells'
/// elementwise work (Cephes' single-precision polynomials: relative error about 1e-7,
/// within a few ulps of libm). Scalar versions run the same arithmetic, so a vector's
/// tail gives the same values its body would.
public enum VectorMath {
    public typealias Vector = SIMD8<Float>

    /// e^x, x clamped to [−87.3, 88.38] (no overflow to infinity, no denormal scale factors).
    @inlinable @inline(__always)
    public static func exp(_ x: Vector) -> Vector {
        var x = x.replacing(with: -87.3, where: x .< -87.3)
        x = x.replacing(with: 88.376, where: x .> 88.376)
        // n = round(x / ln 2) by the 1.5·2²³ trick (exact for |n| < 2²²): the sum's low
        // mantissa bits hold n, and subtracting the constant gives n as a float.
        let magic: Float = 12_582_912
        let shifted = x * 1.442_695_04 + magic
        let fx = shifted - magic
        let n = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let r = x - fx * 0.693_359_375 + fx * 2.121_944_4e-4
        let z = r * r
        var y = Vector(repeating: 1.987_569_15e-4)
        y = y * r + 1.398_199_95e-3
        y = y * r + 8.333_451_9e-3
        y = y * r + 4.166_579_59e-2
        y = y * r + 1.666_666_55e-1
        y = y * r + 5.000_000_12e-1
        y = y * z + r + 1
        return y * unsafeBitCast((n &+ 127) &<< 23, to: Vector.self)
    }

    /// 1 / (1 + e^−x).
    @inlinable @inline(__always)
    public static func sigmoid(_ x: Vector) -> Vector { 1 / (1 + exp(-x)) }

    /// tanh x: x + x³·P(x²) for |x| < 0.625, else ±(1 − 2 / (e^{2|x|} + 1)).
    @inlinable @inline(__always)
    public static func tanh(_ x: Vector) -> Vector {
        let a = unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: Vector.self)
        let z = x * x
        var p = Vector(repeating: -5.704_988_727_45e-3)
        p = p * z + 2.063_908_879_54e-2
        p = p * z - 5.373_971_555_31e-2
        p = p * z + 1.333_144_220_36e-1
        p = p * z - 3.333_328_194_22e-1
        let small = p * z * x + x
        let large = 1 - 2 / (exp(a + a) + 1)
        let signed = large.replacing(with: -large, where: x .< 0)
        return small.replacing(with: signed, where: a .>= 0.625)
    }

    /// Scalar e^x with the vector's arithmetic.
    @inlinable @inline(__always)
    public static func exp(_ x: Float) -> Float { exp(Vector(repeating: x))[0] }

    /// Scalar logistic function with the vector's arithmetic.
    @inlinable @inline(__always)
    public static func sigmoid(_ x: Float) -> Float { sigmoid(Vector(repeating: x))[0] }

    /// Scalar tanh with the vector's arithmetic.
    @inlinable @inline(__always)
    public static func tanh(_ x: Float) -> Float { tanh(Vector(repeating: x))[0] }
}
