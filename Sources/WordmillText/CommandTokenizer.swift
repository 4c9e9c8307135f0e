import Foundation

/// Why an external tokenizer command failed.
public struct CommandTokenizerError: Error, CustomStringConvertible {
    public let description: String
    init(_ argv: [String], _ what: String) { description = "tokenizer command `\(argv.joined(separator: " "))` \(what)" }
}

/// Pipes documents through an external analyser — one document per input line, its tokens
/// space-separated on one output line (e.g. `mecab -Owakati`) — streaming both ways:
/// `feed` runs on a thread of its own and sends each document's text with `send`, while
/// `receive` gets each output line, in order, on the calling thread. Memory holds what is
/// in flight in the pipes, not the corpus.
///
/// A command that exits with an error, stays silent for `timeoutSeconds` while documents
/// are outstanding, or writes more or fewer lines than it was given fails with an error
/// naming the command and the line.
public enum CommandTokenizer {
    public static func run(
        argv: [String], timeoutSeconds: Double,
        feed: @escaping @Sendable (_ send: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Void,
        receive: (_ line: UnsafeBufferPointer<UInt8>, _ number: Int) throws -> Void
    ) throws {
        signal(SIGPIPE, SIG_IGN)  // a command that exits early must not kill us through its closed stdin
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable(argv))
        process.arguments = Array(argv.dropFirst())
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { throw CommandTokenizerError(argv, "could not start: \(error.localizedDescription)") }
        let stderrTail = StderrTail(errors.fileHandleForReading)
        let state = FeedState()
        let writeHandle = input.fileHandleForWriting
        let writer = writeHandle.fileDescriptor
        let feeding = Thread {
            do {
                try feed { text in
                    var line = Array(text)
                    for k in line.indices where line[k] == 0x0A || line[k] == 0x0D { line[k] = 0x20 }  // one document, one line
                    line.append(0x0A)
                    // Counted before it is written: the command may answer the line before this
                    // thread runs again, and the reader must not take that answer for an extra line.
                    state.sent()
                    try line.withUnsafeBytes { bytes in
                        var offset = 0
                        while offset < bytes.count {
                            let n = Foundation.write(writer, bytes.baseAddress! + offset, bytes.count - offset)
                            if n < 0 {
                                if errno == EINTR { continue }
                                throw CommandTokenizerError(argv, "stopped reading its input (\(String(cString: strerror(errno))))")
                            }
                            offset += n
                        }
                    }
                }
            } catch {
                state.fail(error)
            }
            // Through the handle, so its deinit does not close the number again later, when it
            // may belong to another pipe (two runs in one process, e.g. predict's batches).
            try? writeHandle.close()
            state.finish()
        }
        feeding.stackSize = 4 << 20
        feeding.start()

        let reader = output.fileHandleForReading.fileDescriptor
        var pending: [UInt8] = []
        var received = 0
        let chunk = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 16)
        defer { chunk.deallocate() }
        func stop(_ error: Error) -> Error {
            if process.isRunning { process.terminate() }
            state.waitForFinish()
            return error
        }
        while true {
            var poller = pollfd(fd: reader, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(timeoutSeconds * 1000, Double(Int32.max))))
            if ready == 0 {
                if state.outstanding(received: received) {
                    throw stop(CommandTokenizerError(argv, "wrote nothing for \(Int(timeoutSeconds)) s while document \(received + 1) was waiting (timeout_seconds)"))
                }
                continue
            }
            if ready < 0 { if errno == EINTR { continue } else { throw stop(CommandTokenizerError(argv, "output cannot be read: \(String(cString: strerror(errno)))")) } }
            let n = read(reader, chunk.baseAddress, chunk.count)
            if n < 0 { if errno == EINTR { continue } else { throw stop(CommandTokenizerError(argv, "output cannot be read: \(String(cString: strerror(errno)))")) } }
            if n == 0 { break }
            var start = 0
            for i in 0..<n where chunk[i] == 0x0A {
                received += 1
                if received > state.sentCount() {
                    throw stop(CommandTokenizerError(argv, "wrote output line \(received) before it was given document \(received): it must write exactly one line per input line"))
                }
                if pending.isEmpty {
                    try receive(UnsafeBufferPointer(rebasing: chunk[start..<i]).droppingCarriageReturn, received)
                } else {
                    pending.append(contentsOf: chunk[start..<i])
                    try pending.withUnsafeBufferPointer { try receive($0.droppingCarriageReturn, received) }
                    pending.removeAll(keepingCapacity: true)
                }
                start = i + 1
            }
            pending.append(contentsOf: chunk[start..<n])
        }
        process.waitUntilExit()
        state.waitForFinish()
        if let error = state.error { throw error }
        if process.terminationStatus != 0 || process.terminationReason != .exit {
            throw CommandTokenizerError(argv, "failed (exit status \(process.terminationStatus)) after \(received) of \(state.sentCount()) lines: \(stderrTail.text)")
        }
        if !pending.isEmpty { throw CommandTokenizerError(argv, "ended its last line without a line break (line \(received + 1))") }
        if received != state.sentCount() {
            throw CommandTokenizerError(argv, "wrote \(received) lines for \(state.sentCount()) documents: line \(received + 1) of its input has no output line")
        }
    }

    /// What `argv[0] --version` prints (up to 1000 characters), or "" when it has no such
    /// flag; part of the tokenize stage's fingerprint, so a new analyser version reruns it.
    public static func version(_ argv: [String]) -> String {
        guard let path = try? executable(argv) else { return "" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--version"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "" }
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { process.terminate(); return "" }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        return process.terminationStatus == 0 ? String(decoding: data.prefix(1000), as: UTF8.self) : ""
    }

    /// The command's path: as given when it contains a slash, else found on PATH.
    public static func executable(_ argv: [String]) throws -> String {
        guard let name = argv.first, !name.isEmpty else { throw CommandTokenizerError(argv, "is empty") }
        if name.contains("/") { return name }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw CommandTokenizerError(argv, "was not found on PATH")
    }
}

/// Documents sent so far and the feeder's fate, shared between the feeding thread and the reader.
private final class FeedState: @unchecked Sendable {
    private let lock = NSCondition()
    private var count = 0
    private var done = false
    private(set) var error: Error?

    func sent() { lock.lock(); count += 1; lock.unlock() }
    func sentCount() -> Int { lock.lock(); defer { lock.unlock() }; return count }
    func fail(_ e: Error) { lock.lock(); error = e; lock.unlock() }
    func finish() { lock.lock(); done = true; lock.broadcast(); lock.unlock() }
    func waitForFinish() { lock.lock(); while !done { lock.wait() }; lock.unlock() }
    /// Whether a document sent (or being written) is still waiting for its line.
    func outstanding(received: Int) -> Bool { lock.lock(); defer { lock.unlock() }; return count > received }
}

/// Keeps the last 2000 bytes the command wrote on standard error, for the error message.
private final class StderrTail: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []

    init(_ handle: FileHandle) {
        handle.readabilityHandler = { [self] h in
            let data = h.availableData
            if data.isEmpty { h.readabilityHandler = nil; return }
            lock.lock()
            bytes.append(contentsOf: data)
            if bytes.count > 2000 { bytes.removeFirst(bytes.count - 2000) }
            lock.unlock()
        }
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        let s = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return s.isEmpty ? "(nothing on standard error)" : s
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// The line without a trailing `\r`.
    var droppingCarriageReturn: UnsafeBufferPointer<UInt8> {
        count > 0 && self[count - 1] == 0x0D ? UnsafeBufferPointer(rebasing: self[0..<(count - 1)]) : self
    }
}
