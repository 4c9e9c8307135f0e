import Foundation

/// A seeded pseudo-random generator: xoshiro256** whose state is filled by SplitMix64.
///
/// Pure integer arithmetic, so the same seed gives the same numbers on every platform;
/// parameter initialisation, shuffling and sampling all draw from it.
public struct RandomGenerator: Sendable {
    private var s0, s1, s2, s3: UInt64
    /// The second value of the last Box–Muller pair, handed out by the next `nextNormal()`.
    private var spareNormal: Float?

    /// Seeds the four state words with four successive SplitMix64 outputs of `seed`
    /// (never all zero, whatever the seed).
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    /// The whole state as six words (the four state words, whether a spare normal is held,
    /// and its bits), for checkpoints: `init(state:)` continues the sequence exactly.
    public var state: [UInt64] {
        [s0, s1, s2, s3, spareNormal == nil ? 0 : 1, UInt64(spareNormal?.bitPattern ?? 0)]
    }

    /// A generator continuing from a saved `state`; nil when it is not one.
    public init?(state: [UInt64]) {
        guard state.count == 6, state[4] <= 1, state[0] | state[1] | state[2] | state[3] != 0 else { return nil }
        (s0, s1, s2, s3) = (state[0], state[1], state[2], state[3])
        spareNormal = state[4] == 1 ? Float(bitPattern: UInt32(truncatingIfNeeded: state[5])) : nil
    }

    /// The next 64 random bits (xoshiro256**: rotl(s1 · 5, 7) · 9).
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = Self.rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Self.rotateLeft(s3, 45)
        return result
    }

    @inline(__always)
    private static func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1): the top 24 bits of `next()` times 2⁻²⁴.
    @inline(__always)
    public mutating func nextFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform in [0, 1): the top 53 bits of `next()` times 2⁻⁵³.
    @inline(__always)
    public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in [lower, upper): `lower + (upper − lower) · nextFloat()` (one draw).
    @inline(__always)
    public mutating func nextUniform(_ lower: Float, _ upper: Float) -> Float { lower + (upper - lower) * nextFloat() }

    /// A standard normal value (Box–Muller in Double).
    ///
    /// Each pair uses two `nextDouble()` draws (u1 redrawn while it is 0); the first call
    /// returns r·cos θ and keeps r·sin θ for the following call.
    public mutating func nextNormal() -> Float {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        var u1 = nextDouble()
        while u1 <= 0 { u1 = nextDouble() }
        let u2 = nextDouble()
        let r = (-2 * Foundation.log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        spareNormal = Float(r * Foundation.sin(theta))
        return Float(r * Foundation.cos(theta))
    }

    /// An unbiased integer in 0..<n (Lemire's multiply-and-reject method); `n` must be positive.
    public mutating func nextInt(below n: Int) -> Int {
        precondition(n > 0, "nextInt(below:) needs a positive bound, got \(n)")
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }

    /// Fisher–Yates shuffle from the end: for i = count−1 down to 1, swap a[i] with
    /// a[nextInt(below: i + 1)].
    public mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            a.swapAt(i, nextInt(below: i + 1))
        }
    }
}
