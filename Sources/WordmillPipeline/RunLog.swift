import Foundation
import WordmillSupport

/// How run events are printed.
public enum LogFormat: String, Sendable, CaseIterable {
    /// One readable line per event; timestamps when standard output is not a terminal (cron).
    case plain
    /// One JSON object per line, for machines.
    case json
}

/// Prints run events: plain lines for people and cron mail, or JSON lines.
public final class RunLog: @unchecked Sendable {
    public let format: LogFormat
    public let quiet: Bool
    private let timestamps: Bool
    private let lock = NSLock()

    public init(format: LogFormat = .plain, quiet: Bool = false) {
        self.format = format
        self.quiet = quiet
        timestamps = isatty(STDOUT_FILENO) == 0
    }

    /// An event: `kind` such as "ran", "up-to-date", "failed"; `message` for people; `fields` for JSON.
    public func event(_ kind: String, stage: String? = nil, _ message: String, fields: [String: JSONValue] = [:], isError: Bool = false) {
        if quiet && !isError { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        switch format {
        case .json:
            var object = fields
            object["event"] = .string(kind)
            object["message"] = .string(message)
            object["time"] = .string(Timestamp.iso8601(now))
            if let stage { object["stage"] = .string(stage) }
            writeLine(JSONValue.object(object).canonicalText)
        case .plain:
            let prefix = timestamps ? Timestamp.iso8601(now) + " " : ""
            let line = prefix + message
            if isError {
                FileHandle.standardError.write(Data((line + "\n").utf8))
            } else {
                writeLine(line)
            }
        }
    }
}

/// Writes a line to standard output at once (no buffering: cron logs and pipes see it immediately).
private func writeLine(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Human-readable byte counts.
public func formatBytes(_ n: Int) -> String {
    if n < 1024 { return "\(n) B" }
    let units = ["KiB", "MiB", "GiB", "TiB"]
    var v = Double(n) / 1024
    var u = 0
    while v >= 1024, u < units.count - 1 { v /= 1024; u += 1 }
    return String(format: "%.1f %@", v, units[u])
}

/// Seconds with sensible precision.
public func formatSeconds(_ s: Double) -> String {
    s < 10 ? String(format: "%.3f s", s) : String(format: "%.1f s", s)
}
