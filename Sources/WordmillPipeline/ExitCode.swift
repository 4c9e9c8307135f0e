/// wordmill's process exit codes (sysexits style), documented in the README.
public enum ExitCode: Int32, Sendable {
    /// Everything selected ran or was already up to date.
    case ok = 0
    /// A stage failed while running (bad numbers, a write error, a damaged artifact).
    case stageFailed = 1
    /// Wrong command-line usage (EX_USAGE).
    case usage = 64
    /// The spec is not valid (EX_DATAERR).
    case invalidSpec = 65
    /// An input is missing, unreadable or unusable: corpus files, artifacts (EX_NOINPUT).
    case inputError = 66
    /// Another run holds the artifact directory's lock (EX_TEMPFAIL).
    case locked = 75
}
