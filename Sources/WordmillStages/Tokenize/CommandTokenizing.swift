import Foundation
import WordmillArtifacts
import WordmillPipeline
import WordmillText

/// The `command` tokenizer's settings.
struct CommandOptions {
    var argv: [String]
    var timeoutSeconds: Double
}

/// What the feeding thread counted.
private final class FeedCounts: @unchecked Sendable {
    var blankLines = 0, replacedLines = 0, skippedLines = 0
    var skipped: [String] = []
}

/// Per document sent to the command, what the stage needs when its line comes back.
private final class PendingDocuments: @unchecked Sendable {
    private let lock = NSLock()
    private var queue: [(labels: [String], isTest: UInt8)] = []
    private var head = 0

    func push(_ labels: [String], _ isTest: UInt8) {
        lock.lock()
        queue.append((labels, isTest))
        lock.unlock()
    }

    func pop() -> (labels: [String], isTest: UInt8) {
        lock.lock()
        defer { lock.unlock() }
        let item = queue[head]
        head += 1
        if head > 4096 {
            queue.removeFirst(head)
            head = 0
        }
        return item
    }
}

extension TokenizeOperation {
    /// Streams the corpus through the command (read and sent on a thread of its own) and
    /// hands each returned line's tokens to `accept`, in order.
    static func tokenizeWithCommand(
        _ command: CommandOptions, context: StageContext, format: CorpusFormat, testFiles: Set<String>, strict: Bool, skipMalformed: Bool,
        accept: ([String], UInt8, UnsafeRawBufferPointer, Int) throws -> Void
    ) throws -> (blankLines: Int, replacedLines: Int, skippedLines: Int) {
        let counts = FeedCounts()
        let pending = PendingDocuments()
        let files = context.files
        var record: [UInt8] = []
        var tokens: [UInt8] = []
        var scratch: [UInt8] = []
        let splitter = Tokenizer(kind: .whitespace)
        do {
            try CommandTokenizer.run(argv: command.argv, timeoutSeconds: command.timeoutSeconds, feed: { send in
                for file in files {
                    let isTest: UInt8 = testFiles.contains(file) ? 1 : 0
                    try CorpusDocuments(path: file, format: format).forEach(blank: { _ in counts.blankLines += 1 }, malformed: { problem in
                        guard skipMalformed else { throw StageInputError("\(problem); fix the file or set \"on_error\": \"skip\"") }
                        if counts.skipped.count < 5 { counts.skipped.append("skipped \(problem)") }
                        counts.skippedLines += 1
                    }) { document in
                        if let bad = UTF8Check.firstInvalidOffset(document.text) {
                            if strict {
                                throw StageInputError("\(file): invalid UTF-8 at byte offset \(document.textOffset + bad) (line \(document.line)); fix the file or set \"encoding_errors\": \"replace\"")
                            }
                            counts.replacedLines += 1
                            var fixed = Array(String(decoding: document.text, as: UTF8.self).utf8)
                            pending.push(document.labels, isTest)
                            try fixed.withUnsafeMutableBufferPointer { try send(UnsafeBufferPointer($0)) }
                            return
                        }
                        pending.push(document.labels, isTest)
                        try send(document.text)
                    }
                }
            }, receive: { line, number in
                let document = pending.pop()
                if let bad = UTF8Check.firstInvalidOffset(line) {
                    throw StageInputError("tokenizer command `\(command.argv.joined(separator: " "))` wrote invalid UTF-8 on output line \(number) at byte \(bad)")
                }
                tokens.removeAll(keepingCapacity: true)
                var count = 0
                splitter.tokenize(utf8: line, scratch: &scratch) { RecordCoding.appendString($0, to: &tokens); count += 1 }
                record.removeAll(keepingCapacity: true)
                RecordCoding.appendVarint(count, to: &record)
                record.append(contentsOf: tokens)
                try record.withUnsafeBytes { try accept(document.labels, document.isTest, $0, count) }
            })
        } catch let error as CommandTokenizerError {
            throw StageInputError(error.description)
        }
        for line in counts.skipped { context.log(line) }
        return (counts.blankLines, counts.replacedLines, counts.skippedLines)
    }
}
