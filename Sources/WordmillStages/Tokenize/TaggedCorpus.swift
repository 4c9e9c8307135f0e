import WordmillArtifacts
import WordmillData
import WordmillPipeline
import WordmillText

/// Reads `format: "tagged"` corpora: `token<TAB>tag` per line, a blank line between
/// sentences (CoNLL style). Each sentence becomes a document whose tokens are the first
/// column taken as is; the tags go to `TokenTags`.
struct TaggedCorpus {
    var documents = 0
    var tokens = 0
    var skippedLines = 0
    var tagNumbering = ClassNumbering()
    var tags: [UInt32] = []
    var isTest: [UInt8] = []

    /// Streams every file's sentences into `stream`. A line without a tab (or with an empty
    /// token or tag) is malformed: `skipMalformed` counts and drops it, otherwise it fails
    /// naming file and line; invalid UTF-8 fails naming the byte offset.
    mutating func read(files: [String], testFiles: Set<String>, skipMalformed: Bool, into stream: inout TokenStream.Writer,
                       log: (String) -> Void) throws {
        var record: [UInt8] = [], body: [UInt8] = []
        var count = 0
        func flush(_ test: UInt8) throws {
            guard count > 0 else { return }
            record.removeAll(keepingCapacity: true)
            RecordCoding.appendVarint(count, to: &record)
            record.append(contentsOf: body)
            try record.withUnsafeBytes { try stream.appendEncoded($0, tokens: count) }
            isTest.append(test)
            documents += 1
            tokens += count
            body.removeAll(keepingCapacity: true)
            count = 0
        }
        for file in files {
            let test: UInt8 = testFiles.contains(file) ? 1 : 0
            try LineReader(path: file).forEachLine { line, number, offset in
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return try flush(test) }
                if let bad = UTF8Check.firstInvalidOffset(line) {
                    throw StageInputError("\(file): invalid UTF-8 at byte offset \(offset + bad) (line \(number))")
                }
                var end = line.count
                if end > 0 && line[end - 1] == 0x0D { end -= 1 }
                guard let tab = line.firstIndex(of: 0x09), tab > 0, tab + 1 < end else {
                    let problem = "\(file):\(number): expected token<TAB>tag"
                    guard skipMalformed else { throw StageInputError("\(problem); fix the file or set \"on_error\": \"skip\"") }
                    if skippedLines < 5 { log("skipped \(problem)") }
                    skippedLines += 1
                    return
                }
                let token = UnsafeBufferPointer(rebasing: line[0..<tab])
                RecordCoding.appendString(token, to: &body)
                tags.append(tagNumbering.id(ofUTF8: UnsafeBufferPointer(rebasing: line[(tab + 1)..<end])))
                count += 1
            }
            try flush(test)
        }
    }

    /// The tags renumbered in code-point order.
    func tokenTags() -> TokenTags {
        let (classes, remap) = tagNumbering.sorted()
        return TokenTags(classes: classes, tags: tags.map { remap[Int($0)] })
    }
}
