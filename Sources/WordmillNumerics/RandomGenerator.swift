import Foundation

/// xoshiro256** seeded through SplitMix64: fast, and the same numbers for the same seed on
/// every platform (initialisation, shuffling and sampling all draw from it).
public struct RandomGenerator: Sendable {
    private var s0, s1, s2, s3: UInt64
    private var spareNormal: Float?

    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1) from the top 24 bits.
    @inline(__always)
    public mutating func nextFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform in [0, 1) from the top 53 bits.
    @inline(__always)
    public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in [lower, upper).
    public mutating func nextUniform(_ lower: Float, _ upper: Float) -> Float { lower + (upper - lower) * nextFloat() }

    /// Standard normal (Box–Muller in Double; the second value of each pair is kept for the next call).
    public mutating func nextNormal() -> Float {
        if let spare = spareNormal { spareNormal = nil; return spare }
        var u1 = nextDouble()
        while u1 <= 0 { u1 = nextDouble() }
        let u2 = nextDouble()
        let r = (-2 * log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        spareNormal = Float(r * sin(theta))
        return Float(r * cos(theta))
    }

    /// Unbiased integer in 0..<n (Lemire's method).
    public mutating func nextInt(below n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }

    /// Fisher–Yates shuffle from the end.
    public mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            a.swapAt(i, nextInt(below: i + 1))
        }
    }
}
