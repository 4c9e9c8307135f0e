/// LEB128 varints and length-prefixed byte strings, the encoding of `records` sections.
public enum RecordCoding {
    /// Appends an unsigned LEB128 varint.
    @inline(__always)
    public static func appendVarint(_ value: Int, to out: inout [UInt8]) {
        var v = UInt64(value)
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// Appends a varint length then the bytes.
    @inline(__always)
    public static func appendString(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        appendVarint(bytes.count, to: &out)
        out.append(contentsOf: bytes)
    }

    /// Writes a varint length and the `length` bytes at `source` to `out`, which must have
    /// room for 10 + max(length, 16) bytes; returns how many it wrote. When 16 bytes may be
    /// read from `source` (`sourceHas16`), a string of up to 16 bytes is copied as one 16-byte
    /// load and store, not a call to memmove (the bytes past it are overwritten by whatever
    /// is written next).
    @inlinable @inline(__always)
    public static func putString(_ source: UnsafePointer<UInt8>?, length: Int, sourceHas16: Bool, at out: UnsafeMutablePointer<UInt8>) -> Int {
        let at = putVarint(UInt64(length), at: out)
        if length <= 16 && sourceHas16, let source {
            UnsafeMutableRawPointer(out + at).storeBytes(of: UnsafeRawPointer(source).loadUnaligned(as: SIMD16<UInt8>.self), as: SIMD16<UInt8>.self)
        } else if length > 0, let source {
            (out + at).update(from: source, count: length)
        }
        return at + length
    }

    /// Writes an unsigned LEB128 varint at `out`, which must have room for 10 bytes; returns
    /// how many it wrote.
    @inlinable @inline(__always)
    public static func putVarint(_ value: UInt64, at out: UnsafeMutablePointer<UInt8>) -> Int {
        var at = 0
        var v = value
        while v >= 0x80 {
            out[at] = UInt8(truncatingIfNeeded: v) | 0x80
            at += 1
            v >>= 7
        }
        out[at] = UInt8(v)
        return at + 1
    }

    /// Appends a string's UTF-8 with its length.
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendString($0, to: &out) }
    }
}

/// Reads varints and length-prefixed strings from a frame; running off the end or an
/// over-long varint throws `RecordDecoder.Malformed` with the offset.
public struct RecordDecoder {
    public struct Malformed: Error, CustomStringConvertible {
        public let offset: Int
        public let reason: String
        public var description: String { "malformed record at byte \(offset) of the frame: \(reason)" }
        public init(offset: Int, reason: String) {
            self.offset = offset
            self.reason = reason
        }
    }

    public let bytes: UnsafeRawBufferPointer
    /// Where the next read starts (public so the reads inline into other modules' loops).
    public var offset = 0

    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    @inlinable
    public var isAtEnd: Bool { offset >= bytes.count }

    /// Reads an unsigned varint that fits an Int.
    @inlinable @inline(__always)
    public mutating func varint() throws(Malformed) -> Int {
        let start = offset
        let result = try varint64()
        guard result <= UInt64(Int.max) else { throw Malformed(offset: start, reason: "varint out of range") }
        return Int(result)
    }

    /// Reads an unsigned varint of up to 64 bits.
    @inlinable @inline(__always)
    public mutating func varint64() throws(Malformed) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        let start = offset
        while true {
            guard offset < bytes.count else { throw Malformed(offset: start, reason: "truncated varint") }
            let b = bytes[offset]
            offset += 1
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
            if shift > 63 { throw Malformed(offset: start, reason: "varint too long") }
        }
        return result
    }

    /// Reads 8 bytes as a little-endian UInt64 (e.g. a Double's bit pattern).
    @inlinable @inline(__always)
    public mutating func fixed64() throws(Malformed) -> UInt64 {
        guard bytes.count - offset >= 8 else { throw Malformed(offset: offset, reason: "truncated 8-byte value") }
        let v = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        offset += 8
        return UInt64(littleEndian: v)
    }

    /// Reads a length-prefixed byte string (a view into the frame).
    @inlinable @inline(__always)
    public mutating func string() throws(Malformed) -> UnsafeRawBufferPointer {
        let start = offset
        let n = try varint()
        guard n <= bytes.count - offset else { throw Malformed(offset: start, reason: "string of \(n) bytes runs past the frame") }
        let s = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)])
        offset += n
        return s
    }
}

extension ArtifactReader {
    /// Calls `body` with each record of records section `name` as stored, and the count that
    /// `walk` returns after moving the decoder over the record (checking its shape); a record
    /// `walk` rejects, or a number of records unlike the index's, is damage naming the `unit`
    /// ("document", "row") and its number. What a merge copies without decoding and encoding.
    public func forEachRecord(_ name: String, unit: String, walk: (inout RecordDecoder) throws -> Int,
                              _ body: (_ record: UnsafeRawBufferPointer, _ count: Int) throws -> Void) throws {
        var records = 0
        try forEachFrame(name) { frame in
            var decoder = RecordDecoder(frame)
            while !decoder.isAtEnd {
                let start = decoder.offset
                let count: Int
                do { count = try walk(&decoder) } catch {
                    throw ArtifactError.damaged(path: path, reason: "section '\(name)' \(unit) \(records): \(error)")
                }
                try body(UnsafeRawBufferPointer(rebasing: frame[start..<decoder.offset]), count)
                records += 1
            }
        }
        let expected = try section(name).count
        if records != expected { throw ArtifactError.damaged(path: path, reason: "section '\(name)' holds \(records) \(unit)s, the index says \(expected)") }
    }
}
