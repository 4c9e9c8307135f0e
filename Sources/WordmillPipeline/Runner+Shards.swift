import Foundation
import WordmillArtifacts
import WordmillSupport

/// `--shard I/N` and `--merge`, and the shards of a stage the spec splits.
extension Runner {
    /// The stage `--only` names when `--shard` or `--merge` is given, after checking that
    /// it can be sharded (and, for a merge, that the spec says into how many shards).
    func checkShardWork(_ options: RunOptions) throws(PipelineError) -> StageSpec? {
        guard let work = options.shardWork else { return nil }
        let flag = work == .merge ? "--merge" : "--shard"
        guard let name = options.selection.only, options.selection.from == nil, options.selection.until == nil else {
            throw .usage("\(flag) needs --only STAGE (and neither --from nor --until)")
        }
        guard let stage = spec.stage(name) else {
            throw .usage("no stage named '\(name)' in \(spec.path)\(NameSuggestion.hint(for: name, in: spec.stages.map(\.name)))")
        }
        guard stage.variant.sharding != nil else {
            throw .usage("stage '\(name)' (\(stage.label)) runs whole and cannot be sharded (docs/spec.md, \"shards\", lists the ops that can)")
        }
        if let why = stage.variant.sharding?.refusal?(stage.parameters) {
            throw .usage("stage '\(name)' cannot be sharded: \(why)")
        }
        if work == .merge, stage.shards == nil {
            throw .usage("stage '\(name)' does not say how many shards to merge: add \"shards\": N to \(stage.jsonPath) in \(spec.path)")
        }
        return stage
    }

    /// `--only STAGE --shard I/N`: computes that shard unless its artifact is current. Shard
    /// runs hold the directory lock shared (a job array's tasks run side by side) and their
    /// own shard's lock alone.
    func runShardOnly(_ stage: StageSpec, _ shard: ShardIndex, _ options: RunOptions) throws(PipelineError) -> RunResult {
        let label = "\(stage.name)[\(shard)]"
        let locks: [DirectoryLock]
        if options.dryRun { locks = [] } else {
            locks = [
                try DirectoryLock(stateDirectory: spec.stateDirectory, specPath: spec.path, waitSeconds: options.waitSeconds, shared: true),
                try DirectoryLock(stateDirectory: spec.stateDirectory, specPath: spec.path, waitSeconds: options.waitSeconds,
                                  name: "lock.\(stage.name).\(shard.index)-of-\(shard.count)"),
            ]
        }
        defer { withExtendedLifetime(locks) {} }
        let hashes = FileHashCache(stateDirectory: spec.stateDirectory)
        let plan = try Planner.plan(spec: spec, selection: options.selection, hashes: hashes, verifyFiles: options.verifyFiles)
        if !options.dryRun { hashes.save() }
        let p = plan.stages.first { $0.stage.name == stage.name }!
        let path = spec.shardPath(for: stage.name, shard)
        if options.dryRun {
            let state = Planner.artifactState(spec: spec, path: path, fingerprint: Fingerprint.ofShard(p.fingerprint, shard))
            let willRun = options.selection.force || state != .upToDate
            log.event("plan", stage: label, "\(willRun ? "would run" : "up to date"): \(label)", fields: ["will_run": .bool(willRun)])
            return RunResult(exitCode: .ok, statuses: [label: willRun ? "would-run" : "up-to-date"])
        }
        for name in AtomicFile.removeStaleTemporaries(in: spec.shardDirectory(for: stage.name), anyOwner: false) {
            log.event("cleaned", stage: label, "removed \(name), left by an interrupted run")
        }
        let started = Date()
        var record: [String: JSONValue] = ["stage": .string(stage.name), "shard": .string(shard.description)]
        var exit = ExitCode.ok
        do {
            let (inputs, fingerprint) = try openInputs(p)
            if try computeShard(p, shard, sharding: stage.variant.sharding!, inputs: inputs, stageFingerprint: fingerprint, force: options.selection.force) {
                record["status"] = "ran"
                record["seconds"] = .double(Date().timeIntervalSince(started))
            } else {
                log.event("up-to-date", stage: stage.name, "up to date: \(label)", fields: ["artifact": .string(path)])
                record["status"] = "up-to-date"
            }
        } catch {
            let (message, code) = describe(error)
            log.event("failed", stage: stage.name, "error: \(label) failed: \(message)", isError: true)
            exit = code
            record["status"] = "failed"
            record["error"] = .string(message)
        }
        appendRecord(started: started, exit: exit, stages: [.object(record)])
        return RunResult(exitCode: exit, statuses: [label: record["status"]!.stringValue!])
    }

    /// Computes one shard into its artifact unless that is current (and not `force`d);
    /// returns whether it ran.
    @discardableResult
    func computeShard(_ p: StagePlan, _ shard: ShardIndex, sharding: Sharding, inputs: [String: ArtifactReader], stageFingerprint: String, force: Bool) throws -> Bool {
        let path = spec.shardPath(for: p.stage.name, shard)
        let fingerprint = Fingerprint.ofShard(stageFingerprint, shard)
        if !force, Planner.artifactState(spec: spec, path: path, fingerprint: fingerprint) == .upToDate { return false }
        let label = "\(p.stage.name)[\(shard)]"
        if FaultInjection.shardFails(stage: p.stage.name, index: shard.index) {
            throw InjectedFault(description: "failed as WORDMILL_FAULT_FAIL_SHARD asked")
        }
        let t0 = Date()
        let report = try sharding.runShard(context(p, fingerprint: fingerprint, outputPath: path, inputs: inputs, shard: shard), shard)
        let seconds = Date().timeIntervalSince(t0)
        log.event("ran", stage: p.stage.name, "ran \(label) in \(formatSeconds(seconds)): \(report.summary) → \(path) (\(formatBytes(FileSystem.fileSize(path) ?? 0)))",
                  fields: ["shard": .string(shard.description), "seconds": .double(seconds), "artifact": .string(path)])
        return true
    }

    /// Opens the `count` shards of a stage, each checked to exist, to be whole and to be made
    /// from this stage's parameters and inputs, and merges them into the stage's artifact.
    func mergeShards(_ p: StagePlan, count: Int, sharding: Sharding, inputs: [String: ArtifactReader], stageFingerprint: String) throws -> StageReport {
        var readers: [ArtifactReader] = []
        for i in 0..<count {
            let shard = ShardIndex(index: i, count: count)
            let path = spec.shardPath(for: p.stage.name, shard)
            let remake = "make it with: wordmill run \(spec.path) --only \(p.stage.name) --shard \(shard)"
            guard FileSystem.isRegularFile(path) else {
                throw StageInputError("shard \(shard) of stage '\(p.stage.name)' is missing: \(path); \(remake)")
            }
            let reader: ArtifactReader
            do {
                reader = try ArtifactReader(path: path, kinds: [sharding.shardKind ?? p.stage.variant.outputKind])
                try reader.verifyChecksums()
            } catch {
                throw StageInputError("shard \(shard) of stage '\(p.stage.name)' is damaged: \(error); \(remake) --force")
            }
            guard reader.header.fingerprint == Fingerprint.ofShard(stageFingerprint, shard) else {
                throw StageInputError("shard \(shard) of stage '\(p.stage.name)' (\(path)) was made from other parameters or inputs than the spec's now; \(remake)")
            }
            readers.append(reader)
        }
        return try sharding.merge(context(p, fingerprint: stageFingerprint, outputPath: spec.artifactPath(for: p.stage.name), inputs: inputs), readers)
    }
}

/// A failure a test asked for (`FaultInjection`).
struct InjectedFault: Error, CustomStringConvertible {
    let description: String
}
