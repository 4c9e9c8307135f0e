import Foundation

/// A fresh temporary folder, removed when the value is released.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    public init() {
        let base = NSTemporaryDirectory() + "wordmill-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        path = base
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes a text file (creating folders) and returns its path.
    @discardableResult
    public func write(_ relative: String, _ text: String) -> String {
        let full = path + "/" + relative
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: full, atomically: false, encoding: .utf8)
        return full
    }

    /// Writes raw bytes and returns the path.
    @discardableResult
    public func write(_ relative: String, bytes: [UInt8]) -> String {
        let full = path + "/" + relative
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        precondition(FileManager.default.createFile(atPath: full, contents: Data(bytes)), "cannot write \(full)")
        return full
    }

    public func file(_ relative: String) -> String { path + "/" + relative }
}

/// Paths into the repository and the shared seed fixtures.
public enum Repository {
    /// The package root (the folder holding Package.swift).
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.path + "/Package.swift") { return url.path }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// The tests' Python (the virtual environment `make test` creates): jsonschema, numpy,
    /// gensim and fastText's package, which the interchange tests load wordmill's exports with.
    public static let python = root + "/.venv-test/bin/python3"

    /// A file under Tests/Fixtures.
    public static func fixture(_ name: String) -> String { root + "/Tests/Fixtures/" + name }

    /// The lecture fixture as parsed JSON (Foundation types).
    public static func expectedReviews() -> [String: Any] {
        let data = try! Data(contentsOf: URL(fileURLWithPath: fixture("reviews-ko.expected.json")))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// The built `wordmill` binary (debug build beside the test bundle, or WORDMILL_BIN).
    public static var binary: String {
        if let env = ProcessInfo.processInfo.environment["WORDMILL_BIN"] { return env }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.path + "/wordmill"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        return root + "/.build/debug/wordmill"
    }
}

/// The outcome of running the CLI.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Runs the `wordmill` binary to completion.
@discardableResult
public func runWordmill(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:], tool: String? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool ?? Repository.binary)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes fully before waiting, so a chatty process cannot block on a full pipe.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
}
