/// A hash table from byte strings (tokens, n-grams) to dense ids 0, 1, 2, … in insertion
/// order, with the keys kept in one contiguous arena.
///
/// Built for the token loops: looking up or inserting a token given as UTF-8 bytes makes
/// no `String` and allocates nothing (beyond the table's amortised growth). Open addressing
/// with linear probing; the hash mixes 8 bytes at a time (wyhash-style multiply-xor), so a
/// lookup costs a few nanoseconds per short token.
public struct TokenTable: Sendable {
    /// All keys' bytes, back to back.
    private var arena: [UInt8] = []
    /// Per id: where its key starts in `arena`, and where it ends.
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    /// Two words per slot. First: (the hash's top 24 bits << 40) | (min(length, 255) << 32) |
    /// (id + 1), 0 for an empty slot. Second: the key's first 8 bytes, zero-padded. A key of
    /// up to 8 bytes — most tokens — is matched without touching the arena, so a lookup costs
    /// one cache miss, not three.
    private var slots: [UInt64]
    private var mask: Int

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: 2 * size)
        mask = size - 1
        hashes.reserveCapacity(capacity)
    }

    /// The part of a slot's first word that must equal the key's: hash tag and length.
    @inline(__always)
    private static func tag(_ h: UInt64, _ length: Int) -> UInt64 { (h >> 40) << 40 | UInt64(min(length, 255)) << 32 }

    /// The first 8 bytes of a key, zero-padded.
    @inline(__always)
    private static func prefix(_ p: UnsafeRawBufferPointer) -> UInt64 {
        let n = p.count
        if n >= 8 { return UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)) }
        if n >= 4 {
            let low = UInt64(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
            let high = UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)))
            return low | high << (UInt64(n - 4) * 8)
        }
        var w: UInt64 = 0
        for i in 0..<n { w |= UInt64(p[i]) << (UInt64(i) * 8) }
        return w
    }

    /// Number of keys.
    public var count: Int { hashes.count }

    /// The bytes of key `id`.
    public func key(_ id: Int) -> ArraySlice<UInt8> { arena[starts[id]..<starts[id + 1]] }

    /// The key `id` as a string.
    public func string(_ id: Int) -> String { String(decoding: key(id), as: UTF8.self) }

    /// The slot holding `bytes`, or the empty slot where it would go, and the key's id (−1 when absent).
    @inline(__always)
    private func probe(_ bytes: UnsafeRawBufferPointer, _ h: UInt64) -> (slot: Int, id: Int) {
        let tag = TokenTable.tag(h, bytes.count)
        let first = TokenTable.prefix(bytes)
        return slots.withUnsafeBufferPointer { slots in
            var slot = Int(truncatingIfNeeded: h) & mask
            while true {
                let meta = slots[2 * slot]
                if meta == 0 { return (slot, -1) }
                if meta & 0xFFFF_FFFF_0000_0000 == tag, slots[2 * slot + 1] == first {
                    let id = Int(truncatingIfNeeded: meta & 0xFFFF_FFFF) - 1
                    if bytes.count <= 8 || equals(id, bytes) { return (slot, id) }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// The id of `bytes`, or nil.
    @inline(__always)
    public func find(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        let id = probe(bytes, TokenTable.hash(bytes)).id
        return id < 0 ? nil : Int32(id)
    }

    /// The id of `bytes`, inserting it when new; `inserted` says which.
    @inline(__always)
    @discardableResult
    public mutating func insert(_ bytes: UnsafeRawBufferPointer) -> (id: Int32, inserted: Bool) {
        let h = TokenTable.hash(bytes)
        let (slot, found) = probe(bytes, h)
        if found >= 0 { return (Int32(found), false) }
        let id = hashes.count
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        hashes.append(h)
        slots[2 * slot] = TokenTable.tag(h, bytes.count) | UInt64(id + 1)
        slots[2 * slot + 1] = TokenTable.prefix(bytes)
        if hashes.count * 2 > slots.count / 2 { grow() }
        return (Int32(id), true)
    }

    /// Looks up or inserts a string's UTF-8 bytes.
    @discardableResult
    public mutating func insert(_ s: String) -> (id: Int32, inserted: Bool) {
        var s = s
        return s.withUTF8 { insert(UnsafeRawBufferPointer($0)) }
    }

    /// Finds a string's UTF-8 bytes.
    public func find(_ s: String) -> Int32? {
        var s = s
        return s.withUTF8 { find(UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    private func equals(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = starts[id], end = starts[id + 1]
        let n = bytes.count
        guard end - start == n else { return false }
        return arena.withUnsafeBytes { a in
            var i = 0
            while i + 8 <= n {
                if a.loadUnaligned(fromByteOffset: start + i, as: UInt64.self) != bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
                i += 8
            }
            while i < n {
                if a[start + i] != bytes[i] { return false }
                i += 1
            }
            return true
        }
    }

    private mutating func grow() {
        let old = slots
        let size = slots.count  // twice the slots: the array holds two words per slot
        slots = [UInt64](repeating: 0, count: 2 * size)
        mask = size - 1
        for s in stride(from: 0, to: old.count, by: 2) where old[s] != 0 {
            let id = Int(truncatingIfNeeded: old[s] & 0xFFFF_FFFF) - 1
            var slot = Int(truncatingIfNeeded: hashes[id]) & mask
            while slots[2 * slot] != 0 { slot = (slot + 1) & mask }
            slots[2 * slot] = old[s]
            slots[2 * slot + 1] = old[s + 1]
        }
    }

    /// A fast 64-bit hash of a byte string: wyhash's scheme (overlapping 4- or 8-byte
    /// reads, one multiply-xor per 16 bytes), which keeps short tokens branch-light.
    @inline(__always)
    public static func hash(_ p: UnsafeRawBufferPointer) -> UInt64 {
        let s0: UInt64 = 0xA076_1D64_78BD_642F, s1: UInt64 = 0xE703_7ED1_A0B4_28DB, s2: UInt64 = 0x8EBC_6AF0_9C88_C6E3
        let n = p.count
        var a: UInt64 = 0, b: UInt64 = 0
        var seed = s0
        @inline(__always) func r4(_ i: Int) -> UInt64 { UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt32.self))) }
        @inline(__always) func r8(_ i: Int) -> UInt64 { UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) }
        if n <= 16 {
            if n >= 4 {
                let k = (n >> 3) << 2
                a = r4(0) << 32 | r4(k)
                b = r4(n - 4) << 32 | r4(n - 4 - k)
            } else if n > 0 {
                a = UInt64(p[0]) << 16 | UInt64(p[n >> 1]) << 8 | UInt64(p[n - 1])
            }
        } else {
            var i = 0
            while n - i > 16 {
                seed = mix(r8(i) ^ s1, r8(i + 8) ^ seed)
                i += 16
            }
            a = r8(n - 16)
            b = r8(n - 8)
        }
        return mix(s1 ^ UInt64(n), mix(a ^ s1, b ^ seed) ^ s2)
    }

    @inline(__always)
    private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let r = a.multipliedFullWidth(by: b)
        return r.high ^ r.low
    }
}
