/// Sections of strings: records of a varint length and the UTF-8 bytes, in order.
extension ArtifactWriter {
    /// Writes `strings` as a records section named `name`.
    public func writeStrings(_ name: String, _ strings: [String]) throws {
        beginSection(name, type: .records)
        var record: [UInt8] = []
        for s in strings {
            record.removeAll(keepingCapacity: true)
            RecordCoding.appendString(s, to: &record)
            try record.withUnsafeBytes { try append($0) }
        }
        try endSection(count: strings.count)
    }
}

extension ArtifactReader {
    /// Reads a records section of strings, checking the count against the index.
    public func readStrings(_ name: String) throws -> [String] {
        var strings: [String] = []
        try forEachFrame(name) { frame in
            var decoder = RecordDecoder(frame)
            while !decoder.isAtEnd {
                do { strings.append(String(decoding: try decoder.string(), as: UTF8.self)) } catch {
                    throw ArtifactError.damaged(path: path, reason: "section '\(name)': \(error)")
                }
            }
        }
        let expected = try section(name).count
        guard strings.count == expected else {
            throw ArtifactError.damaged(path: path, reason: "section '\(name)' holds \(strings.count) strings, the index says \(expected)")
        }
        return strings
    }
}

/// Appends fixed-width values to a section one at a time, handing the writer a frame's worth
/// at a time: the frames are exactly those `ArtifactWriter.writeSection` cuts from the same
/// values given at once, so a stage can stream a section it used to build in memory without
/// changing a byte.
public struct ValueStream<T: BitwiseCopyable> {
    private let writer: ArtifactWriter
    private var buffer: [T] = []
    private let perFrame: Int
    public private(set) var count = 0

    /// Begins section `name` of `type` in `writer`.
    public init(writer: ArtifactWriter, name: String, type: ElementType) {
        self.writer = writer
        perFrame = max(1, writer.frameBytes / MemoryLayout<T>.stride)
        buffer.reserveCapacity(perFrame)
        writer.beginSection(name, type: type)
    }

    public mutating func append(_ value: T) throws {
        buffer.append(value)
        count += 1
        if buffer.count == perFrame { try flush() }
    }

    private mutating func flush() throws {
        try writer.append(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is left and ends the section.
    public mutating func finish() throws {
        if !buffer.isEmpty { try flush() }
        try writer.endSection()
    }
}
