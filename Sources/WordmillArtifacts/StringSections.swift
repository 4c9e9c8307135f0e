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
