/// Everything that can go wrong reading or writing an artifact, each case naming the file.
public enum ArtifactError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The file is missing or cannot be opened or read.
    case unreadable(path: String, reason: String)
    /// The file is not an artifact, or is damaged: truncated, a checksum mismatch, a bad index.
    case damaged(path: String, reason: String)
    /// Written by a newer wordmill whose format this one cannot read.
    case unsupportedVersion(path: String, found: UInt32, supported: UInt32)
    /// The artifact is intact but of another kind than the reader expected.
    case wrongKind(path: String, found: String, expected: [String])
    /// A section the reader needs is absent.
    case missingSection(path: String, name: String)
    /// Writing failed (disk full, permissions); nothing was left under the final name.
    case writeFailed(path: String, reason: String)
    /// zstd refused a frame (used internally before a path is attached).
    case codec(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "\(path): cannot read: \(reason)"
        case .damaged(let path, let reason): return "\(path): damaged artifact: \(reason)"
        case .unsupportedVersion(let path, let found, let supported):
            return "\(path): artifact format version \(found) is newer than this wordmill reads (\(supported)); upgrade wordmill or rebuild the artifact"
        case .wrongKind(let path, let found, let expected):
            return "\(path): artifact holds '\(found)', expected \(expected.map { "'\($0)'" }.joined(separator: " or "))"
        case .missingSection(let path, let name): return "\(path): damaged artifact: section '\(name)' is missing"
        case .writeFailed(let path, let reason): return "\(path): cannot write: \(reason)"
        case .codec(let reason): return reason
        }
    }

    /// The file the error is about, when there is one.
    public var path: String? {
        switch self {
        case .unreadable(let p, _), .damaged(let p, _), .unsupportedVersion(let p, _, _), .wrongKind(let p, _, _),
            .missingSection(let p, _), .writeFailed(let p, _):
            return p
        case .codec: return nil
        }
    }
}
