import WordmillSupport

/// One input a variant reads: a name for the stage code and the artifact kinds it accepts.
public struct InputSlot: Sendable {
    public let name: String
    public let kinds: [String]
    /// An optional slot may be left out of `from` (e.g. `rnn`'s pretrained embeddings).
    public let optional: Bool
    public init(_ name: String, kinds: [String], optional: Bool = false) {
        self.name = name
        self.kinds = kinds
        self.optional = optional
    }
}

/// One variant of an op — a `train` model, an `export` format, an `evaluate` kind, or the
/// only form of an op without variants — declared in one place: its parameters with their
/// defaults and conditions, the input kinds it reads per slot, the kind it writes, its own
/// algorithm version, what else its output depends on, the rules its parameters and inputs
/// must meet, and the code that runs it.
public struct VariantDeclaration: Sendable {
    public let name: String
    public let summary: String
    /// The variant's own parameters, after the op's common ones.
    public let parameters: [ParameterSpec]
    public let inputs: [InputSlot]
    /// The artifact kind it writes.
    public let outputKind: String
    /// Bumped whenever this variant's output bytes change for the same inputs; part of the
    /// fingerprint, so a change to one model reruns that model's stages only.
    public let algorithmVersion: Int
    /// Names of parameters that list files whose content the output depends on (hashed
    /// into the fingerprint, and checked to exist before anything runs).
    public let fileParameters: [String]
    /// What the output depends on besides the spec and the files, for the fingerprint (an
    /// external analyser's `--version`, a dictionary's identity); nil when nothing.
    public let environment: (@Sendable (StageSpec, PipelineSpec) -> JSONValue?)?
    /// Rules over the resolved parameters and the stages read, checked when the spec loads
    /// (`validate` and `run` alike); each problem names its JSON path.
    public let check: (@Sendable (StageCheck) -> [SpecIssue])?
    /// What must exist outside the spec before anything runs (a dictionary folder, an
    /// analyser on PATH): each problem is an input error (exit 66) naming its JSON path.
    public let requirements: (@Sendable (StageSpec, PipelineSpec) -> [SpecIssue])?
    public let run: @Sendable (StageContext) throws -> StageReport
    /// How the variant splits into shards (`"shards"`, `--shard I/N`, `--merge`); nil when it
    /// runs whole only.
    public let sharding: Sharding?

    public init(
        name: String, summary: String, parameters: [ParameterSpec] = [], inputs: [InputSlot], outputKind: String, algorithmVersion: Int,
        fileParameters: [String] = [], environment: (@Sendable (StageSpec, PipelineSpec) -> JSONValue?)? = nil,
        check: (@Sendable (StageCheck) -> [SpecIssue])? = nil, requirements: (@Sendable (StageSpec, PipelineSpec) -> [SpecIssue])? = nil,
        run: @escaping @Sendable (StageContext) throws -> StageReport, sharding: Sharding? = nil
    ) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.inputs = inputs
        self.outputKind = outputKind
        self.algorithmVersion = algorithmVersion
        self.fileParameters = fileParameters
        self.environment = environment
        self.check = check
        self.requirements = requirements
        self.run = run
        self.sharding = sharding
    }
}

/// How a stage's variant is chosen when the spec loads.
public enum VariantSelector: Sendable {
    /// The op has one form.
    case single
    /// A string parameter names it (`"model": "word2vec"`, `"format": "npy"`).
    case parameter(String)
    /// The kind of the stage read in this slot picks it (`evaluate` of word vectors, of a
    /// classifier, of an rnn model); every variant then writes the same kind.
    case inputKind(slot: String)
}

/// An op: its name, the parameters all its variants share, how a variant is chosen, and the variants.
public struct OperationDefinition: Sendable {
    public let name: String
    public let summary: String
    public let parameters: [ParameterSpec]
    public let selector: VariantSelector
    public let variants: [VariantDeclaration]

    public init(name: String, summary: String, parameters: [ParameterSpec] = [], selector: VariantSelector, variants: [VariantDeclaration]) {
        precondition(!variants.isEmpty, "op \(name) declares no variant")
        if case .inputKind = selector {
            precondition(Set(variants.map(\.outputKind)).count == 1, "op \(name): variants chosen by input kind must write one kind")
        }
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.selector = selector
        self.variants = variants
    }

    /// An op with one form.
    public init(
        name: String, summary: String, parameters: [ParameterSpec], inputs: [InputSlot], outputKind: String, algorithmVersion: Int,
        fileParameters: [String] = [], environment: (@Sendable (StageSpec, PipelineSpec) -> JSONValue?)? = nil,
        check: (@Sendable (StageCheck) -> [SpecIssue])? = nil, requirements: (@Sendable (StageSpec, PipelineSpec) -> [SpecIssue])? = nil,
        run: @escaping @Sendable (StageContext) throws -> StageReport, sharding: Sharding? = nil
    ) {
        self.init(name: name, summary: summary, selector: .single, variants: [VariantDeclaration(
            name: name, summary: summary, parameters: parameters, inputs: inputs, outputKind: outputKind, algorithmVersion: algorithmVersion,
            fileParameters: fileParameters, environment: environment, check: check, requirements: requirements, run: run, sharding: sharding)])
    }

    public func variant(named name: String) -> VariantDeclaration? { variants.first { $0.name == name } }

    /// The parameter that names the variant, declared like any other.
    public var selectorParameter: ParameterSpec? {
        guard case .parameter(let key) = selector else { return nil }
        return ParameterSpec(key, .string(choices: variants.map(\.name)), doc: "which \(key)")
    }

    /// Every parameter a stage of `variant` accepts, in resolution order: the selector, the
    /// common ones, then the variant's own.
    public func parameters(of variant: VariantDeclaration) -> [ParameterSpec] {
        (selectorParameter.map { [$0] } ?? []) + parameters + variant.parameters
    }
}

/// The table of ops a spec may use.
public struct OperationCatalog: Sendable {
    public let operations: [String: OperationDefinition]
    public init(_ operations: [OperationDefinition]) {
        self.operations = Dictionary(operations.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }
    public subscript(name: String) -> OperationDefinition? { operations[name] }
}

/// What a variant's rules see when the spec loads: the stage's resolved parameters and the
/// stages it reads (already resolved), with helpers that build issues at the stage's JSON path.
public struct StageCheck: Sendable {
    public let parameters: [String: JSONValue]
    /// The stages read, by input slot.
    public let upstream: [String: StageSpec]
    /// The stage's JSON path, `stages[i]`.
    public let path: String
    /// Every stage resolved so far by name: all the stages upstream, however far.
    public let resolved: [String: StageSpec]

    public init(parameters: [String: JSONValue], upstream: [String: StageSpec], path: String, resolved: [String: StageSpec] = [:]) {
        self.parameters = parameters
        self.upstream = upstream
        self.path = path
        self.resolved = resolved
    }

    /// The stages upstream of this one, however far (nearest first, each once).
    public var ancestors: [StageSpec] {
        var out: [StageSpec] = [], seen: Set<String> = []
        var queue = upstream.values.sorted { $0.index < $1.index }
        while !queue.isEmpty {
            let stage = queue.removeFirst()
            guard seen.insert(stage.name).inserted else { continue }
            out.append(stage)
            queue += stage.from.compactMap { resolved[$0] }
        }
        return out
    }

    /// An issue at `path.key` (or the stage itself when `key` is nil).
    public func issue(_ key: String?, _ message: String) -> SpecIssue {
        SpecIssue(path: key.map { "\(path).\($0)" } ?? path, message: message)
    }
}
