import Foundation
import WordmillArtifacts
import WordmillSupport

/// The run records under `<artifacts>/.wordmill/runs.jsonl`, one JSON object per run
/// (start, finish, exit code, and each stage's status, seconds, counts).
public enum RunHistory {
    /// Every readable record, oldest first; a line that does not parse (a run killed while
    /// appending) is skipped and counted.
    public static func read(spec: PipelineSpec) -> (records: [JSONValue], unreadable: Int) {
        guard let bytes = try? FileSystem.readFile(spec.stateDirectory + "/runs.jsonl") else { return ([], 0) }
        var records: [JSONValue] = [], unreadable = 0
        for line in bytes.split(separator: 0x0A) where !line.isEmpty {
            if let value = try? JSONParser.parse(Array(line)), value.objectValue != nil { records.append(value) } else { unreadable += 1 }
        }
        return (records, unreadable)
    }

    /// One line per run: when, how long, the exit code, and the stages by status.
    public static func summary(_ record: JSONValue) -> String {
        let started = record["started"]?.stringValue ?? "?"
        var duration = ""
        if let s = record["started"]?.stringValue.flatMap(Timestamp.parse), let f = record["finished"]?.stringValue.flatMap(Timestamp.parse) {
            duration = " \(Int(f.timeIntervalSince(s).rounded())) s"
        }
        var byStatus: [String: [String]] = [:]
        for stage in record["stages"]?.arrayValue ?? [] {
            byStatus[stage["status"]?.stringValue ?? "?", default: []].append(label(stage))
        }
        let parts = byStatus.keys.sorted().map { status -> String in
            let names = byStatus[status]!
            return status == "up-to-date" ? "\(names.count) up to date" : "\(status) \(names.joined(separator: ", "))"
        }
        return "\(started)\(duration) exit \(record["exit_code"]?.intValue ?? -1): " + (parts.isEmpty ? "nothing selected" : parts.joined(separator: "; "))
    }

    /// A stage entry's name, with `[I/N]` for a shard's.
    static func label(_ stage: JSONValue) -> String {
        let name = stage["stage"]?.stringValue ?? "?"
        return stage["shard"]?.stringValue.map { "\(name)[\($0)]" } ?? name
    }

    /// The errors of the stages and shards that failed in runs started at or after `since`
    /// (to the second), by stage, each prefixed with its shard when it was one.
    public static func failures(spec: PipelineSpec, since: Date) -> [String: [String]] {
        var found: [String: [String]] = [:]
        let from = since.timeIntervalSince1970.rounded(.down)
        for record in read(spec: spec).records {
            guard let started = record["started"]?.stringValue.flatMap(Timestamp.parse), started.timeIntervalSince1970 >= from else { continue }
            for stage in record["stages"]?.arrayValue ?? [] where stage["status"]?.stringValue == "failed" {
                guard let name = stage["stage"]?.stringValue else { continue }
                let error = stage["error"]?.stringValue ?? "failed"
                found[name, default: []].append(stage["shard"]?.stringValue.map { "shard \($0): \(error)" } ?? error)
            }
        }
        return found
    }
}

/// Finds what in an artifact folder no stage of the spec produces any more: artifacts of
/// stages that were removed or renamed, their checkpoints, checkpoints of an older
/// configuration, and temporaries left by dead runs.
public enum ArtifactGarbage {
    public static func find(spec: PipelineSpec) throws(PipelineError) -> [String] {
        let plan = try Planner.plan(spec: spec, selection: StageSelection(), hashes: FileHashCache(stateDirectory: spec.stateDirectory))
        let fingerprints = Dictionary(uniqueKeysWithValues: plan.stages.map { ($0.stage.name, $0.fingerprint) })
        var garbage: [String] = []
        for name in FileSystem.listDirectory(spec.artifactsDirectory).sorted() {
            let path = spec.artifactsDirectory + "/" + name
            if name.hasSuffix(".wma") {
                if fingerprints[String(name.dropLast(4))] == nil { garbage.append(path) }
            } else if name.hasSuffix(".wma.checkpoint") {
                let stage = String(name.dropLast(".wma.checkpoint".count))
                let current = (try? ArtifactReader(path: path))?.header.fingerprint
                if fingerprints[stage] == nil || current != fingerprints[stage] { garbage.append(path) }
            } else if name.contains(".tmp-") {
                garbage.append(path)
            } else if fingerprints[name] == nil {
                // The shards of a stage no longer in the spec.
                garbage += FileSystem.listDirectory(spec.shardDirectory(for: name)).sorted().map { spec.shardDirectory(for: name) + "/" + $0 }
            }
        }
        for stage in spec.stages {
            garbage += staleShards(of: stage.name, spec: spec, stageFingerprint: fingerprints[stage.name]!)
        }
        return garbage
    }

    /// Shard artifacts of `stage` that no merge of the spec's `"shards"` would read (another
    /// N, another fingerprint), and temporaries left in their folder.
    static func staleShards(of stage: String, spec: PipelineSpec, stageFingerprint: String) -> [String] {
        let folder = spec.shardDirectory(for: stage)
        let count = spec.stage(stage)?.shards
        var garbage: [String] = []
        for name in FileSystem.listDirectory(folder).sorted() {
            let path = folder + "/" + name
            if name.contains(".tmp-") { garbage.append(path); continue }
            guard name.hasSuffix(".wma") else { continue }
            let parts = name.dropLast(4).split(separator: "-")
            guard parts.count == 3, parts[1] == "of", let i = Int(parts[0]), let n = Int(parts[2]), n == count, (0..<n).contains(i),
                  (try? ArtifactReader(path: path))?.header.fingerprint == Fingerprint.ofShard(stageFingerprint, ShardIndex(index: i, count: n))
            else { garbage.append(path); continue }
        }
        return garbage
    }
}
