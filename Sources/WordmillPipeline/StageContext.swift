import WordmillArtifacts
import WordmillSupport

/// What a stage's code gets: its resolved parameters, opened inputs, where to write, and a log.
public struct StageContext {
    public let stage: StageSpec
    public let spec: PipelineSpec
    /// The fingerprint to record in the artifact header.
    public let fingerprint: String
    /// What the variant declared its output depends on outside the spec, as fingerprinted.
    public let environment: JSONValue?
    /// Where the stage's artifact goes (`<artifacts>/<stage>.wma`).
    public let outputPath: String
    /// Input artifacts by slot name, already opened and header-checked.
    public let inputs: [String: ArtifactReader]
    /// Corpus files the op named, resolved and in order.
    public let files: [String]
    /// Content hash (XXH64 hex) and size of each of `files`.
    public let fileHashes: [(hash: String, size: Int)]
    /// The header metadata key of what the fingerprint covers besides the spec and inputs.
    public static let provenanceKey = "provenance"
    /// Emits a progress or warning line.
    public let log: (String) -> Void
    /// The shard this run computes (`outputPath` is then the shard's artifact); nil for a
    /// whole stage or a merge.
    public let shard: ShardIndex?
    /// Files the stage read whole while it ran, their bytes hashing as planned (`confirmRead`).
    private let filesRead = FilesRead()

    public init(stage: StageSpec, spec: PipelineSpec, fingerprint: String, environment: JSONValue? = nil, outputPath: String,
                inputs: [String: ArtifactReader], files: [String], fileHashes: [(hash: String, size: Int)], shard: ShardIndex? = nil, log: @escaping (String) -> Void) {
        self.stage = stage
        self.spec = spec
        self.fingerprint = fingerprint
        self.environment = environment
        self.outputPath = outputPath
        self.inputs = inputs
        self.files = files
        self.fileHashes = fileHashes
        self.log = log
        self.shard = shard
    }

    /// The stage's resolved parameters.
    public var parameters: [String: JSONValue] { stage.parameters }

    /// The input in slot `name` (the validator guarantees it is there).
    public func input(_ name: String) -> ArtifactReader { inputs[name]! }

    /// The input in an optional slot, when `from` named one.
    public func optionalInput(_ name: String) -> ArtifactReader? { inputs[name] }

    /// A header for this stage's artifact.
    /// The variant, its algorithm version and the environment are recorded beside the
    /// stage's own metadata (under `provenance`), so `status` can say which of them moved a
    /// fingerprint.
    public func header(kind: String, counts: [String: Int] = [:], metadata: [String: JSONValue] = [:]) -> ArtifactHeader {
        var recorded = metadata
        var provenance: [String: JSONValue] = ["variant": .string(stage.variant.name), "algorithm_version": .integer(stage.variant.algorithmVersion)]
        if let environment { provenance["environment"] = environment }
        recorded[Self.provenanceKey] = .object(provenance)
        if let shard { recorded[Sharding.metadataKey] = ["index": .integer(shard.index), "count": .integer(shard.count)] }
        return ArtifactHeader(kind: kind, fingerprint: fingerprint, stage: stage.name, op: stage.op,
                              parameters: .object(stage.parameters), counts: counts, metadata: recorded)
    }

    /// Writes this stage's artifact: `body` fills the sections and returns the header's counts
    /// and metadata. On any error the half-written file is discarded and the error rethrown.
    public func writeArtifact(
        kind: String, frameBytes: Int = ArtifactLayout.defaultFrameBytes,
        _ body: (ArtifactWriter) throws -> (counts: [String: Int], metadata: [String: JSONValue])
    ) throws {
        let writer = try ArtifactWriter(path: outputPath, frameBytes: frameBytes)
        do {
            let (counts, metadata) = try body(writer)
            try checkFilesUnchanged()
            try writer.commit(header: header(kind: kind, counts: counts, metadata: metadata))
        } catch {
            writer.discard()
            throw error
        }
    }

    /// Fails when a file the stage read no longer has the content the plan hashed (it
    /// changed or vanished while the stage ran): the artifact would describe a corpus that
    /// no longer exists under that fingerprint.
    public func checkFilesUnchanged() throws {
        for (file, planned) in zip(files, fileHashes) where !filesRead.names.contains(file) {
            let now: String
            do { now = try FileSystem.hashFile(file).hex16 } catch {
                throw StageInputError("\(file) disappeared or became unreadable while stage '\(stage.name)' ran (\(error)); run again")
            }
            if now != planned.hash { throw StageInputError("\(file) changed while stage '\(stage.name)' read it; run again to use its new content") }
        }
    }

    /// Records that the stage read all of `file` and its bytes hashed to `hash` (XXH64): the
    /// bytes it used are then known to be the planned ones, so the check at the end need not
    /// read the file again; a different hash means it changed since the plan, and throws.
    public func confirmRead(_ file: String, hash: UInt64) throws {
        guard let i = files.firstIndex(of: file) else { return }
        if hash.hex16 != fileHashes[i].hash { throw StageInputError("\(file) changed while stage '\(stage.name)' read it; run again to use its new content") }
        filesRead.names.insert(file)
    }

    /// Records that the stage's output does not depend on `file`'s bytes at all (a shard whose
    /// part of the corpus lies in other files): the check at the end then need not read it.
    /// Its planned size and hash still go into the artifact's record of the inputs.
    public func skipRead(_ file: String) {
        guard files.contains(file) else { return }
        filesRead.names.insert(file)
    }

    /// Resolves a path written in the spec against the spec's folder.
    public func resolvePath(_ path: String) -> String { spec.resolve(path) }
}

/// What a finished stage reports for the log and the run record.
public struct StageReport: Sendable {
    public var counts: [String: Int]
    /// One short human line, e.g. "60 words, loss 4.21 → 3.97".
    public var summary: String
    public init(counts: [String: Int] = [:], summary: String = "") {
        self.counts = counts
        self.summary = summary
    }
}

/// The files a stage confirmed it read whole (`StageContext.confirmRead`), by the stage's own
/// thread only.
private final class FilesRead {
    var names: Set<String> = []
}
