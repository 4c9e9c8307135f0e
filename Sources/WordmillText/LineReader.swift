import Foundation
import WordmillArtifacts

/// Streams a text file line by line in 1 MiB reads: memory holds one chunk plus the
/// longest line, never the file. Lines exclude the `\n` and a trailing `\r`.
public struct LineReader {
    public let path: String

    public init(path: String) { self.path = path }

    /// Calls `body` with each line's bytes, its 1-based number and the byte offset where it
    /// starts. Returns the XXH64 of the whole file as read (what `FileSystem.hashFile` gives),
    /// so a caller can tell that the bytes it used are the ones it planned with.
    @discardableResult
    public func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, _ line: Int, _ offset: Int) throws -> Void) throws -> UInt64 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw ArtifactError.unreadable(path: path, reason: FileSystem.errnoText()) }
        defer { close(fd) }
        let chunkSize = 1 << 20
        let chunk = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunkSize)
        defer { chunk.deallocate() }
        var carry: [UInt8] = []
        var hasher = XXH64()
        var lineNumber = 1
        var lineOffset = 0
        var fileOffset = 0
        func emit(_ line: UnsafeBufferPointer<UInt8>) throws {
            var n = line.count
            if n > 0, line[n - 1] == 0x0D { n -= 1 }
            try body(UnsafeBufferPointer(rebasing: line[0..<n]), lineNumber, lineOffset)
            lineNumber += 1
        }
        while true {
            let got = read(fd, chunk.baseAddress, chunkSize)
            if got < 0 {
                if errno == EINTR { continue }
                throw ArtifactError.unreadable(path: path, reason: FileSystem.errnoText())
            }
            if got == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(chunk)[0..<got]))
            var start = 0
            let base = chunk.baseAddress!
            while start < got, let hit = memchr(base + start, 0x0A, got - start) {
                let i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if carry.isEmpty {
                    try emit(UnsafeBufferPointer(rebasing: chunk[start..<i]))
                } else {
                    carry.append(contentsOf: chunk[start..<i])
                    try carry.withUnsafeBufferPointer { try emit($0) }
                    carry.removeAll(keepingCapacity: false)
                }
                lineOffset = fileOffset + i + 1
                start = i + 1
            }
            if start < got { carry.append(contentsOf: chunk[start..<got]) }
            fileOffset += got
        }
        if !carry.isEmpty { try carry.withUnsafeBufferPointer { try emit($0) } }
        return hasher.digest
    }
}

/// UTF-8 validation that says where the first bad byte is.
public enum UTF8Check {
    /// The offset of the first byte that is not part of valid UTF-8, or nil when all is valid.
    public static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        let n = bytes.count
        let raw = UnsafeRawBufferPointer(bytes)
        while i < n {
            // Skip ASCII eight bytes at a time.
            while i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            guard i < n else { break }
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            // Three-byte sequences led by E1–EC or EE–EF (Hangul syllables, most CJK) are
            // valid with any two continuation bytes: no overlong or surrogate check applies.
            if b &- 0xE1 < 0x0F, b != 0xED, i + 3 <= n, bytes[i + 1] & 0xC0 == 0x80, bytes[i + 2] & 0xC0 == 0x80 {
                i += 3
                continue
            }
            let length: Int
            var minimum: UInt32
            var code: UInt32
            switch b {
            case 0xC2...0xDF: length = 2; code = UInt32(b & 0x1F); minimum = 0x80
            case 0xE0...0xEF: length = 3; code = UInt32(b & 0x0F); minimum = 0x800
            case 0xF0...0xF4: length = 4; code = UInt32(b & 0x07); minimum = 0x10000
            default: return i
            }
            if i + length > n { return i }
            for k in 1..<length {
                let c = bytes[i + k]
                if c & 0xC0 != 0x80 { return i }
                code = code << 6 | UInt32(c & 0x3F)
            }
            if code < minimum || code > 0x10FFFF || (0xD800...0xDFFF).contains(code) { return i }
            i += length
        }
        return nil
    }
}
