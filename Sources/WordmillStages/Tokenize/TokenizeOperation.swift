import WordmillArtifacts
import WordmillData
import WordmillPipeline
import WordmillText

/// `tokenize`: corpus files (one document per line) → a `tokens` artifact, streamed.
enum TokenizeOperation {
    static let normalizeChoices = Normalization.allCases.map(\.rawValue)

    static let definition = OperationDefinition(
        name: "tokenize",
        summary: "split corpus files (one document per line) into tokens",
        parameters: [
            ParameterSpec("inputs", .paths, doc: "corpus files or globs, relative to the spec's folder"),
            ParameterSpec("tokenizer", .options(kinds: [
                "whitespace": [],
                "words": [
                    ParameterSpec("lowercase", .boolean, default: false, doc: "lowercase tokens"),
                    ParameterSpec("normalize", .string(choices: normalizeChoices), default: "none", doc: "Unicode normalisation"),
                ],
                "chars": [
                    ParameterSpec("lowercase", .boolean, default: false, doc: "lowercase tokens"),
                    ParameterSpec("normalize", .string(choices: normalizeChoices), default: "none", doc: "Unicode normalisation"),
                    ParameterSpec("keep_whitespace", .boolean, default: false, doc: "keep white space as the token ▁"),
                ],
            ]), default: "words", doc: "how lines become tokens"),
            ParameterSpec("encoding_errors", .string(choices: ["strict", "replace"]), default: "strict",
                          doc: "invalid UTF-8: fail naming file and byte offset, or replace with U+FFFD and count"),
        ],
        inputs: [],
        outputKind: { _ in TokenStream.artifactKind },
        algorithmVersion: 1,
        fileParameters: ["inputs"],
        run: run)

    static func tokenizer(from options: [String: JSONValue]) -> Tokenizer {
        Tokenizer(
            kind: Tokenizer.Kind(rawValue: options.string("kind"))!,
            lowercase: options["lowercase"]?.boolValue ?? false,
            normalization: Normalization(rawValue: options["normalize"]?.stringValue ?? "none") ?? .none,
            keepWhitespace: options["keep_whitespace"]?.boolValue ?? false)
    }

    static func run(_ context: StageContext) throws -> StageReport {
        let tokenizer = tokenizer(from: context.parameters.object("tokenizer"))
        let strict = context.parameters.string("encoding_errors") == "strict"
        var report = StageReport()
        try context.writeArtifact(kind: TokenStream.artifactKind) { writer in
            var stream = TokenStream.Writer(writer: writer)
            var blankLines = 0, replacedLines = 0, bytes = 0
            var fileRecords: [JSONValue] = []
            for (file, content) in zip(context.files, context.fileHashes) {
                try LineReader(path: file).forEachLine { line, number, offset in
                    if let bad = UTF8Check.firstInvalidOffset(line) {
                        if strict {
                            throw StageInputError("\(file): invalid UTF-8 at byte offset \(offset + bad) (line \(number)); fix the file or set \"encoding_errors\": \"replace\"")
                        }
                        replacedLines += 1
                    }
                    var any = false
                    tokenizer.tokenize(String(decoding: line, as: UTF8.self)) { token in
                        stream.addToken(token)
                        any = true
                    }
                    if any { try stream.endDocument() } else { blankLines += 1 }
                }
                bytes += content.size
                fileRecords.append(["path": .string(displayPath(file, context: context)), "bytes": .integer(content.size), "xxh64": .string(content.hash)])
            }
            if stream.tokens == 0 {
                throw StageInputError("the corpus has no tokens: \(context.files.joined(separator: ", ")) \(context.files.count == 1 ? "is" : "are") empty or blank")
            }
            try stream.finish()
            let counts = ["documents": stream.documents, "tokens": stream.tokens, "blank_lines": blankLines, "replaced_lines": replacedLines]
            var summary = "\(stream.documents) documents, \(stream.tokens) tokens from \(context.files.count) file\(context.files.count == 1 ? "" : "s")"
            if replacedLines > 0 { summary += ", \(replacedLines) lines with invalid UTF-8 replaced" }
            report = StageReport(counts: counts.merging(["bytes": bytes]) { a, _ in a }, summary: summary)
            return (counts, ["files": .array(fileRecords)])
        }
        return report
    }

    /// A corpus path relative to the spec's folder when inside it, so artifacts do not name machine paths.
    static func displayPath(_ file: String, context: StageContext) -> String {
        let prefix = context.spec.directory + "/"
        return context.spec.directory != "." && file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file
    }
}
