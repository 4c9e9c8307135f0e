import WordmillSupport

/// One stage of a validated spec: its name, op, the variant the spec chose (typed: the
/// declaration itself, so nothing later looks it up by name), the stages it reads and its
/// resolved parameters.
public struct StageSpec: Sendable {
    public let name: String
    public let op: String
    public let variant: VariantDeclaration
    /// Upstream stage names in the order written.
    public let from: [String]
    /// Upstream stage name for each of the op's input slots.
    public let slots: [String: String]
    /// Every parameter, defaults filled in.
    public let parameters: [String: JSONValue]
    /// Index in the spec's `stages` array (for JSON paths in messages).
    public let index: Int
    /// How many shards the spec splits the stage into (`"shards"`), nil when it did not say;
    /// not part of the fingerprint: the merged artifact is the same for any number.
    public let shards: Int?
    /// The stage's own `"slurm"` resources, over the pipeline's.
    public let slurm: SlurmResources?

    public var jsonPath: String { "stages[\(index)]" }

    /// `op` or `op/variant` (`train/word2vec`), for logs.
    public var label: String { variant.name == op ? op : "\(op)/\(variant.name)" }

    public init(name: String, op: String, variant: VariantDeclaration, from: [String], slots: [String: String], parameters: [String: JSONValue], index: Int, shards: Int? = nil, slurm: SlurmResources? = nil) {
        self.name = name
        self.op = op
        self.variant = variant
        self.from = from
        self.slots = slots
        self.parameters = parameters
        self.index = index
        self.shards = shards
        self.slurm = slurm
    }
}

/// A validated pipeline spec.
public struct PipelineSpec: Sendable {
    public let path: String
    public let directory: String
    public let name: String
    public let artifactsDirectory: String
    /// Stages in the order the spec lists them.
    public let stages: [StageSpec]
    /// The pipeline's `"slurm"` resources, for every stage's jobs.
    public var slurm = SlurmResources()

    public func stage(_ name: String) -> StageSpec? { stages.first { $0.name == name } }

    /// A path from the spec, resolved against the spec file's folder.
    public func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return directory == "." ? path : directory + "/" + path
    }

    /// Where a stage's artifact lives.
    public func artifactPath(for stage: String) -> String { artifactsDirectory + "/" + stage + ".wma" }

    /// The folder for wordmill's own files: lock, file-hash cache, run records.
    public var stateDirectory: String { artifactsDirectory + "/.wordmill" }
}
