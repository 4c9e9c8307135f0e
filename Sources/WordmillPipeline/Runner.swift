import Foundation
import WordmillArtifacts
import WordmillSupport

/// Options of `wordmill run`.
public struct RunOptions: Sendable {
    public var selection = StageSelection()
    public var dryRun = false
    public var keepGoing = false
    /// nil: fail at once when locked; otherwise wait up to this many seconds.
    public var waitSeconds: Double?
    /// Re-hash corpus files even when their size and mtime are unchanged.
    public var verifyFiles = false
    /// Compute one shard of the `--only` stage, or merge its shards, instead of the stage.
    public var shardWork: ShardWork?
    public init() {}
}

/// What `--shard I/N` and `--merge` ask of the one stage `--only` names.
public enum ShardWork: Sendable, Equatable {
    /// Compute shard I of N into `<artifacts>/<stage>/shards/<I>-of-<N>.wma`.
    case shard(ShardIndex)
    /// Combine the spec's `"shards"` shard artifacts, made before, into the stage's artifact.
    case merge
}

/// What a run did: its exit code and each considered stage's status
/// ("ran", "up-to-date", "failed", "skipped", "damaged"; "would-run" in a dry run).
public struct RunResult: Sendable {
    public let exitCode: ExitCode
    public let statuses: [String: String]

    /// Names of the stages that ran, in no particular order.
    public var ran: Set<String> { Set(statuses.filter { $0.value == "ran" }.keys) }
}

/// Runs a validated spec: takes the directory lock, plans, runs what is out of date in
/// dependency order, logs one line per stage and appends a run record.
public struct Runner {
    public let spec: PipelineSpec
    public let log: RunLog

    public init(spec: PipelineSpec, log: RunLog) {
        self.spec = spec
        self.log = log
    }

    /// Runs and returns the exit code; errors before any stage runs are thrown.
    public func run(_ options: RunOptions) throws(PipelineError) -> RunResult {
        // What validate checks outside the spec, before the lock is taken or anything written.
        try Preflight.check(spec)
        let shardStage = try checkShardWork(options)
        if case .shard(let shard)? = options.shardWork, let shardStage {
            return try runShardOnly(shardStage, shard, options)
        }
        let lock = options.dryRun ? nil : try DirectoryLock(stateDirectory: spec.stateDirectory, specPath: spec.path, waitSeconds: options.waitSeconds)
        defer { withExtendedLifetime(lock) {} }
        if lock != nil {
            for name in AtomicFile.removeStaleTemporaries(in: spec.artifactsDirectory, anyOwner: true) {
                log.event("cleaned", "removed \(name), left by an interrupted run")
            }
        }
        let hashes = FileHashCache(stateDirectory: spec.stateDirectory)
        let plan = try Planner.plan(spec: spec, selection: options.selection, hashes: hashes, verifyFiles: options.verifyFiles)
        if !options.dryRun { hashes.save() }
        if options.dryRun {
            for p in plan.stages where p.selected {
                log.event("plan", stage: p.stage.name, "\(p.willRun ? "would run" : "up to date"): \(p.stage.name) — \(p.reason)", fields: ["will_run": .bool(p.willRun)])
            }
            return RunResult(exitCode: .ok, statuses: Dictionary(plan.stages.filter(\.selected).map { ($0.stage.name, $0.willRun ? "would-run" : "up-to-date") }) { a, _ in a })
        }
        let started = Date()
        var records: [JSONValue] = []
        var failed = Set<String>()
        var exit = ExitCode.ok
        var stopped = false
        for p in plan.stages where p.selected {
            let name = p.stage.name
            if stopped || p.stage.from.contains(where: failed.contains) {
                if !stopped { log.event("skipped", stage: name, "skipped \(name): an input stage failed") }
                failed.insert(name)
                records.append(["stage": .string(name), "status": "skipped"])
                continue
            }
            if !p.willRun {
                if case .damaged(let why) = p.state {
                    log.event("failed", stage: name, "error: \(why)\n  rebuild it with: wordmill run \(spec.path) --force --only \(name)", isError: true)
                    failed.insert(name)
                    exit = .inputError
                    records.append(["stage": .string(name), "status": "damaged", "error": .string(why)])
                    if !options.keepGoing { stopped = true }
                    continue
                }
                log.event("up-to-date", stage: name, "up to date: \(name)", fields: ["artifact": .string(spec.artifactPath(for: name))])
                records.append(["stage": .string(name), "status": "up-to-date"])
                continue
            }
            let t0 = Date()
            do {
                let report = try runStage(p, mergeOnly: options.shardWork == .merge)
                let seconds = Date().timeIntervalSince(t0)
                let path = spec.artifactPath(for: name)
                let size = FileSystem.fileSize(path) ?? 0
                let counts = report.counts.keys.sorted().map { "\($0)=\(report.counts[$0]!)" }.joined(separator: " ")
                let detail = report.summary.isEmpty ? counts : report.summary
                log.event("ran", stage: name, "ran \(name) (\(p.stage.label)) in \(formatSeconds(seconds)): \(detail) → \(path) (\(formatBytes(size)))",
                          fields: ["seconds": .double(seconds), "counts": .object(report.counts.mapValues { .integer($0) }), "artifact": .string(path), "bytes": .integer(size)])
                records.append(["stage": .string(name), "status": "ran", "seconds": .double(seconds), "reason": .string(p.reason),
                                "counts": .object(report.counts.mapValues { .integer($0) })])
            } catch {
                let (message, code) = describe(error)
                log.event("failed", stage: name, "error: stage '\(name)' failed: \(message)", isError: true)
                failed.insert(name)
                if exit == .ok || code == .stageFailed { exit = code }
                records.append(["stage": .string(name), "status": "failed", "error": .string(message)])
                if !options.keepGoing { stopped = true }
            }
        }
        if exit != .ok {
            log.event("resume", "resume with: wordmill run \(spec.path)  (stages that finished are kept and will be skipped)", isError: true)
        }
        appendRecord(started: started, exit: exit, stages: records)
        var statuses: [String: String] = [:]
        for r in records { if let n = r["stage"]?.stringValue, let s = r["status"]?.stringValue { statuses[n] = s } }
        return RunResult(exitCode: exit, statuses: statuses)
    }

    func describe(_ error: Error) -> (String, ExitCode) {
        switch error {
        case let e as StageInputError: return (e.message, .inputError)
        case let e as ArtifactError:
            if case .writeFailed = e { return (e.description, .stageFailed) }
            return (e.description, .inputError)
        case let e as PipelineError: return (e.description, e.exitCode)
        default: return ("\(error)", .stageFailed)
        }
    }

    /// Runs a stage whole, or, when the spec shards it, its shards that are not current one
    /// after another and then their merge (`mergeOnly`: the merge alone, of shards made before).
    private func runStage(_ p: StagePlan, mergeOnly: Bool = false) throws -> StageReport {
        let (inputs, fingerprint) = try openInputs(p)
        log.event("start", stage: p.stage.name, "running \(p.stage.name) (\(p.stage.label)): \(p.reason)")
        if let sharding = p.stage.variant.sharding, let count = p.stage.shards, count > 1 || mergeOnly {
            if !mergeOnly {
                for i in 0..<count { try computeShard(p, ShardIndex(index: i, count: count), sharding: sharding, inputs: inputs, stageFingerprint: fingerprint, force: false) }
            }
            return try mergeShards(p, count: count, sharding: sharding, inputs: inputs, stageFingerprint: fingerprint)
        }
        return try p.stage.variant.run(context(p, fingerprint: fingerprint, outputPath: spec.artifactPath(for: p.stage.name), inputs: inputs))
    }

    /// Opens a stage's inputs and computes its fingerprint from them. The recorded
    /// fingerprint follows the inputs actually read: after `--only` over a stale input it
    /// differs from the plan's, so the next full run redoes this stage.
    func openInputs(_ p: StagePlan) throws -> (inputs: [String: ArtifactReader], fingerprint: String) {
        var inputs: [String: ArtifactReader] = [:]
        var inputFingerprints: [String: String] = [:]
        for (slot, upstream) in p.stage.slots {
            let reader = try ArtifactReader(path: spec.artifactPath(for: upstream), kinds: p.stage.variant.inputs.first { $0.name == slot }!.kinds)
            inputs[slot] = reader
            inputFingerprints[slot] = reader.header.fingerprint
        }
        return (inputs, Fingerprint.of(p.stage, inputs: inputFingerprints, files: p.fileHashes, environment: p.environment))
    }

    func context(_ p: StagePlan, fingerprint: String, outputPath: String, inputs: [String: ArtifactReader], shard: ShardIndex? = nil) -> StageContext {
        let label = shard.map { "\(p.stage.name)[\($0)]" } ?? p.stage.name
        return StageContext(
            stage: p.stage, spec: spec, fingerprint: fingerprint, environment: p.environment, outputPath: outputPath,
            inputs: inputs, files: p.files, fileHashes: p.fileHashes, shard: shard, log: { [log] message in log.event("progress", stage: p.stage.name, "  \(label): \(message)") })
    }

    func appendRecord(started: Date, exit: ExitCode, stages: [JSONValue]) {
        let record = JSONValue.object([
            "spec": .string(spec.path),
            "started": .string(Timestamp.iso8601(started)),
            "finished": .string(Timestamp.iso8601(Date())),
            "exit_code": .integer(Int(exit.rawValue)),
            "stages": .array(stages),
        ])
        let path = spec.stateDirectory + "/runs.jsonl"
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        let line = record.canonicalText + "\n"
        _ = line.withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }
}
