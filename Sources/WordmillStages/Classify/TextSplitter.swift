import WordmillArtifacts
import WordmillText

/// Splits new text the way a model's training data was split, from the `tokenizer` options
/// its artifact records: a built-in tokenizer, or MeCab with a dictionary the caller names
/// (the recorded path is relative to a spec that `predict` does not see).
public final class TextSplitter {
    private let tokenizer: Tokenizer?
    private let tagger: MecabTagger?
    private var scratch: [UInt8] = []

    /// `mecabDictionary` is needed for a model whose tokens came from the `mecab` tokenizer.
    public init(options: JSONValue, modelPath: String, mecabDictionary: String?) throws {
        guard let options = options.objectValue, let kind = options["kind"]?.stringValue else {
            throw ArtifactError.damaged(path: modelPath, reason: "the model does not record the tokenizer its data went through")
        }
        if kind == "mecab" {
            guard let mecabDictionary else {
                throw UnsupportedTokenizer(description: "\(modelPath) was trained on MeCab morphemes (dictionary \"\(options["dictionary"]?.stringValue ?? "?")\" relative to its spec); pass --mecab-dictionary PATH (corpora/tools/mecab-ko-dic.sh prints it)")
            }
            let model = try MecabModel(dictionary: mecabDictionary)
            tagger = try MecabTagger(model: model, options: MecabOptions(
                attachTag: options["attach_pos"]?.boolValue ?? false, dropTags: (options["drop_pos"]?.arrayValue ?? []).compactMap(\.stringValue)))
            tokenizer = nil
            return
        }
        guard Tokenizer.Kind(rawValue: kind) != nil else {
            throw UnsupportedTokenizer(description: "\(modelPath) was trained on tokens from the \"\(kind)\" tokenizer, which predict cannot run; tokenize the texts with the same command and apply a model whose tokenize stage reads them with \"whitespace\"")
        }
        tokenizer = TokenizeOperation.tokenizer(from: options)
        tagger = nil
    }

    /// Whether tokens are characters (joined without spaces when text is generated).
    public var characterLevel: Bool { tokenizer?.kind == .chars }

    /// The tokens of one text.
    public func split(_ text: String) throws -> [String] {
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
