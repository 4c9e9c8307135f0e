import WordmillArtifacts
import WordmillPipeline
import WordmillSupport
import WordmillText

/// Splits new text the way a model's training data was split, from the `tokenizer` options
/// its artifact records: a built-in tokenizer, MeCab with a dictionary the caller names (the
/// recorded path is relative to a spec that `predict` does not see), or the recorded analyser
/// command, run from the current folder as `wordmill run` ran it.
public final class TextSplitter {
    private let tokenizer: Tokenizer?
    private let tagger: MecabTagger?
    private let command: (argv: [String], timeoutSeconds: Double)?
    private var scratch: [UInt8] = []
    /// Texts already through the command (`prepare`), in order, and how many were taken.
    private var prepared: [(text: String, tokens: [String])] = []
    private var preparedTaken = 0

    /// `mecabDictionary` is needed for a model whose tokens came from the `mecab` tokenizer.
    public init(options: JSONValue, modelPath: String, mecabDictionary: String?) throws {
        guard var recorded = options.objectValue, let kind = recorded["kind"]?.stringValue else {
            throw ArtifactError.damaged(path: modelPath, reason: "the model does not record the tokenizer its data went through")
        }
        guard let declaration = TokenizerKinds.named(kind) else {
            throw UnsupportedTokenizer(description: "\(modelPath) was trained on tokens from the \"\(kind)\" tokenizer, which this version of wordmill does not know")
        }
        // The recorded options go through the declaration as a spec's would: options added
        // since the model was made take their defaults, and a damaged record is caught here.
        recorded["kind"] = nil
        var issues: [SpecIssue] = []
        let resolved = ParameterResolver.resolve(recorded, specs: declaration.parameters, path: "tokenizer", issues: &issues)
        guard issues.isEmpty else {
            throw ArtifactError.damaged(path: modelPath, reason: "its tokenizer options do not read: \(issues.map(\.description).joined(separator: "; "))")
        }
        switch declaration.setup(resolved, { $0 }) {
        case .builtin(let builtin): (tokenizer, tagger, command) = (builtin, nil, nil)
        case .command(let options): (tokenizer, tagger, command) = (nil, nil, (options.argv, options.timeoutSeconds))
        case .mecab(_, let options):
            guard let mecabDictionary else {
                throw UnsupportedTokenizer(description: "\(modelPath) was trained on MeCab morphemes (dictionary \"\(resolved.string("dictionary"))\" relative to its spec); pass --mecab-dictionary PATH (corpora/tools/mecab-ko-dic.sh prints it)")
            }
            (tokenizer, tagger, command) = (nil, try MecabTagger(model: try MecabModel(dictionary: mecabDictionary), options: options), nil)
        }
    }

    /// Whether texts should be handed over in batches (`prepare`): an analyser command starts
    /// once per batch, not once per text.
    public var prefersBatches: Bool { command != nil }

    /// Runs the analyser command over `texts` at once; `split` then takes their tokens in
    /// order. Does nothing for the built-in tokenizers.
    public func prepare(_ texts: [String]) throws {
        guard let command else { return }
        prepared = zip(texts, try runCommand(command, texts)).map { ($0, $1) }
        preparedTaken = 0
    }

    /// Each text's tokens from one run of the command (a text per input line).
    private func runCommand(_ command: (argv: [String], timeoutSeconds: Double), _ texts: [String]) throws -> [[String]] {
        var tokens: [[String]] = []
        tokens.reserveCapacity(texts.count)
        let whitespace = Tokenizer(kind: .whitespace)
        try CommandTokenizer.run(argv: command.argv, timeoutSeconds: command.timeoutSeconds, feed: { send in
            for text in texts {
                var text = text
                try text.withUTF8 { try send($0) }
            }
        }, receive: { line, _ in
            var words: [String] = []
            whitespace.tokenize(utf8: line, scratch: &scratch) { words.append(String(decoding: $0, as: UTF8.self)) }
            tokens.append(words)
        })
        return tokens
    }

    /// Whether tokens are characters (joined without spaces when text is generated).
    public var characterLevel: Bool { tokenizer?.kind == .chars }

    /// The tokens of one text.
    public func split(_ text: String) throws -> [String] {
        if let command {
            if preparedTaken < prepared.count, prepared[preparedTaken].text == text {
                preparedTaken += 1
                return prepared[preparedTaken - 1].tokens
            }
            return try runCommand(command, [text])[0]
        }
        var tokens: [String] = []
        var bytes = Array(text.utf8)
        try bytes.withUnsafeMutableBufferPointer { line in
            if let tagger {
                try tagger.tokenize(utf8: UnsafeBufferPointer(line)) { tokens.append(String(decoding: $0, as: UTF8.self)) }
            } else {
                tokenizer!.tokenize(utf8: UnsafeBufferPointer(line), scratch: &scratch) { tokens.append(String(decoding: $0, as: UTF8.self)) }
            }
        }
        return tokens
    }
}

/// A model whose tokenizer `predict` cannot reproduce.
public struct UnsupportedTokenizer: Error, CustomStringConvertible {
    public let description: String
}
