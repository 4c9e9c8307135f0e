import Foundation
import WordmillArtifacts
import WordmillSupport

/// `wordmill run SPEC --executor slurm`: writes the plan's submission script
/// (`SlurmScript`) to `<artifacts>/.wordmill/slurm/submit.sh`, runs it, records the jobs in
/// `jobs.json` beside it, and (unless `wait` is false) waits until they have all left the
/// queue, then reports each stage from its artifact and the run records the jobs appended.
/// It holds no lock while it waits: the jobs take the locks they need.
public struct SlurmExecutor {
    public let spec: PipelineSpec
    public let log: RunLog
    /// The binary the jobs run, absolute.
    public let wordmill: String
    /// Seconds between two looks at the queue.
    public var pollSeconds = 2.0

    public init(spec: PipelineSpec, log: RunLog, wordmill: String) {
        self.spec = spec
        self.log = log
        self.wordmill = wordmill
    }

    /// Submits, and waits when `wait`; returns the exit code (0: every stage up to date).
    public func run(wait: Bool, verifyFiles: Bool = false) throws(PipelineError) -> RunResult {
        try Preflight.check(spec)
        let hashes = FileHashCache(stateDirectory: spec.stateDirectory)
        let plan = try Planner.plan(spec: spec, selection: StageSelection(), hashes: hashes, verifyFiles: verifyFiles)
        hashes.save()
        if let damaged = plan.stages.first(where: \.isDamaged) {
            throw .inputError("stage '\(damaged.stage.name)' has a damaged artifact (\(damaged.reason)); rebuild it with: wordmill run \(spec.path) --force --only \(damaged.stage.name)")
        }
        let submitted = plan.stages.filter(\.willRun).map(\.stage.name)
        guard !submitted.isEmpty else {
            log.event("up-to-date", "nothing to submit: every stage of \(spec.name) is up to date")
            return RunResult(exitCode: .ok, statuses: Dictionary(uniqueKeysWithValues: plan.stages.map { ($0.stage.name, "up-to-date") }))
        }
        let script = SlurmScript.render(plan: plan, wordmill: wordmill, workingDirectory: FileManager.default.currentDirectoryPath)
        let scriptPath = spec.slurmDirectory + "/submit.sh"
        do {
            try FileSystem.createDirectories(spec.slurmDirectory)
            try AtomicFile.write(Array(script.utf8), to: scriptPath)
        } catch { throw .inputError("\(scriptPath): \(error)") }
        let started = Date()
        let (status, output, errors) = Self.execute(["bash", scriptPath])
        let jobs: [(stage: String, id: String)] = output.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }
        let record: JSONValue = [
            "submitted": .string(Timestamp.iso8601(started)), "script": .string(scriptPath),
            "jobs": .array(jobs.map { ["stage": .string($0.stage), "job": .string($0.id)] }),
        ]
        try? AtomicFile.write(Array(record.prettyText.utf8), to: spec.slurmDirectory + "/jobs.json")
        for job in jobs { log.event("submitted", stage: job.stage, "submitted \(job.stage) as Slurm job \(job.id)", fields: ["job": .string(job.id)]) }
        guard status == 0 else {
            // Jobs already submitted stay queued; their ids are in jobs.json.
            throw .stageFailed(stage: jobs.last?.stage ?? submitted[0], message: "sbatch failed (exit \(status)): \(errors.trimmingCharacters(in: .whitespacesAndNewlines)); the script is \(scriptPath)")
        }
        guard wait else {
            log.event("queued", "\(jobs.count) Slurm jobs queued; follow them with: wordmill status \(spec.path)")
            return RunResult(exitCode: .ok, statuses: Dictionary(uniqueKeysWithValues: submitted.map { ($0, "submitted") }))
        }
        try waitForQueue(Set(jobs.map(\.id)))
        return try report(submitted: submitted, since: started)
    }

    /// Polls `squeue` until none of `ids` is pending or running.
    func waitForQueue(_ ids: Set<String>) throws(PipelineError) {
        var failures = 0
        while true {
            let (status, output, errors) = Self.execute(["squeue", "-h", "-o", "%F %i"])
            if status != 0 {
                failures += 1
                if failures >= 30 { throw .stageFailed(stage: spec.name, message: "squeue keeps failing: \(errors.trimmingCharacters(in: .whitespacesAndNewlines))") }
            } else {
                failures = 0
                // %F is an array's job id, %i a task's (`123_4`) or a plain job's id.
                let queued = output.split(separator: "\n").flatMap { $0.split(separator: " ").map(String.init) }
                if ids.isDisjoint(with: queued) { return }
            }
            usleep(UInt32(pollSeconds * 1_000_000))
        }
    }

    /// Each submitted stage's outcome from its artifact and the records its jobs appended.
    func report(submitted: [String], since started: Date) throws(PipelineError) -> RunResult {
        let plan = try Planner.plan(spec: spec, selection: StageSelection(), hashes: FileHashCache(stateDirectory: spec.stateDirectory))
        let failures = RunHistory.failures(spec: spec, since: started)
        var statuses: [String: String] = [:]
        var exit = ExitCode.ok
        for p in plan.stages where submitted.contains(p.stage.name) {
            if p.state == .upToDate {
                statuses[p.stage.name] = "ran"
                log.event("ran", stage: p.stage.name, "done: \(p.stage.name)")
                continue
            }
            statuses[p.stage.name] = "failed"
            exit = .stageFailed
            let why = failures[p.stage.name].map { $0.joined(separator: "; ") } ?? "its job did not finish (cancelled after an input's job failed, or killed; see \(spec.slurmDirectory))"
            log.event("failed", stage: p.stage.name, "error: stage '\(p.stage.name)' failed: \(why)", isError: true)
        }
        return RunResult(exitCode: exit, statuses: statuses)
    }

    /// Runs a command; returns its exit status, standard output and standard error.
    static func execute(_ arguments: [String]) -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { return (127, "", "\(arguments[0]): \(error)") }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }
}
