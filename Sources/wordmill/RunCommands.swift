import ArgumentParser
import Foundation
import WordmillPipeline
import WordmillStages
import WordmillSupport

let catalog = StageCatalog.operations

/// `wordmill run`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the stages of SPEC that are out of date.")

    @Argument(help: "The pipeline spec (JSON).") var spec: String
    @Flag(help: "Run the selected stages even if up to date.") var force = false
    @Option(help: "Run only this stage (its inputs must exist).") var only: String?
    @Option(help: "Rerun this stage and everything downstream of it.") var from: String?
    @Option(help: "Run this stage and what it needs, nothing downstream.") var until: String?
    @Flag(help: "Show what would run and why; change nothing.") var dryRun = false
    @Flag(help: "After a failure, go on with stages that do not depend on it.") var keepGoing = false
    @Option(help: "If another run holds the lock, wait (bare --wait: as long as it takes; or this many seconds).") var wait: Double?
    @Flag(help: "Re-hash corpus files even if size and mtime are unchanged.") var verify = false
    @Option(help: ArgumentHelp("With --only: compute shard I of N (from 0) of a shardable stage.", valueName: "I/N")) var shard: String?
    @Flag(help: "With --only: merge the stage's shards (its \"shards\" in the spec) into its artifact.") var merge = false
    @Option(help: "local: run here; slurm: submit the stages not up to date as Slurm jobs (job arrays for sharded stages) and wait for them.") var executor: Executor = .local
    @Flag(help: "With --executor slurm: return once the jobs are submitted.") var noWait = false
    @Option(help: "plain or json.") var logFormat: LogFormat = .plain
    @Flag(help: "Print errors only.") var quiet = false

    func validate() throws {
        if shard != nil, merge { throw ValidationError("give --shard or --merge, not both") }
        if executor == .slurm, only != nil || from != nil || until != nil || shard != nil || merge || dryRun || force || keepGoing {
            throw ValidationError("--executor slurm submits every stage that is not up to date; it takes none of --only, --from, --until, --shard, --merge, --dry-run, --force, --keep-going (see what it would submit with: wordmill plan SPEC --emit slurm)")
        }
        if noWait, executor != .slurm { throw ValidationError("--no-wait goes with --executor slurm") }
        if let shard, ShardIndex(parsing: shard) == nil {
            throw ValidationError("--shard expects I/N with 0 ≤ I < N ≤ \(Sharding.maximumShards), e.g. 0/4; got '\(shard)'")
        }
    }

    func run() throws {
        let spec = loadSpec(self.spec)
        if executor == .slurm {
            do {
                let result = try SlurmExecutor(spec: spec, log: RunLog(format: logFormat, quiet: quiet), wordmill: currentExecutable()).run(wait: !noWait, verifyFiles: verify)
                if result.exitCode != .ok { throw ArgumentParser.ExitCode(result.exitCode.rawValue) }
                return
            } catch let error as PipelineError {
                fail(error.description, code: error.exitCode)
            }
        }
        var options = RunOptions()
        if let shard { options.shardWork = .shard(ShardIndex(parsing: shard)!) }
        if merge { options.shardWork = .merge }
        options.selection = StageSelection(only: only, from: from, until: until, force: force)
        options.dryRun = dryRun
        options.keepGoing = keepGoing
        options.waitSeconds = wait
        options.verifyFiles = verify
        let runner = Runner(spec: spec, log: RunLog(format: logFormat, quiet: quiet))
        do {
            let result = try runner.run(options)
            if result.exitCode != .ok { throw ArgumentParser.ExitCode(result.exitCode.rawValue) }
        } catch let error as PipelineError {
            fail(error.description, code: error.exitCode)
        }
    }
}

extension LogFormat: ExpressibleByArgument {}

/// Where `wordmill run` runs the stages.
enum Executor: String, ExpressibleByArgument, CaseIterable {
    case local, slurm
}

/// The running binary's absolute path, for the jobs a Slurm script submits.
func currentExecutable() -> String {
    URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
}

/// `wordmill plan`.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "Show each stage of SPEC, whether it would run and why.")

    @Argument(help: "The pipeline spec (JSON).") var spec: String
    @Option(help: ArgumentHelp("Print a submission script instead: slurm (sbatch jobs for the stages not up to date; job arrays for sharded stages).", valueName: "slurm")) var emit: Emitter?

    enum Emitter: String, ExpressibleByArgument { case slurm }

    func run() throws {
        let spec = loadSpec(self.spec)
        do {
            let plan = try Planner.plan(spec: spec, selection: StageSelection(), hashes: FileHashCache(stateDirectory: spec.stateDirectory))
            if emit == .slurm {
                print(SlurmScript.render(plan: plan, wordmill: currentExecutable(), workingDirectory: FileManager.default.currentDirectoryPath), terminator: "")
                return
            }
            print("pipeline \(spec.name): \(plan.stages.count) stages, artifacts in \(spec.artifactsDirectory)")
            for p in plan.stages {
                let inputs = p.stage.from.isEmpty ? "" : " ← " + p.stage.from.joined(separator: ", ")
                print("  \(p.willRun ? "run " : "ok  ") \(p.stage.name) (\(p.stage.label))\(inputs): \(p.reason)  [\(p.fingerprint.prefix(16))]")
            }
        } catch {
            fail(error.description, code: error.exitCode)
        }
    }
}

/// `wordmill validate`.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "validate", abstract: "Check SPEC and report every error; run nothing.")

    @Argument(help: "The pipeline spec (JSON).") var spec: String

    func run() throws {
        let spec = loadSpec(self.spec)
        do {
            try Preflight.check(spec)
        } catch {
            fail(error.description, code: error.exitCode)
        }
        print("\(self.spec): valid, \(spec.stages.count) stages: " + Planner.topologicalOrder(spec).map(\.name).joined(separator: " → "))
    }
}

/// `wordmill schema`.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (draft 2020-12) of pipeline specs, generated from the op declarations.",
        discussion: "Point an editor at it (for example with \"$schema\" in VS Code's json.schemas setting) to complete and check specs as you type; `wordmill validate` also checks what a schema cannot say, such as which stage kinds each op reads.")

    func run() throws {
        print(SpecSchema.document(catalog: catalog).prettyText)
    }
}
