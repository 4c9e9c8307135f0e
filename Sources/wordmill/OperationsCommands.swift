import ArgumentParser
import Foundation
import WordmillArtifacts
import WordmillPipeline
import WordmillStages
import WordmillSupport

/// `wordmill status`: each stage's artifact against the spec as it is now.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show whether each stage of SPEC is up to date, stale (and what changed), missing or damaged.")

    @Argument(help: "The pipeline spec (JSON).") var spec: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let spec = loadSpec(self.spec)
        let statuses: [StageStatus]
        do { statuses = try PipelineStatus.compute(spec: spec) } catch { fail(error.description, code: error.exitCode) }
        if json {
            print(JSONValue.object(["spec": .string(spec.path), "artifacts": .string(spec.artifactsDirectory), "stages": .array(statuses.map(\.json))]).prettyText)
            return
        }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        formatter.timeZone = TimeZone(identifier: "UTC")
        print("pipeline \(spec.name): artifacts in \(spec.artifactsDirectory)")
        let width = statuses.map(\.stage.count).max() ?? 0
        for s in statuses {
            let name = s.stage.padding(toLength: width, withPad: " ", startingAt: 0)
            let made = s.modified.map { formatter.string(from: $0) + " UTC" } ?? "—"
            let size = s.bytes.map(formatBytes) ?? "—"
            print("  \(name)  \(s.state.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0))  \(size.padding(toLength: 10, withPad: " ", startingAt: 0))  \(made)")
            for reason in s.reasons where s.state != .missing { print("      \(reason)") }
            if !s.shards.isEmpty {
                let current = s.shards.filter { $0.state == .current }.count
                print("      shards: \(current) of \(s.shards.count) current")
                for shard in s.shards where shard.state != .current {
                    print("      shard \(shard.shard): \(shard.state.rawValue)\(shard.detail.map { ": \($0)" } ?? "")")
                }
            }
        }
        let counts = Dictionary(grouping: statuses, by: \.state).mapValues(\.count)
        print("\(counts[.upToDate] ?? 0) up to date, \(counts[.stale] ?? 0) stale, \(counts[.missing] ?? 0) missing, \(counts[.damaged] ?? 0) damaged")
    }
}

/// `wordmill history`: the run records of SPEC's artifact folder.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "List the recorded runs of SPEC (from <artifacts>/.wordmill/runs.jsonl), newest last.")

    @Argument(help: "The pipeline spec (JSON).") var spec: String
    @Option(help: "Only the last N runs.") var last: Int?
    @Flag(help: "Print the records as JSON lines.") var json = false

    func run() throws {
        let spec = loadSpec(self.spec)
        let (records, unreadable) = RunHistory.read(spec: spec)
        let shown = last.map { Array(records.suffix(max(0, $0))) } ?? records
        if records.isEmpty { print("no runs recorded in \(spec.stateDirectory)/runs.jsonl") }
        for record in shown { print(json ? record.canonicalText : RunHistory.summary(record)) }
        if unreadable > 0 { FileHandle.standardError.write(Data("warning: \(unreadable) unreadable line(s) in \(spec.stateDirectory)/runs.jsonl skipped\n".utf8)) }
    }
}

/// `wordmill gc`: remove what no stage of SPEC produces any more.
struct GCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc", abstract: "Remove artifacts no stage of SPEC produces any more, stale checkpoints and temporaries of dead runs.",
        discussion: "Takes the artifact folder's lock, so it never removes what a running pipeline is writing. Try --dry-run first.")

    @Argument(help: "The pipeline spec (JSON).") var spec: String
    @Flag(help: "List what would be removed; remove nothing.") var dryRun = false
    @Option(help: "If a run holds the lock, wait this many seconds.") var wait: Double?

    func run() throws {
        let spec = loadSpec(self.spec)
        let lock: DirectoryLock, garbage: [String]
        do {
            lock = try DirectoryLock(stateDirectory: spec.stateDirectory, specPath: spec.path, waitSeconds: wait)
            garbage = try ArtifactGarbage.find(spec: spec)
        } catch {
            fail(error.description, code: error.exitCode)
        }
        var bytes = 0
        for path in garbage {
            let size = FileSystem.fileSize(path) ?? 0
            bytes += size
            if dryRun {
                print("would remove \(path) (\(formatBytes(size)))")
            } else if unlink(path) == 0 {
                print("removed \(path) (\(formatBytes(size)))")
            } else {
                fail("\(path): cannot remove: \(FileSystem.errnoText())", code: .inputError)
            }
        }
        if !dryRun && !garbage.isEmpty { FileSystem.syncDirectory(spec.artifactsDirectory) }
        print(garbage.isEmpty ? "nothing to remove in \(spec.artifactsDirectory)"
              : "\(dryRun ? "would free" : "freed") \(formatBytes(bytes)) in \(garbage.count) file\(garbage.count == 1 ? "" : "s")")
        withExtendedLifetime(lock) {}
    }
}

/// `wordmill report`: one self-contained HTML page about SPEC's last run.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write one self-contained HTML page about SPEC's last run: the stage graph, times and counts, metrics and pictures.")

    @Argument(help: "The pipeline spec (JSON).") var spec: String
    @Option(name: .shortAndLong, help: "Where to write the page (default: <artifacts>/report.html).") var output: String?

    func run() throws {
        let spec = loadSpec(self.spec)
        let html: String
        do { html = try PipelineReport.html(spec: spec) } catch let error as PipelineError { fail(error.description, code: error.exitCode) }
        let path = output ?? spec.artifactsDirectory + "/report.html"
        do {
            try FileSystem.createDirectories(FileSystem.parent(of: path))
            try AtomicFile.write(Array(html.utf8), to: path)
        } catch { fail("\(path): \(error)", code: .inputError) }
        print("wrote \(path) (\(formatBytes(html.utf8.count)))")
    }
}
