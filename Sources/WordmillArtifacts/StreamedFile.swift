/// A file written piece by piece through a 1 MiB buffer, hashed as it goes, and put
/// in place atomically on `commit`: memory stays flat whatever the file's size.
public final class StreamedFile {
    private let file: AtomicFile
    private var buffer: [UInt8] = []
    private var hasher = XXH64()
    private var bytes = 0
    private static let bufferBytes = 1 << 20

    public init(path: String) throws {
        file = try AtomicFile(finalPath: path)
        buffer.reserveCapacity(Self.bufferBytes)
    }

    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.bufferBytes { try flush() }
    }

    private func flush() throws {
        try buffer.withUnsafeBytes { raw in
            hasher.update(raw)
            try file.write(raw)
        }
        bytes += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is left, renames the file into place; its size and XXH64.
    public func commit() throws -> (bytes: Int, hash: UInt64) {
        try flush()
        try file.commit()
        return (bytes, hasher.digest)
    }
}
