extension ArtifactReader {
    /// The fixed-width section `name`, checked to hold values of `T`'s width.
    func typedSection<T: BitwiseCopyable>(_ name: String, as type: T.Type) throws -> SectionEntry {
        let s = try section(name)
        guard s.type.width == MemoryLayout<T>.stride else {
            throw ArtifactError.damaged(path: path, reason: "section '\(name)' has type \(s.type.rawValue), not \(MemoryLayout<T>.stride)-byte values")
        }
        return s
    }

    /// Values `range` of a fixed-width section, decompressing only the frames that hold them
    /// (memory: the values plus one frame). With a `cache`, the last frame decompressed is kept
    /// there and reused while reads stay inside it.
    public func readValues<T: BitwiseCopyable>(_ name: String, _ range: Range<Int>, as type: T.Type, cache: FrameCache? = nil) throws -> [T] {
        let s = try typedSection(name, as: T.self)
        precondition(range.lowerBound >= 0 && range.upperBound <= s.count, "values \(range) of section '\(name)' (\(s.count) values)")
        let width = MemoryLayout<T>.stride
        let first = range.lowerBound * width, last = range.upperBound * width
        return try [T].filled(count: range.count) { out in
            var frameStart = 0
            for (n, frame) in s.frames.enumerated() {
                defer { frameStart += frame.rawBytes }
                let lower = max(first, frameStart), upper = min(last, frameStart + frame.rawBytes)
                if frameStart >= last { break }
                guard lower < upper else { continue }
                let raw: [UInt8]
                if let cache, cache.section == name, cache.index == n {
                    raw = cache.bytes
                } else {
                    raw = try readFrame(name, index: n)
                    if let cache { (cache.section, cache.index, cache.bytes) = (name, n, raw) }
                }
                raw.withUnsafeBytes { bytes in
                    UnsafeMutableRawBufferPointer(rebasing: out[(lower - first)..<(upper - first)])
                        .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[(lower - frameStart)..<(upper - frameStart)]))
                }
            }
        }
    }
}

/// The frame `readValues` decompressed last, for the next read of the same section: a cursor
/// reading a section in small pieces then decompresses each frame once. Not for concurrent use.
public final class FrameCache {
    var section = ""
    var index = -1
    var bytes: [UInt8] = []

    public init() {}
}

/// Reads a fixed-width section front to back, one decompressed frame at a time: memory is one
/// frame however long the section. Values may straddle frames.
public struct SectionStream<T: BitwiseCopyable> {
    let reader: ArtifactReader
    let section: SectionEntry
    /// The current frame's raw bytes, and the section byte where it starts.
    private var frame: [UInt8] = []
    private var frameStart = 0
    private var frameIndex = -1
    /// The next value's byte in the section.
    private var position: Int

    /// A stream over section `name`, starting at value `start`.
    public init(_ reader: ArtifactReader, _ name: String, from start: Int = 0) throws {
        self.reader = reader
        section = try reader.typedSection(name, as: T.self)
        guard start >= 0 && start <= section.count else {
            throw ArtifactError.damaged(path: reader.path, reason: "section '\(name)' has \(section.count) values; value \(start) was asked for")
        }
        position = start * MemoryLayout<T>.stride
    }

    /// Values left to read.
    public var remaining: Int { (section.rawBytes - position) / MemoryLayout<T>.stride }

    /// Decompresses the frame holding section byte `byte` (frames are visited in order; a
    /// frame wholly skipped is never decompressed).
    private mutating func load(holding byte: Int) throws {
        if frameIndex < 0 { frameIndex = 0; frameStart = 0; frame = [] } else { frameStart += frame.count; frameIndex += 1 }
        while frameIndex < section.frames.count, frameStart + section.frames[frameIndex].rawBytes <= byte {
            frameStart += section.frames[frameIndex].rawBytes
            frameIndex += 1
        }
        guard frameIndex < section.frames.count else {
            throw ArtifactError.damaged(path: reader.path, reason: "section '\(section.name)' ends before byte \(byte)")
        }
        frame = try reader.readFrame(section.name, index: frameIndex)
    }

    /// Copies the next `count` values to `out`.
    public mutating func read(into out: UnsafeMutableRawBufferPointer) throws {
        var done = 0
        while done < out.count {
            if position >= frameStart + frame.count || frameIndex < 0 { try load(holding: position) }
            let inFrame = position - frameStart
            let n = min(out.count - done, frame.count - inFrame)
            frame.withUnsafeBytes { bytes in
                UnsafeMutableRawBufferPointer(rebasing: out[done..<(done + n)]).copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[inFrame..<(inFrame + n)]))
            }
            done += n
            position += n
        }
    }

    /// The next value.
    public mutating func next() throws -> T {
        let width = MemoryLayout<T>.stride
        // The common case, a value inside the frame in hand, without the general copy.
        if frameIndex >= 0, position >= frameStart, position + width <= frameStart + frame.count {
            let value = frame.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position - frameStart, as: T.self) }
            position += width
            return value
        }
        return try withUnsafeTemporaryAllocation(of: T.self, capacity: 1) { one in
            try read(into: UnsafeMutableRawBufferPointer(one))
            return one[0]
        }
    }

    /// Appends the next `count` values to `values`.
    public mutating func append(_ count: Int, to values: inout [T]) throws {
        guard count > 0 else { return }
        values += try [T].filled(count: count) { out in try read(into: out) }
    }

    /// Moves past the next `count` values without copying them (frames passed over whole are
    /// not decompressed).
    public mutating func skip(_ count: Int) {
        position += count * MemoryLayout<T>.stride
    }
}
