import Foundation
import WordmillArtifacts
import WordmillSupport

/// Content hashes of corpus files, cached by (device, inode, size, mtime) so unchanged
/// files are not re-read on every run. A changed file (or a touched one) is re-hashed;
/// the fingerprint depends on the content alone.
public final class FileHashCache {
    private let cachePath: String
    private var entries: [String: JSONValue]
    private var changed = false

    /// Opens (or starts) the cache in `stateDirectory`.
    public init(stateDirectory: String) {
        cachePath = stateDirectory + "/file-hashes.json"
        if let bytes = try? FileSystem.readFile(cachePath), let json = try? JSONParser.parse(bytes), let o = json.objectValue {
            entries = o
        } else {
            entries = [:]
        }
    }

    /// The content hash (XXH64, hex) and size of `path`; `verify` forces a re-read.
    public func hash(of path: String, verify: Bool = false) throws(PipelineError) -> (hash: String, size: Int) {
        var st = stat()
        guard stat(path, &st) == 0 else { throw .inputError("\(path): cannot read: \(FileSystem.errnoText())") }
        let key = JSONValue.object([
            "dev": .int(Int64(st.st_dev)), "ino": .int(Int64(st.st_ino)), "size": .int(Int64(st.st_size)),
            "mtime_ns": .int(Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)),
        ])
        if !verify, let e = entries[path], e["stat"] == key, let h = e["xxh64"]?.stringValue {
            return (h, Int(st.st_size))
        }
        let h: UInt64
        do { h = try FileSystem.hashFile(path) } catch { throw .inputError(error.description) }
        entries[path] = .object(["stat": key, "xxh64": .string(h.hex16)])
        changed = true
        return (h.hex16, Int(st.st_size))
    }

    /// Writes the cache back if anything changed (atomically; failures are harmless). Not
    /// flushed to disk: a cache lost or left unreadable by a crash only means hashing the
    /// files again, and the two fsyncs took a millisecond or two of every run that hashed.
    public func save() {
        guard changed else { return }
        try? FileSystem.createDirectories(FileSystem.parent(of: cachePath))
        try? AtomicFile.write(Array(JSONValue.object(entries).canonicalText.utf8), to: cachePath, durable: false)
        changed = false
    }
}
