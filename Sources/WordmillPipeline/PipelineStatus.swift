import Foundation
import WordmillArtifacts
import WordmillSupport

/// Where each stage's artifact stands against the spec as it is now: up to date, stale
/// (with what changed), missing or damaged; with its size and when it was written.
public struct StageStatus: Sendable {
    public enum State: String, Sendable { case upToDate = "up-to-date", stale, missing, damaged }
    public let stage: String
    public let op: String
    public let state: State
    /// What changed (stale), or what is wrong (damaged).
    public let reasons: [String]
    public let bytes: Int?
    public let modified: Date?
    /// For a stage the spec shards that is not up to date: each shard's state, in order.
    public var shards: [ShardStatus] = []

    public var json: JSONValue {
        var o: [String: JSONValue] = ["stage": .string(stage), "op": .string(op), "state": .string(state.rawValue), "reasons": .array(reasons.map { .string($0) })]
        if !shards.isEmpty { o["shards"] = .array(shards.map(\.json)) }
        if let bytes { o["bytes"] = .integer(bytes) }
        if let modified { o["modified"] = .string(Timestamp.iso8601(modified)) }
        return .object(o)
    }
}

/// One shard of a sharded stage: current, missing, stale (made for other parameters or
/// inputs), damaged, or failed (its last run failed, with the error).
public struct ShardStatus: Sendable {
    public enum State: String, Sendable { case current, missing, stale, damaged, failed }
    public let shard: ShardIndex
    public let state: State
    public let detail: String?

    public var json: JSONValue {
        var o: [String: JSONValue] = ["shard": .string(shard.description), "state": .string(state.rawValue)]
        if let detail { o["detail"] = .string(detail) }
        return .object(o)
    }
}

public enum PipelineStatus {
    /// The status of every stage, in run order.
    public static func compute(spec: PipelineSpec) throws(PipelineError) -> [StageStatus] {
        let plan = try Planner.plan(spec: spec, selection: StageSelection(), hashes: FileHashCache(stateDirectory: spec.stateDirectory))
        var modified: [String: Date] = [:]
        var stale: Set<String> = []
        var result: [StageStatus] = []
        var failures: [String: String]?
        for p in plan.stages {
            let path = spec.artifactPath(for: p.stage.name)
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let bytes = (attributes?[.size] as? NSNumber)?.intValue
            let date = attributes?[.modificationDate] as? Date
            if let date { modified[p.stage.name] = date }
            let state: StageStatus.State
            var reasons: [String] = []
            switch p.state {
            case .upToDate:
                state = .upToDate
            case .missing:
                state = .missing
                reasons = ["no artifact yet"]
            case .damaged(let why):
                state = .damaged
                reasons = [why]
            case .outputChanged(let why):
                state = .stale
                reasons = [why]
            case .inputReruns:
                state = .stale
                reasons = ["an input stage will run again"]
            case .changed:
                state = .stale
                reasons = explain(p, spec: spec, modified: modified, stale: stale)
            }
            if p.willRun || state != .upToDate { stale.insert(p.stage.name) }
            // Upstream work makes this stage stale even when its own fingerprint still matches.
            if state == .upToDate, let input = p.stage.from.first(where: stale.contains) {
                stale.insert(p.stage.name)
                result.append(StageStatus(stage: p.stage.name, op: p.stage.op, state: .stale, reasons: ["input '\(input)' is not up to date"], bytes: bytes, modified: date))
                continue
            }
            var status = StageStatus(stage: p.stage.name, op: p.stage.op, state: state, reasons: reasons, bytes: bytes, modified: date)
            if state != .upToDate, let count = p.stage.shards, p.stage.variant.sharding != nil {
                status.shards = shardStatuses(p, count: count, spec: spec, failures: &failures)
            }
            result.append(status)
        }
        return result
    }

    /// The state of each of a stage's `count` shards, from their artifacts and, for those
    /// not current, the last run record that tried them.
    static func shardStatuses(_ p: StagePlan, count: Int, spec: PipelineSpec, failures: inout [String: String]?) -> [ShardStatus] {
        if failures == nil {
            // The latest record of each shard, by "stage[I/N]".
            var latest: [String: String] = [:]
            for record in RunHistory.read(spec: spec).records {
                for stage in record["stages"]?.arrayValue ?? [] where stage["shard"] != nil {
                    latest[RunHistory.label(stage)] = stage["status"]?.stringValue == "failed" ? (stage["error"]?.stringValue ?? "failed") : ""
                }
            }
            failures = latest.filter { !$0.value.isEmpty }
        }
        return (0..<count).map { i in
            let shard = ShardIndex(index: i, count: count)
            let failed = failures?["\(p.stage.name)[\(shard)]"]
            switch Planner.artifactState(spec: spec, path: spec.shardPath(for: p.stage.name, shard), fingerprint: Fingerprint.ofShard(p.fingerprint, shard)) {
            case .upToDate: return ShardStatus(shard: shard, state: .current, detail: nil)
            case .damaged(let why): return ShardStatus(shard: shard, state: .damaged, detail: why)
            case .missing: return failed.map { ShardStatus(shard: shard, state: .failed, detail: $0) } ?? ShardStatus(shard: shard, state: .missing, detail: nil)
            default: return failed.map { ShardStatus(shard: shard, state: .failed, detail: $0) } ?? ShardStatus(shard: shard, state: .stale, detail: nil)
            }
        }
    }

    /// Why a stage's fingerprint moved: the parameters that differ from those recorded in
    /// its artifact, the corpus files whose content changed, inputs rebuilt after it, or
    /// (when none of these) wordmill's algorithm or an analyser's version.
    static func explain(_ p: StagePlan, spec: PipelineSpec, modified: [String: Date], stale: Set<String>) -> [String] {
        guard let reader = try? ArtifactReader(path: spec.artifactPath(for: p.stage.name)) else { return ["the artifact cannot be read"] }
        var reasons: [String] = []
        let recorded = reader.header.metadata[StageContext.provenanceKey]?.objectValue ?? [:]
        if let variant = recorded["variant"]?.stringValue, variant != p.stage.variant.name {
            reasons.append("\(p.stage.op) variant \(variant) → \(p.stage.variant.name)")
        } else if let version = recorded["algorithm_version"]?.intValue, version != p.stage.variant.algorithmVersion {
            reasons.append("wordmill's algorithm for \(p.stage.label) changed (version \(version) → \(p.stage.variant.algorithmVersion))")
        }
        if recorded["variant"] != nil, recorded["environment"] != p.environment {
            reasons.append("outside the spec: \(recorded["environment"]?.canonicalText ?? "nothing") → \(p.environment?.canonicalText ?? "nothing")")
        }
        let before = reader.header.parameters.objectValue ?? [:]
        for key in Set(before.keys).union(p.stage.parameters.keys).sorted() where before[key] != p.stage.parameters[key] {
            let old = before[key]?.canonicalText ?? "unset", new = p.stage.parameters[key]?.canonicalText ?? "unset"
            reasons.append("parameter \(key): \(old) → \(new)")
        }
        let recordedFiles = (reader.header.metadata["files"]?.arrayValue ?? []).compactMap { f -> (String, String)? in
            guard let path = f["path"]?.stringValue, let hash = f["xxh64"]?.stringValue else { return nil }
            return (spec.resolve(path), hash)
        }
        if !recordedFiles.isEmpty {
            let recorded = Dictionary(recordedFiles, uniquingKeysWith: { a, _ in a })
            for (file, hash) in zip(p.files, p.fileHashes) where recorded[file] != hash.hash {
                reasons.append(recorded[file] == nil ? "new corpus file \(file)" : "corpus file \(file) changed")
            }
            for file in recorded.keys.sorted() where !p.files.contains(file) { reasons.append("corpus file \(file) no longer named") }
        }
        let own = modified[p.stage.name] ?? .distantPast
        for input in p.stage.from where stale.contains(input) || (modified[input] ?? .distantPast) > own {
            reasons.append("input '\(input)' changed")
        }
        return reasons.isEmpty ? ["wordmill's fingerprint for \(p.stage.label) changed (an artifact from another wordmill release)"] : reasons
    }
}
