
/// One problem found in a spec: where (a JSON path such as `stages[2].window`, and the
/// stage's name when it has one) and what.
public struct SpecIssue: Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String
    public var stage: String?
    public init(path: String, message: String, stage: String? = nil) {
        self.path = path
        self.message = message
        self.stage = stage
    }
    public var description: String {
        let place = path + (stage.map { " (stage '\($0)')" } ?? "")
        return place.isEmpty ? message : "\(place): \(message)"
    }
}

/// Everything the pipeline layer reports, each with its exit code.
public enum PipelineError: Error, Sendable, CustomStringConvertible {
    /// The spec file is unreadable JSON or breaks the rules; all issues found are listed.
    case invalidSpec(file: String, issues: [SpecIssue])
    /// A corpus file or artifact is missing, unreadable or damaged.
    case inputError(String)
    /// Command-line usage (unknown stage in `--only`, conflicting flags).
    case usage(String)
    /// The artifact directory is locked by another run.
    case locked(String)
    /// A stage failed while running.
    case stageFailed(stage: String, message: String)

    public var exitCode: ExitCode {
        switch self {
        case .invalidSpec: return .invalidSpec
        case .inputError: return .inputError
        case .usage: return .usage
        case .locked: return .locked
        case .stageFailed: return .stageFailed
        }
    }

    public var description: String {
        switch self {
        case .invalidSpec(let file, let issues):
            let plural = issues.count == 1 ? "" : "s"
            return "\(file): invalid spec (\(issues.count) problem\(plural)):\n" + issues.map { "  - \($0)" }.joined(separator: "\n")
        case .inputError(let m): return m
        case .usage(let m): return m
        case .locked(let m): return m
        case .stageFailed(let stage, let m): return "stage '\(stage)' failed: \(m)"
        }
    }
}

/// Errors a stage throws for bad input data (exit 66) rather than an internal failure (exit 1).
public struct StageInputError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
