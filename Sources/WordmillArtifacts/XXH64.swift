/// XXH64, the 64-bit xxHash of Yann Collet (the checksum zstd frames carry).
///
/// Used for section checksums, corpus content hashes and stage fingerprints. Streaming:
/// feed any number of buffers with `update`, then read `digest`.
public struct XXH64: Sendable {
    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    private var v1, v2, v3, v4: UInt64
    private let seed: UInt64
    private var totalLength: UInt64 = 0
    private var buffer: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var bufferCount = 0

    public init(seed: UInt64 = 0) {
        self.seed = seed
        v1 = seed &+ Self.prime1 &+ Self.prime2
        v2 = seed &+ Self.prime2
        v3 = seed
        v4 = seed &- Self.prime1
    }

    /// Hash of a whole buffer in one call.
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        var h = XXH64(seed: seed)
        h.update(bytes)
        return h.digest
    }

    /// Hash of a byte array in one call.
    public static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }

    @inline(__always)
    private static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        var acc = acc &+ input &* prime2
        acc = (acc << 31) | (acc >> 33)
        return acc &* prime1
    }

    @inline(__always)
    private static func mergeRound(_ acc: UInt64, _ val: UInt64) -> UInt64 {
        let val = round(0, val)
        return (acc ^ val) &* prime1 &+ prime4
    }

    /// Feeds more bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        totalLength &+= UInt64(bytes.count)
        var offset = 0
        let count = bytes.count
        // Fill the 32-byte buffer first.
        if bufferCount > 0 {
            withUnsafeMutableBytes(of: &buffer) { buf in
                let take = min(32 - bufferCount, count)
                for i in 0..<take { buf[bufferCount + i] = bytes[i] }
                bufferCount += take
                offset = take
            }
            if bufferCount < 32 { return }
            v1 = Self.round(v1, UInt64(littleEndian: buffer.0))
            v2 = Self.round(v2, UInt64(littleEndian: buffer.1))
            v3 = Self.round(v3, UInt64(littleEndian: buffer.2))
            v4 = Self.round(v4, UInt64(littleEndian: buffer.3))
            bufferCount = 0
        }
        while offset + 32 <= count {
            v1 = Self.round(v1, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian)
            v2 = Self.round(v2, bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self).littleEndian)
            v3 = Self.round(v3, bytes.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self).littleEndian)
            v4 = Self.round(v4, bytes.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self).littleEndian)
            offset += 32
        }
        if offset < count {
            withUnsafeMutableBytes(of: &buffer) { buf in
                for i in offset..<count { buf[i - offset] = bytes[i] }
            }
            bufferCount = count - offset
        }
    }

    /// Feeds a byte array.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The hash of everything fed so far.
    public var digest: UInt64 {
        var h: UInt64
        if totalLength >= 32 {
            h = ((v1 << 1) | (v1 >> 63)) &+ ((v2 << 7) | (v2 >> 57))
                &+ ((v3 << 12) | (v3 >> 52)) &+ ((v4 << 18) | (v4 >> 46))
            h = Self.mergeRound(h, v1)
            h = Self.mergeRound(h, v2)
            h = Self.mergeRound(h, v3)
            h = Self.mergeRound(h, v4)
        } else {
            h = seed &+ Self.prime5
        }
        h &+= totalLength
        var tail = buffer
        let remaining = bufferCount
        return withUnsafeBytes(of: &tail) { p -> UInt64 in
            var i = 0
            while i + 8 <= remaining {
                let k1 = Self.round(0, p.loadUnaligned(fromByteOffset: i, as: UInt64.self).littleEndian)
                h ^= k1
                h = ((h << 27) | (h >> 37)) &* Self.prime1 &+ Self.prime4
                i += 8
            }
            if i + 4 <= remaining {
                h ^= UInt64(p.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian) &* Self.prime1
                h = ((h << 23) | (h >> 41)) &* Self.prime2 &+ Self.prime3
                i += 4
            }
            while i < remaining {
                h ^= UInt64(p[i]) &* Self.prime5
                h = ((h << 11) | (h >> 53)) &* Self.prime1
                i += 1
            }
            h ^= h >> 33
            h &*= Self.prime2
            h ^= h >> 29
            h &*= Self.prime3
            h ^= h >> 32
            return h
        }
    }
}

extension UInt64 {
    /// Sixteen lower-case hex digits, zero padded.
    public var hex16: String {
        let s = String(self, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// Parses exactly sixteen hex digits.
    public init?(hex16: String) {
        guard hex16.utf8.count == 16, let v = UInt64(hex16, radix: 16) else { return nil }
        self = v
    }
}
