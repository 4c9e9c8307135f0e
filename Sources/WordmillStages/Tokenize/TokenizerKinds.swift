import Foundation
import WordmillArtifacts
import WordmillPipeline
import WordmillSupport
import WordmillText

/// How a tokenize stage turns text into tokens, decoded once from its `tokenizer` options.
enum TokenizerSetup {
    /// A built-in tokenizer, run in this process.
    case builtin(Tokenizer)
    /// An external analyser that reads a document per line and writes its tokens.
    case command(CommandOptions)
    /// MeCab with its dictionary folder (resolved), loaded when the stage runs.
    case mecab(dictionary: String, options: MecabOptions)
}

/// One tokenizer kind, declared once: its options with their defaults, what its tokens depend
/// on outside the spec (for the fingerprint), what it needs on the machine (checked before
/// anything runs), and how its options become a `TokenizerSetup`. Adding a tokenizer is one
/// declaration here and its line in `TokenizerKinds.all`.
struct TokenizerDeclaration: Sendable {
    let name: String
    let parameters: [ParameterSpec]
    /// Whether its tokens come from another program (which the `tagged` format cannot use).
    let isExternal: Bool
    let environment: (@Sendable (_ options: [String: JSONValue], _ spec: PipelineSpec) -> JSONValue?)?
    let requirements: (@Sendable (_ options: [String: JSONValue], _ spec: PipelineSpec, _ path: String) -> [SpecIssue])?
    /// `resolve` turns a path written in the spec into one to open.
    let setup: @Sendable (_ options: [String: JSONValue], _ resolve: (String) -> String) -> TokenizerSetup

    init(
        _ name: String, parameters: [ParameterSpec], isExternal: Bool = false,
        environment: (@Sendable ([String: JSONValue], PipelineSpec) -> JSONValue?)? = nil,
        requirements: (@Sendable ([String: JSONValue], PipelineSpec, String) -> [SpecIssue])? = nil,
        setup: @escaping @Sendable ([String: JSONValue], (String) -> String) -> TokenizerSetup
    ) {
        self.name = name
        self.parameters = parameters
        self.isExternal = isExternal
        self.environment = environment
        self.requirements = requirements
        self.setup = setup
    }
}

/// Every tokenizer kind a `tokenize` stage can name.
enum TokenizerKinds {
    static let all: [TokenizerDeclaration] = [whitespace, words, chars, sklearn, command, mecab]

    static func named(_ name: String) -> TokenizerDeclaration? { all.first { $0.name == name } }

    /// The `tokenizer` parameter's type: one option set per kind.
    static var optionsType: ParameterType { .options(kinds: Dictionary(all.map { ($0.name, $0.parameters) }) { a, _ in a }) }

    /// The declaration of resolved `tokenizer` options (the loader has checked the kind).
    static func declaration(of options: [String: JSONValue]) -> TokenizerDeclaration { named(options.string("kind"))! }

    static let normalizeChoices = Normalization.allCases.map(\.rawValue)
    static func lowercase(default value: Bool, doc: String = "lowercase tokens") -> ParameterSpec {
        ParameterSpec("lowercase", .boolean, default: .value(.bool(value)), doc: doc)
    }
    static let normalize = ParameterSpec("normalize", .string(choices: normalizeChoices), default: "none", doc: "Unicode normalisation")

    static func normalization(_ o: [String: JSONValue]) -> Normalization { o.choice("normalize", as: Normalization.self) }

    static let whitespace = TokenizerDeclaration("whitespace", parameters: []) { _, _ in .builtin(Tokenizer(kind: .whitespace)) }

    static let words = TokenizerDeclaration("words", parameters: [
        lowercase(default: false), normalize,
        ParameterSpec("numbers", .string(choices: Tokenizer.Numbers.allCases.map(\.rawValue)), default: "split",
                      doc: "split: 3 . 14; keep: 3.14 and 1,000 as one token; replace: such numbers become number_token"),
        ParameterSpec("number_token", .string(), default: "<num>", onlyWith: ParameterCondition("numbers", ["replace"]), doc: "what numbers become with numbers: replace"),
        ParameterSpec("urls", .boolean, default: false, doc: "URLs and e-mail addresses as one token each"),
        ParameterSpec("min_length", .integer(min: 1, max: 1000), default: 1, doc: "drop tokens shorter than this, in code points"),
        ParameterSpec("max_length", .integer(min: 1, max: 100_000), default: .null, doc: "drop tokens longer than this, in code points (unset: no limit)"),
    ]) { o, _ in
        .builtin(Tokenizer(kind: .words, lowercase: o.bool("lowercase"), normalization: normalization(o), minLength: o.int("min_length"),
                           maxLength: o.optionalInt("max_length"), numbers: o.choice("numbers", as: Tokenizer.Numbers.self),
                           numberToken: o.optionalString("number_token") ?? "", urls: o.bool("urls")))
    }

    static let chars = TokenizerDeclaration("chars", parameters: [
        lowercase(default: false), normalize,
        ParameterSpec("keep_whitespace", .boolean, default: false, doc: "keep white space as the token ▁"),
    ]) { o, _ in
        .builtin(Tokenizer(kind: .chars, lowercase: o.bool("lowercase"), normalization: normalization(o), keepWhitespace: o.bool("keep_whitespace")))
    }

    static let sklearn = TokenizerDeclaration("sklearn", parameters: [
        lowercase(default: true, doc: "lowercase first (scikit-learn's default)"), normalize,
        ParameterSpec("min_length", .integer(min: 1, max: 1000), default: 2, doc: "shortest token in code points (2: \\b\\w\\w+\\b)"),
    ]) { o, _ in
        .builtin(Tokenizer(kind: .sklearn, lowercase: o.bool("lowercase"), normalization: normalization(o), minLength: o.int("min_length")))
    }

    static let command = TokenizerDeclaration("command", parameters: [
        ParameterSpec("argv", .stringList, doc: "the analyser and its arguments; it reads a document per line and writes its tokens space-separated, a line per document"),
        ParameterSpec("timeout_seconds", .number(positive: true), default: 60.0, doc: "fail when the command writes nothing this long while a document waits"),
    ], isExternal: true, environment: { o, _ in
        // A new analyser version may split differently: its `--version` enters the fingerprint.
        ["command_version": .string(CommandTokenizer.version(o.strings("argv")))]
    }, requirements: { o, _, path in
        do { _ = try CommandTokenizer.executable(o.strings("argv")) } catch {
            return [SpecIssue(path: "\(path).argv", message: "\(error)")]
        }
        return []
    }) { o, _ in .command(CommandOptions(argv: o.strings("argv"), timeoutSeconds: o.double("timeout_seconds"))) }

    static let mecab = TokenizerDeclaration("mecab", parameters: [
        ParameterSpec("dictionary", .string(), doc: "the MeCab dictionary folder, relative to the spec (corpora/tools/mecab-ko-dic.sh installs mecab-ko-dic and prints it)"),
        ParameterSpec("attach_pos", .boolean, default: false, doc: "append each morpheme's part-of-speech tag: 음식/NNG"),
        ParameterSpec("drop_pos", .stringList, default: [], doc: "drop morphemes whose tag starts with one of these, e.g. [\"J\"] for particles, [\"E\"] for endings, [\"S\"] for symbols"),
    ], environment: { o, spec in
        // A dictionary's identity (its dicrc's hash and its sys.dic's size) enters the fingerprint.
        ["mecab_dictionary": .string(MecabDictionaryIdentity.describe(spec.resolve(o.string("dictionary"))))]
    }, requirements: { o, spec, path in
        let folder = spec.resolve(o.string("dictionary"))
        guard FileSystem.isRegularFile(folder + "/dicrc"), FileSystem.isRegularFile(folder + "/sys.dic") else {
            return [SpecIssue(path: "\(path).dictionary", message: "no MeCab dictionary at \(folder) (a folder with dicrc and sys.dic); corpora/tools/mecab-ko-dic.sh installs mecab-ko-dic and prints its folder")]
        }
        return []
    }) { o, resolve in
        .mecab(dictionary: resolve(o.string("dictionary")), options: MecabOptions(attachTag: o.bool("attach_pos"), dropTags: o.strings("drop_pos")))
    }
}
