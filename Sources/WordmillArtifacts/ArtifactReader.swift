import Foundation
import WordmillSupport

/// Opens an artifact, checks its prologue and index, and reads its sections, verifying
/// every frame's checksum before decompressing it. Any damage throws an `ArtifactError`
/// naming the file; nothing is ever returned from a damaged frame.
///
/// Safe to share between threads: its state is immutable after `init` and reads use `pread`.
public final class ArtifactReader: @unchecked Sendable {
    public let path: String
    public let header: ArtifactHeader
    public let fileSize: Int
    private let descriptor: Int32

    /// Opens and validates `path`; with `kinds`, also checks the artifact kind.
    public init(path: String, kinds: [String]? = nil) throws(ArtifactError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .unreadable(path: path, reason: FileSystem.errnoText()) }
        var st = stat()
        if fstat(fd, &st) != 0 { close(fd); throw .unreadable(path: path, reason: FileSystem.errnoText()) }
        if (st.st_mode & S_IFMT) != S_IFREG { close(fd); throw .unreadable(path: path, reason: "not a regular file") }
        descriptor = fd
        fileSize = Int(st.st_size)
        do {
            header = try ArtifactReader.readHeader(fd: fd, path: path, fileSize: fileSize)
        } catch {
            close(fd)
            throw error
        }
        if let kinds, !kinds.contains(header.kind) {
            close(fd)
            throw .wrongKind(path: path, found: header.kind, expected: kinds)
        }
    }

    deinit { close(descriptor) }

    private static func pread(_ fd: Int32, path: String, offset: Int, count: Int) throws(ArtifactError) -> [UInt8] {
        try [UInt8].filled(count: count) { (out) throws(ArtifactError) in
            var done = 0
            while done < count {
                let n = Foundation.pread(fd, out.baseAddress! + done, count - done, off_t(offset + done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw .unreadable(path: path, reason: FileSystem.errnoText())
                }
                if n == 0 { throw .damaged(path: path, reason: "truncated: file ends at byte \(offset + done), expected \(offset + count)") }
                done += n
            }
        }
    }

    private static func readHeader(fd: Int32, path: String, fileSize: Int) throws(ArtifactError) -> ArtifactHeader {
        let damaged = { (reason: String) in ArtifactError.damaged(path: path, reason: reason) }
        let p = ArtifactLayout.prologueSize
        if fileSize < p { throw damaged("truncated: \(fileSize) bytes, shorter than the \(p)-byte prologue") }
        let prologue = try pread(fd, path: path, offset: 0, count: p)
        if Array(prologue[0..<8]) != ArtifactLayout.magic { throw damaged("not a wordmill artifact (bad magic bytes at offset 0)") }
        let version = ArtifactLayout.readLE(UInt32.self, prologue, at: 8)
        let storedSum = ArtifactLayout.readLE(UInt64.self, prologue, at: 32)
        if XXH64.hash(Array(prologue[0..<32])) != storedSum {
            throw damaged("prologue checksum mismatch (bytes 0-39)")
        }
        if version > ArtifactHeader.currentFormatVersion {
            throw .unsupportedVersion(path: path, found: version, supported: ArtifactHeader.currentFormatVersion)
        }
        if version == 0 { throw damaged("format version 0 at byte 8") }
        let indexOffset = ArtifactLayout.readLE(UInt64.self, prologue, at: 16)
        let indexLength = ArtifactLayout.readLE(UInt64.self, prologue, at: 24)
        guard indexOffset >= UInt64(p), indexLength < UInt64(Int32.max),
            indexOffset + indexLength + 8 <= UInt64(fileSize)
        else { throw damaged("truncated: the index at byte \(indexOffset) (\(indexLength) bytes) lies past the end of the \(fileSize)-byte file") }
        if indexOffset + indexLength + 8 != UInt64(fileSize) {
            throw damaged("\(UInt64(fileSize) - indexOffset - indexLength - 8) unexpected bytes after the index checksum (byte \(indexOffset + indexLength + 8))")
        }
        let tail = try pread(fd, path: path, offset: Int(indexOffset), count: Int(indexLength) + 8)
        let index = Array(tail[0..<Int(indexLength)])
        if XXH64.hash(index) != ArtifactLayout.readLE(UInt64.self, tail, at: Int(indexLength)) {
            throw damaged("index checksum mismatch (bytes \(indexOffset)-\(UInt64(fileSize) - 1))")
        }
        let json: JSONValue
        do { json = try JSONParser.parse(index) } catch { throw damaged("index is not valid JSON: \(error)") }
        let header = try ArtifactHeader.decode(index: json, formatVersion: version, fail: damaged)
        // Frames must tile the data region in order: no overlap, no gap, nothing past the index.
        var expected = p
        for section in header.sections {
            var raw = 0
            for frame in section.frames {
                if frame.offset != expected || frame.compressedBytes <= 0 || frame.rawBytes < 0 {
                    throw damaged("section '\(section.name)' has a frame at byte \(frame.offset), expected \(expected)")
                }
                expected += frame.compressedBytes
                raw += frame.rawBytes
            }
            if raw != section.rawBytes { throw damaged("section '\(section.name)' frames hold \(raw) bytes, index says \(section.rawBytes)") }
            if let w = section.type.width, section.count * w != section.rawBytes {
                throw damaged("section '\(section.name)' holds \(section.rawBytes) bytes for \(section.count) elements of \(w) bytes")
            }
        }
        if UInt64(expected) != indexOffset { throw damaged("sections end at byte \(expected), the index starts at \(indexOffset)") }
        return header
    }

    /// The section entry for `name`, or `.missingSection`.
    public func section(_ name: String) throws(ArtifactError) -> SectionEntry {
        guard let s = header.section(name) else { throw .missingSection(path: path, name: name) }
        return s
    }

    private func compressedFrame(_ frame: FrameEntry, section: String, number: Int) throws(ArtifactError) -> [UInt8] {
        let bytes = try ArtifactReader.pread(descriptor, path: path, offset: frame.offset, count: frame.compressedBytes)
        if XXH64.hash(bytes) != frame.checksum {
            throw .damaged(path: path, reason: "section '\(section)' frame \(number) checksum mismatch (bytes \(frame.offset)-\(frame.offset + frame.compressedBytes - 1))")
        }
        return bytes
    }

    /// Checks every frame's checksum without decompressing (what `run` does for up-to-date artifacts).
    public func verifyChecksums() throws(ArtifactError) {
        for section in header.sections {
            for (n, frame) in section.frames.enumerated() {
                _ = try compressedFrame(frame, section: section.name, number: n)
            }
        }
    }

    /// Decompresses a section frame by frame; `body` sees each frame's raw bytes.
    /// Memory stays at one frame however large the section.
    /// The next frame is read and decompressed on a background thread while `body` works on
    /// the current one, so a stage's own work and zstd's overlap.
    public func forEachFrame(_ name: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let count = try section(name).frames.count
        guard count > 1 else {
            if count == 1 { try readFrame(name, index: 0).withUnsafeBytes { try body($0) } }
            return
        }
        let next = PrefetchedFrame()
        let ready = DispatchGroup()
        func prefetch(_ n: Int) {
            ready.enter()
            DispatchQueue.global().async { [self] in
                next.result = Result { try readFrame(name, index: n) }
                ready.leave()
            }
        }
        prefetch(0)
        for n in 0..<count {
            ready.wait()
            let frame = try next.result!.get()
            if n + 1 < count { prefetch(n + 1) }
            try frame.withUnsafeBytes { try body($0) }
        }
    }

    /// One decompressed frame of a section (for splitting a stream between threads).
    public func readFrame(_ name: String, index: Int) throws -> [UInt8] {
        let section = try section(name)
        let frame = section.frames[index]
        let compressed = try compressedFrame(frame, section: name, number: index)
        do {
            return try compressed.withUnsafeBytes { (b) throws(ArtifactError) in try Zstd.decompress(b, expectedSize: frame.rawBytes) }
        } catch {
            throw ArtifactError.damaged(path: path, reason: "section '\(name)' frame \(index) at byte \(frame.offset): \(error)")
        }
    }

    /// The whole section as bytes.
    public func readBytes(_ name: String) throws -> [UInt8] {
        let s = try section(name)
        return try readWhole(s, count: s.rawBytes, as: UInt8.self)
    }

    /// A section's raw bytes as `count` values of `T` (which must fill them exactly).
    private func readWhole<T: BitwiseCopyable>(_ s: SectionEntry, count: Int, as type: T.Type) throws(ArtifactError) -> [T] {
        try [T].filled(count: count) { (out) throws(ArtifactError) in try decompressSection(s, into: out) }
    }

    /// Decompresses every frame of a section, in order, straight into `out` (its raw size,
    /// which the index check at opening guarantees the frames add up to).
    private func decompressSection(_ s: SectionEntry, into out: UnsafeMutableRawBufferPointer) throws(ArtifactError) {
        var at = 0
        for (n, frame) in s.frames.enumerated() {
            let compressed = try compressedFrame(frame, section: s.name, number: n)
            let failure: ArtifactError? = compressed.withUnsafeBytes { b in
                do throws(ArtifactError) {
                    try Zstd.decompress(b, into: UnsafeMutableRawBufferPointer(rebasing: out[at..<at + frame.rawBytes]))
                    return nil
                } catch { return error }
            }
            if let failure { throw .damaged(path: path, reason: "section '\(s.name)' frame \(n) at byte \(frame.offset): \(failure)") }
            at += frame.rawBytes
        }
    }

    /// Decompresses the whole section straight into `out`, which must hold exactly its values
    /// (a caller's own buffer, so no second copy is made).
    public func read<T: BitwiseCopyable>(_ name: String, into out: UnsafeMutableBufferPointer<T>) throws {
        let s = try section(name)
        guard s.type.width == MemoryLayout<T>.stride, s.count == out.count else {
            throw ArtifactError.damaged(path: path, reason: "section '\(name)' holds \(s.count) values of type \(s.type.rawValue), not \(out.count) of \(MemoryLayout<T>.stride) bytes")
        }
        try decompressSection(s, into: UnsafeMutableRawBufferPointer(out))
    }

    /// The whole section as fixed-width values; the section's type must have that width.
    public func readArray<T: BitwiseCopyable>(_ name: String, as type: T.Type) throws -> [T] {
        let s = try section(name)
        guard s.type.width == MemoryLayout<T>.stride else {
            throw ArtifactError.damaged(path: path, reason: "section '\(name)' has type \(s.type.rawValue), not \(MemoryLayout<T>.stride)-byte values")
        }
        return try readWhole(s, count: s.count, as: T.self)
    }
}

/// The hand-off cell between `forEachFrame` and its prefetching thread (one writer, then
/// one reader after the group's wait).
private final class PrefetchedFrame: @unchecked Sendable {
    var result: Result<[UInt8], any Error>?
}
