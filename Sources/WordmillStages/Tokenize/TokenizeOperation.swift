import WordmillData
import WordmillPipeline
import WordmillSupport
import WordmillText

/// `tokenize`: corpus files (one document per line) → a `tokens` artifact, streamed.
enum TokenizeOperation {
    static let definition = OperationDefinition(
        name: "tokenize",
        summary: "split corpus files into documents of tokens, with labels and a train/test split when given",
        parameters: [
            ParameterSpec("inputs", .paths, doc: "corpus files or globs, relative to the spec's folder"),
            ParameterSpec("test_inputs", .paths, default: [], doc: "files whose documents form the test part (instead of split)"),
            ParameterSpec("format", .options(kinds: [
                FormatKind.lines.rawValue: [],
                FormatKind.tsv.rawValue: [
                    ParameterSpec("label_separator", .string(), default: .null,
                                  doc: "several labels per document: the label column split on this string (none: the column is one label)"),
                ],
                FormatKind.jsonl.rawValue: [
                    ParameterSpec("text_field", .string(), default: "text", doc: "the field holding the text"),
                    ParameterSpec("label_field", .string(), default: .null, doc: "the field holding the label (none: unlabelled)"),
                    ParameterSpec("multi_label", .boolean, default: false, doc: "the label field may also be an array of labels"),
                ],
                FormatKind.folders.rawValue: [],
                FormatKind.tagged.rawValue: [],
            ]), default: "lines", doc: "lines: a document per line; tsv: label<TAB>text; jsonl: a JSON object per line; folders: a document per file, labelled by its folder; tagged: token<TAB>tag lines, a blank line between sentences (tokens taken as is; the tokenizer is what predict uses on new text)"),
            ParameterSpec("tokenizer", TokenizerKinds.optionsType, default: "words", doc: "how lines become tokens"),
            ParameterSpec("split", .object(fields: [
                ParameterSpec("test_fraction", .number(min: 0, max: 1), doc: "share of each class's documents held out for testing"),
                ParameterSpec("seed", .integer(min: 0), default: 1, doc: "which documents are held out"),
            ]), default: .null, doc: "hold out a stratified test part"),
            ParameterSpec("on_error", .string(choices: OnError.allCases.map(\.rawValue)), default: "fail",
                          doc: "a malformed line (tsv without a tab, bad JSON, a missing field): fail naming file and line, or skip and count"),
            ParameterSpec("encoding_errors", .string(choices: EncodingErrors.allCases.map(\.rawValue)), default: "strict",
                          doc: "invalid UTF-8: fail naming file and byte offset, or replace with U+FFFD and count"),
            ParameterSpec("threads", .integer(min: 0, max: 256), default: 0, doc: "tokenizing threads, 0 = one per core (counting and compression have a thread each besides); the artifact is the same for any number"),
        ],
        inputs: [],
        outputKind: TokenStream.artifactKind,
        algorithmVersion: 2,  // 2: the training documents' token counts stored
        fileParameters: ["inputs", "test_inputs"],
        environment: { stage, spec in
            let options = stage.parameters.object("tokenizer")
            return TokenizerKinds.declaration(of: options).environment?(options, spec)
        },
        check: { c in
            var issues: [SpecIssue] = []
            if c.parameters["split"] != nil && !c.parameters.strings("test_inputs").isEmpty {
                issues.append(c.issue("split", "give either \"split\" or \"test_inputs\", not both"))
            }
            if c.parameters.object("format").choice("kind", as: FormatKind.self) == .tagged, TokenizerKinds.declaration(of: c.parameters.object("tokenizer")).isExternal {
                issues.append(c.issue("tokenizer", "format \"tagged\" takes its tokens from the file; a command tokenizer cannot apply"))
            }
            return issues
        },
        requirements: { stage, spec in
            let options = stage.parameters.object("tokenizer")
            return TokenizerKinds.declaration(of: options).requirements?(options, spec, "\(stage.jsonPath).tokenizer") ?? []
        },
        run: { context in try run(context, shard: nil) },
        sharding: Sharding(
            unit: "the documents whose lines start in bytes [B·I/N, B·(I+1)/N) of the B the corpus files hold end to end",
            refusal: { p in
                if p.object("format").choice("kind", as: FormatKind.self) == .tagged { return "format \"tagged\" is read whole: its sentences span lines" }
                if TokenizerKinds.declaration(of: p.object("tokenizer")).isExternal { return "a command tokenizer reads the whole corpus in one process" }
                return nil
            },
            runShard: { context, shard in try run(context, shard: shard) },
            merge: TokenizeMerge.merge))

    /// The corpus formats a spec names.
    enum FormatKind: String, CaseIterable { case lines, tsv, jsonl, folders, tagged }
    /// What a malformed line does.
    enum OnError: String, CaseIterable { case fail, skip }
    /// What invalid UTF-8 does.
    enum EncodingErrors: String, CaseIterable { case strict, replace }

    /// The reader's format for resolved `format` options (`tagged` has a reader of its own).
    static func format(from options: [String: JSONValue]) -> CorpusFormat {
        switch options.choice("kind", as: FormatKind.self) {
        case .tsv: return .tsv(labelSeparator: options.optionalString("label_separator"))
        case .jsonl: return .jsonl(textField: options.string("text_field"), labelField: options.optionalString("label_field"), multiLabel: options.bool("multi_label"))
        case .folders: return .folders
        case .lines, .tagged: return .lines
        }
    }

    /// Tokenizes the corpus, or a shard's part of it (then the labels keep their own class
    /// list and the stratified split waits for the merge).
    static func run(_ context: StageContext, shard: ShardIndex?) throws -> StageReport {
        let p = context.parameters
        let options = p.object("tokenizer")
        var command: CommandOptions?
        var mecab: (model: MecabModel, options: MecabOptions)?
        var tokenizer = Tokenizer(kind: .whitespace)
        switch TokenizerKinds.declaration(of: options).setup(options, context.resolvePath) {
        case .builtin(let builtin): tokenizer = builtin
        case .command(let options): command = options
        case .mecab(let dictionary, let options):
            do { mecab = (try MecabModel(dictionary: dictionary), options) } catch { throw StageInputError("\(context.stage.jsonPath).tokenizer: \(error)") }
        }
        let format = format(from: p.object("format"))
        let strict = p.choice("encoding_errors", as: EncodingErrors.self) == .strict
        let skipMalformed = p.choice("on_error", as: OnError.self) == .skip
        let split = p["split"]?.objectValue
        let testPatterns = p.strings("test_inputs")
        let testFiles = Set(try CorpusFiles.resolve(testPatterns, spec: context.spec, path: "\(context.stage.jsonPath).test_inputs"))
        if p.object("format").choice("kind", as: FormatKind.self) == .tagged {
            return try tokenizeTagged(context, testFiles: testFiles, skipMalformed: skipMalformed, split: split)
        }
        // A shard takes the documents whose lines start in its part of the files' bytes, end to end.
        let fileBases = context.fileHashes.reduce(into: [0]) { $0.append($0.last! + $1.size) }
        let bytesInShard = shard.map { $0.range(of: fileBases.last!) } ?? 0..<Int.max
        var report = StageReport()
        try context.writeArtifact(kind: TokenStream.artifactKind) { writer in
            var stream = TokenStream.Writer(writer: writer)
            var blankLines = 0, replacedLines = 0, skippedLines = 0, bytes = 0
            var fileRecords: [JSONValue] = []
            var classes = ClassNumbering()
            var labels: [UInt32] = []
            // Multi-label formats: each document's other labels (first-seen ids) after its first.
            let multiLabel = format.isMultiLabel
            var moreOffsets: [UInt64] = multiLabel ? [0] : [], more: [UInt32] = []
            // Each document's part, kept only where the artifact will record a split.
            var testSplit: [UInt8] = []
            let keepsSplit = split != nil || !testFiles.isEmpty
            // The training documents' tokens are counted as each chunk's records arrive, in stream
            // order, and stored, so `vocab` need not decode and hash them again; not when a
            // stratified split settles the training part only at the end, nor for a command.
            let countAlong = split == nil && command == nil
            // Counting runs on a thread of its own, chunk by chunk in stream order, while this
            // thread reads, tokenizes (at one thread) and writes the next chunks.
            let counter = CounterBox()
            let counting = SerialBackgroundQueue(limit: 4)
            if countAlong {
                // The counting thread makes the table (a 16 MB one for gcide took 11 ms of page
                // faults) while this one reads and tokenizes the first chunks.
                let corpusBytes = context.fileHashes.reduce(0) { $0 + $1.size }
                counting.submit { counter.size(forCorpusBytes: corpusBytes) }
            }
            /// Takes one tokenized document: labelled ones are always kept, unlabelled empty ones are blank lines.
            func accept(_ documentLabels: [String], _ isTest: UInt8, _ record: UnsafeRawBufferPointer, _ tokens: Int) throws {
                if !documentLabels.isEmpty {
                    // A labelled document is data even when it has no tokens (scikit-learn keeps it as an empty row).
                    let ids = documentLabels.map { classes.id(of: $0) }
                    labels.append(ids[0])
                    if multiLabel {
                        for (k, id) in ids.enumerated().dropFirst() where !ids[..<k].contains(id) { more.append(id) }
                        moreOffsets.append(UInt64(more.count))
                    }
                } else if tokens == 0 {
                    blankLines += 1
                    return
                }
                if keepsSplit { testSplit.append(isTest) }
                try stream.appendEncoded(record, tokens: tokens)
            }
            // Documents go through chunks that `threads` workers tokenize; the chunks come
            // back in order, so the artifact is the same for any number of threads.
            let parallel = OrderedParallel<DocumentChunk, TokenizedChunk>(threads: WorkerThreads.resolve(p.int("threads")), transform: { chunk in
                if let mecab { return try chunk.tokenize(mecab: mecab.model, options: mecab.options) }
                return chunk.tokenize(with: tokenizer)
            }, consume: { done in
                for (i, document) in done.chunk.documents.enumerated() {
                    if done.invalidOffsets[i] >= 0 {
                        if strict {
                            throw StageInputError("\(document.file): invalid UTF-8 at byte offset \(document.textOffset + done.invalidOffsets[i]) (line \(document.line)); fix the file or set \"encoding_errors\": \"replace\"")
                        }
                        replacedLines += 1
                    }
                    try done.records.withUnsafeBytes { all in
                        try accept(document.labels, document.isTest, UnsafeRawBufferPointer(rebasing: all[done.recordStarts[i]..<done.recordStarts[i + 1]]), done.tokenCounts[i])
                    }
                }
                if countAlong {
                    // A training document the stream keeps (see `accept`) counts.
                    let documents = done.chunk.documents, tokenCounts = done.tokenCounts, records = done.records
                    counting.submit {
                        _ = try records.withUnsafeBytes { records in
                            try counter.value.addDocuments(records) { i in
                                documents[i].isTest == 0 && (!documents[i].labels.isEmpty || tokenCounts[i] > 0)
                            }
                        }
                    }
                }
            })
            if let command {
                let fed = try tokenizeWithCommand(command, context: context, format: format, testFiles: testFiles, strict: strict, skipMalformed: skipMalformed,
                                                  accept: accept)
                (blankLines, replacedLines, skippedLines) = (blankLines + fed.blankLines, fed.replacedLines, fed.skippedLines)
            }
            var chunk = DocumentChunk()
            for (f, (file, content)) in zip(context.files, context.fileHashes).enumerated() {
                let isTest: UInt8 = testFiles.contains(file) ? 1 : 0
                bytes += content.size
                fileRecords.append(fileRecord(file, content, context: context))
                if command != nil { continue }
                let base = fileBases[f]
                // A shard reads only the files where its part of the bytes lies: a line of another
                // file cannot start in it. (A file it does read is read whole, from its first line,
                // to hash it and to number its lines for error messages.)
                if shard != nil, !bytesInShard.overlaps(base..<(base + content.size)) {
                    context.skipRead(file)
                    continue
                }
                let read = try CorpusDocuments(path: file, format: format).forEach(blank: { offset in
                    if bytesInShard.contains(base + offset) { blankLines += 1 }
                }, malformed: { problem in
                    guard bytesInShard.contains(base + problem.offset) else { return }
                    guard skipMalformed else {
                        // Earlier documents first: one of them may hold an error to report before this one.
                        try parallel.submit(chunk)
                        chunk = DocumentChunk()
                        try parallel.finish()
                        throw StageInputError("\(problem); fix the file or set \"on_error\": \"skip\"")
                    }
                    if skippedLines < 5 { context.log("skipped \(problem)") }
                    skippedLines += 1
                }) { document in
                    guard bytesInShard.contains(base + document.offset) else { return }
                    chunk.add(document, file: file, isTest: isTest)
                    if chunk.text.count >= DocumentChunk.targetBytes {
                        try parallel.submit(chunk)
                        chunk = DocumentChunk()
                    }
                }
                try context.confirmRead(file, hash: read)
            }
            if !chunk.documents.isEmpty { try parallel.submit(chunk) }
            try parallel.finish()
            try counting.finish()
            if stream.tokens == 0, shard == nil {
                throw StageInputError("the corpus has no tokens: \(context.files.joined(separator: ", ")) \(context.files.count == 1 ? "is" : "are") empty or blank")
            }
            try stream.finish()
            var documentLabels = makeLabels(classes, firstSeenLabels: labels, testSplit: testSplit, split: shard == nil ? split : nil, hasTestFiles: !testFiles.isEmpty)
            if multiLabel, documentLabels.isLabelled {
                let remap = classes.sorted().remap
                (documentLabels.moreOffsets, documentLabels.more) = (moreOffsets, more.map { remap[Int($0)] })
            }
            try documentLabels.write(to: writer)
            let storedCounts = countAlong ? try counter.value.result.write(to: writer) : [:]
            let testDocuments = documentLabels.testCount
            var counts = ["documents": stream.documents, "tokens": stream.tokens, "blank_lines": blankLines, "replaced_lines": replacedLines,
                          "skipped_lines": skippedLines, "classes": documentLabels.classes.count, "test_documents": testDocuments]
            var summary = "\(stream.documents) documents, \(stream.tokens) tokens from \(context.files.count) file\(context.files.count == 1 ? "" : "s")"
            if documentLabels.isLabelled { summary += ", \(documentLabels.classes.count) classes" }
            if !documentLabels.split.isEmpty { summary += ", \(stream.documents - testDocuments) train / \(testDocuments) test" }
            if replacedLines > 0 { summary += ", \(replacedLines) lines with invalid UTF-8 replaced" }
            if skippedLines > 0 { summary += ", \(skippedLines) malformed lines skipped" }
            report = StageReport(counts: counts.merging(["bytes": bytes]) { a, _ in a }, summary: summary)
            counts["train_documents"] = stream.documents - testDocuments
            counts.merge(storedCounts) { a, _ in a }
            return (counts, ["files": .array(fileRecords)])
        }
        return report
    }

    /// `format: "tagged"`: sentences of token<TAB>tag lines, tags stored per token.
    static func tokenizeTagged(_ context: StageContext, testFiles: Set<String>, skipMalformed: Bool, split: [String: JSONValue]?) throws -> StageReport {
        var report = StageReport()
        try context.writeArtifact(kind: TokenStream.artifactKind) { writer in
            var stream = TokenStream.Writer(writer: writer)
            var corpus = TaggedCorpus()
            try corpus.read(files: context.files, testFiles: testFiles, skipMalformed: skipMalformed, into: &stream, log: context.log)
            if corpus.tokens == 0 {
                throw StageInputError("the corpus has no tagged tokens: \(context.files.joined(separator: ", ")) \(context.files.count == 1 ? "is" : "are") empty or blank")
            }
            try stream.finish()
            let labels = makeLabels(ClassNumbering(), firstSeenLabels: [], testSplit: corpus.isTest, split: split, hasTestFiles: !testFiles.isEmpty)
            try labels.write(to: writer)
            let tags = corpus.tokenTags()
            try tags.write(to: writer)
            let bytes = context.fileHashes.reduce(0) { $0 + $1.size }
            let files: [JSONValue] = zip(context.files, context.fileHashes).map { file, content in
                fileRecord(file, content, context: context)
            }
            let counts = ["documents": corpus.documents, "tokens": corpus.tokens, "tags": tags.classes.count, "skipped_lines": corpus.skippedLines,
                          "test_documents": labels.testCount, "train_documents": corpus.documents - labels.testCount]
            var summary = "\(corpus.documents) tagged sentences, \(corpus.tokens) tokens, \(tags.classes.count) tags from \(context.files.count) file\(context.files.count == 1 ? "" : "s")"
            if !labels.split.isEmpty { summary += ", \(corpus.documents - labels.testCount) train / \(labels.testCount) test" }
            if corpus.skippedLines > 0 { summary += ", \(corpus.skippedLines) malformed lines skipped" }
            report = StageReport(counts: counts.merging(["bytes": bytes]) { a, _ in a }, summary: summary)
            return (counts, ["files": .array(files)])
        }
        return report
    }

    /// Renumbers classes in code-point order and settles each document's split.
    static func makeLabels(_ classes: ClassNumbering, firstSeenLabels: [UInt32], testSplit: [UInt8], split: [String: JSONValue]?, hasTestFiles: Bool) -> DocumentLabels {
        let (sorted, remap) = classes.sorted()
        let labels = firstSeenLabels.map { remap[Int($0)] }
        var documentSplit: [UInt8] = []
        if let split {
            documentSplit = DocumentLabels.stratifiedSplit(labels: labels, documents: testSplit.count, testFraction: split.double("test_fraction"), seed: UInt64(split.int("seed")))
        } else if hasTestFiles {
            documentSplit = testSplit
        }
        return DocumentLabels(classes: sorted, labels: labels, split: documentSplit)
    }

    /// What the artifact records of a corpus file: its path (relative to the spec), size and XXH64.
    static func fileRecord(_ file: String, _ content: (hash: String, size: Int), context: StageContext) -> JSONValue {
        ["path": .string(displayPath(file, context: context)), "bytes": .integer(content.size), "xxh64": .string(content.hash)]
    }

    /// A corpus path relative to the spec's folder when inside it, so artifacts do not name machine paths.
    static func displayPath(_ file: String, context: StageContext) -> String {
        let prefix = context.spec.directory + "/"
        return context.spec.directory != "." && file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file
    }
}

/// The stage's counter, shared with the counting thread, which alone touches it until
/// `SerialBackgroundQueue.finish` returns.
private final class CounterBox: @unchecked Sendable {
    var value = VocabularyCounter(capacity: 0)

    /// Starts a counter sized for the distinct tokens a corpus of this many bytes is likely
    /// to hold, so its table is not rebuilt six or more times on the way: 30·√bytes, after
    /// Heaps' law (gcide's 24 MB hold 169 k distinct tokens, the Korean help corpus's 2.1 MB
    /// 25 k), at most 2 M to start with (a 256 MB table; it grows past that when a corpus
    /// needs it).
    func size(forCorpusBytes bytes: Int) {
        value = VocabularyCounter(capacity: min(30 * Int(Double(bytes).squareRoot()), 1 << 21))
    }
}
