/// Problems writing or reading foreign formats, naming the file and the line or token.
public enum ExportError: Error, Sendable, CustomStringConvertible {
    /// A token the format cannot represent (white space, newline, empty).
    case unrepresentableToken(format: String, id: Int, token: String, reason: String)
    /// A file in a foreign format is malformed.
    case malformed(path: String, line: Int, reason: String)
    /// A binary file in a foreign format is malformed at a byte offset.
    case malformedBinary(path: String, offset: Int, reason: String)

    public var description: String {
        switch self {
        case .unrepresentableToken(let format, let id, let token, let reason):
            return "\(format) cannot hold token \(id) \(token.debugDescription): \(reason)"
        case .malformed(let path, let line, let reason): return "\(path): line \(line): \(reason)"
        case .malformedBinary(let path, let offset, let reason): return "\(path): byte \(offset): \(reason)"
        }
    }
}
