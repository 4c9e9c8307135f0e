import Foundation
import WordmillArtifacts
import WordmillSupport

/// Which stages a run considers: all (default), or `--only`, `--from`, `--until` one.
public struct StageSelection: Sendable {
    public var only: String?
    public var from: String?
    public var until: String?
    public var force = false
    public init(only: String? = nil, from: String? = nil, until: String? = nil, force: Bool = false) {
        self.only = only
        self.from = from
        self.until = until
        self.force = force
    }
}

/// The state of one stage's artifact against the spec.
public enum ArtifactState: Sendable, Equatable {
    case upToDate
    case missing
    /// The artifact exists with another fingerprint (parameters, inputs or corpus changed).
    case changed(previous: String)
    /// The artifact is unreadable or fails a checksum.
    case damaged(String)
    /// An export's file is missing or differs from what the stage wrote.
    case outputChanged(String)
    /// The artifact is current, but a stage it reads runs again first.
    case inputReruns
}

/// One stage in the plan: its expected fingerprint, artifact state and whether it runs.
public struct StagePlan: Sendable {
    public let stage: StageSpec
    public let fingerprint: String
    public let files: [String]
    public let fileHashes: [(hash: String, size: Int)]
    /// What the variant declared its output depends on outside the spec, computed once here
    /// so the runner records the same fingerprint the plan compares.
    public let environment: JSONValue?
    public let state: ArtifactState
    public let selected: Bool
    public let willRun: Bool

    var isDamaged: Bool { if case .damaged = state { true } else { false } }

    /// Why the stage runs or not, for `plan` and the log.
    public var reason: String {
        if !selected { return "not selected" }
        switch state {
        case .upToDate: return willRun ? "forced (or an input reran)" : "up to date"
        case .missing: return "no artifact yet"
        case .changed(let previous): return "parameters, inputs or corpus changed (fingerprint \(previous.prefix(8)) → \(fingerprint.prefix(8)))"
        case .damaged(let why): return willRun ? "rebuilding damaged artifact (\(why))" : "damaged: \(why)"
        case .outputChanged(let why): return why
        case .inputReruns: return "an input stage runs again"

        }
    }
}

/// Stages in dependency order with their plans.
public struct PipelinePlan: Sendable {
    public let spec: PipelineSpec
    public let stages: [StagePlan]
}

/// Computes every stage's fingerprint from the spec and corpus hashes alone (a stage's
/// fingerprint does not depend on its inputs' bytes, only on theirs), compares it with
/// the artifact on disk and decides what runs.
public enum Planner {
    public static func plan(
        spec: PipelineSpec, selection: StageSelection, hashes: FileHashCache, verifyFiles: Bool = false
    ) throws(PipelineError) -> PipelinePlan {
        for name in [selection.only, selection.from, selection.until].compactMap({ $0 }) where spec.stage(name) == nil {
            throw .usage("no stage named '\(name)' in \(spec.path)\(NameSuggestion.hint(for: name, in: spec.stages.map(\.name)))")
        }
        let order = topologicalOrder(spec)
        let selected = selectedStages(spec: spec, order: order, selection: selection)
        var fingerprints: [String: String] = [:]
        var plans: [StagePlan] = []
        for stage in order {
            var files: [String] = []
            for key in stage.variant.fileParameters {
                let patterns = (stage.parameters[key]?.arrayValue ?? []).compactMap(\.stringValue)
                files += try CorpusFiles.resolve(patterns, spec: spec, path: "\(stage.jsonPath).\(key)", stage: stage.name)
            }
            let fileHashes = try files.map { (f) throws(PipelineError) in try hashes.hash(of: f, verify: verifyFiles) }
            let environment = stage.variant.environment?(stage, spec)
            let fingerprint = Fingerprint.of(stage, inputs: stage.slots.mapValues { fingerprints[$0]! }, files: fileHashes, environment: environment)
            fingerprints[stage.name] = fingerprint
            let isSelected = selected.contains(stage.name)
            let state = isSelected ? artifactState(spec: spec, stage: stage, fingerprint: fingerprint) : .upToDate
            let isDamaged = if case .damaged = state { true } else { false }
            // A damaged artifact is never silently replaced: the run stops naming it, unless forced.
            let willRun = isSelected && (selection.force || stage.name == selection.from || (state != .upToDate && !isDamaged))
            plans.append(StagePlan(stage: stage, fingerprint: fingerprint, files: files, fileHashes: fileHashes, environment: environment, state: state, selected: isSelected, willRun: willRun))
        }
        // A stage whose input reruns must rerun too, even if its own artifact looked current.
        var rerun = Set(plans.filter(\.willRun).map(\.stage.name))
        plans = plans.map { p in
            if !p.willRun, p.selected, p.stage.from.contains(where: rerun.contains), !p.isDamaged {
                rerun.insert(p.stage.name)
                return StagePlan(stage: p.stage, fingerprint: p.fingerprint, files: p.files, fileHashes: p.fileHashes, environment: p.environment, state: .inputReruns, selected: true, willRun: true)
            }
            return p
        }
        return PipelinePlan(spec: spec, stages: plans)
    }

    static func artifactState(spec: PipelineSpec, stage: StageSpec, fingerprint: String) -> ArtifactState {
        artifactState(spec: spec, path: spec.artifactPath(for: stage.name), fingerprint: fingerprint)
    }

    /// The state of the artifact at `path` (a stage's or a shard's) against `fingerprint`.
    static func artifactState(spec: PipelineSpec, path: String, fingerprint: String) -> ArtifactState {
        guard FileManager.default.fileExists(atPath: path) else { return .missing }
        do {
            let reader = try ArtifactReader(path: path)
            if reader.header.fingerprint != fingerprint { return .changed(previous: reader.header.fingerprint) }
            try reader.verifyChecksums()
            for output in reader.header.metadata["outputs"]?.arrayValue ?? [] {
                guard let p = output["path"]?.stringValue, let size = output["bytes"]?.intValue, let sum = output["xxh64"]?.stringValue else { continue }
                let full = spec.resolve(p)
                guard FileSystem.fileSize(full) == size, (try? FileSystem.hashFile(full))?.hex16 == sum else {
                    return .outputChanged("\(p) is missing or was changed since the stage wrote it")
                }
            }
            return .upToDate
        } catch {
            return .damaged(error.description)
        }
    }

    /// The stages in dependency order, ties in spec order.
    public static func topologicalOrder(_ spec: PipelineSpec) -> [StageSpec] {
        SpecLoader.dependencyOrder(spec.stages, name: \.name, reads: \.from)
    }

    static func selectedStages(spec: PipelineSpec, order: [StageSpec], selection: StageSelection) -> Set<String> {
        var result = Set(order.map(\.name))
        if let only = selection.only { result = [only] }
        if let from = selection.from {
            var down: Set<String> = [from]
            for s in order where s.from.contains(where: down.contains) { down.insert(s.name) }
            result.formIntersection(down)
        }
        if let until = selection.until {
            var up: Set<String> = [until]
            for s in order.reversed() where up.contains(s.name) { up.formUnion(s.from) }
            result.formIntersection(up)
        }
        return result
    }
}
