import Foundation

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
    /// Slot → id + 1 (0 marks an empty slot).
    private var slots: [Int32]
    private var mask: Int

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        hashes.reserveCapacity(capacity)
    }

    /// Number of keys.
    public var count: Int { hashes.count }

    /// The bytes of key `id`.
    public func key(_ id: Int) -> ArraySlice<UInt8> { arena[starts[id]..<starts[id + 1]] }

    /// The key `id` as a string.
    public func string(_ id: Int) -> String { String(decoding: key(id), as: UTF8.self) }

    /// The id of `bytes`, or nil.
    @inline(__always)
    public func find(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        let h = TokenTable.hash(bytes)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            let id = Int(entry - 1)
            if hashes[id] == h && equals(id, bytes) { return Int32(id) }
            slot = (slot + 1) & mask
        }
    }

    /// The id of `bytes`, inserting it when new; `inserted` says which.
    @inline(__always)
    @discardableResult
    public mutating func insert(_ bytes: UnsafeRawBufferPointer) -> (id: Int32, inserted: Bool) {
        let h = TokenTable.hash(bytes)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let id = Int(entry - 1)
            if hashes[id] == h && equals(id, bytes) { return (Int32(id), false) }
            slot = (slot + 1) & mask
        }
        let id = hashes.count
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        hashes.append(h)
        slots[slot] = Int32(id + 1)
        if hashes.count * 2 > slots.count { grow() }
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
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            bytes.count == 0 || memcmp(a.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        for (id, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id + 1)
        }
    }

    /// A fast 64-bit hash of a byte string (multiply-xor mixing of 8-byte words).
    @inline(__always)
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let m: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h: UInt64 = 0xA076_1D64_78BD_642F ^ UInt64(bytes.count)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let w = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = mix(h ^ w, m)
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
            h = mix(h ^ w, m)
        }
        return mix(h, 0xE703_7ED1_A0B4_28DB)
    }

    @inline(__always)
    private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let r = a.multipliedFullWidth(by: b)
        return r.high ^ r.low
    }
}
