import Foundation

/// The sbatch submission script for a plan (`wordmill plan SPEC --emit slurm`): one job per
/// stage that is not up to date; for a stage the spec shards, a job array of its shards
/// (`--array=0-(N-1)`, each task `--shard $SLURM_ARRAY_TASK_ID/N`) and a merge job after it;
/// every job gated on the jobs of the stages it reads with `--dependency=afterok`, and
/// cancelled if one of them fails (`--kill-on-invalid-dep=yes`). wordmill schedules nothing.
/// Run with bash, the script submits the jobs and prints one `<stage> <job id>` line for each
/// (`<stage>[shards]` for an array).
public enum SlurmScript {
    /// `wordmill`: the binary the jobs run (an absolute path). Paths in the script are made
    /// absolute against `workingDirectory`, so the jobs may start anywhere on shared storage.
    public static func render(plan: PipelinePlan, wordmill: String, workingDirectory: String) -> String {
        let spec = plan.spec
        let specPath = absolute(spec.path, in: workingDirectory)
        let logs = absolute(spec.slurmDirectory, in: workingDirectory)
        var lines = [
            "#!/usr/bin/env bash",
            "# Slurm jobs for the stages of pipeline '\(spec.name)' that are not up to date, written by",
            "#   wordmill plan \(spec.path) --emit slurm",
            "# Run it with bash on a login node: it submits the jobs and prints \"<stage> <job id>\" for each.",
            "# Each job is `wordmill run SPEC --only STAGE` (with --shard or --merge for a sharded stage),",
            "# which does nothing when the stage is already up to date; logs go to \(shellQuote(logs)).",
            "set -euo pipefail",
            "LOGS=\(shellQuote(logs))",
            "mkdir -p \"$LOGS\"",
            "submit() { sbatch --parsable --kill-on-invalid-dep=yes \"$@\" | cut -d';' -f1; }",
        ]
        var job: [String: String] = [:]
        for p in plan.stages where p.willRun {
            let stage = p.stage
            let variable = "job_\(stage.index)"
            let after = stage.from.compactMap { job[$0] }
            let resources = spec.slurm.overridden(by: stage.slurm).sbatchOptions
            let base = "exec \(shellQuote(wordmill)) run \(shellQuote(specPath)) --only \(stage.name) --wait"
            lines.append("")
            lines.append("# \(stage.name) (\(stage.label))\(stage.from.isEmpty ? "" : " ← " + stage.from.joined(separator: ", "))")
            if let count = stage.shards, stage.variant.sharding != nil {
                let shards = "\(variable)_shards"
                var array = ["--job-name=\(shellQuote("wordmill:\(spec.name):\(stage.name)[shards]"))", "--array=0-\(count - 1)",
                             "--output=\"$LOGS/\(stage.name).shard-%a.out\""]
                array += dependency(after) + resources
                array.append("--wrap=" + shellQuote(base + " --shard \"$SLURM_ARRAY_TASK_ID/\(count)\""))
                lines.append("\(shards)=$(submit \(array.joined(separator: " ")))")
                lines.append("echo \"\(stage.name)[shards] $\(shards)\"")
                var merge = ["--job-name=\(shellQuote("wordmill:\(spec.name):\(stage.name)"))", "--output=\"$LOGS/\(stage.name).merge.out\""]
                merge += dependency(["$" + shards]) + resources
                merge.append("--wrap=" + shellQuote(base + " --merge"))
                lines.append("\(variable)=$(submit \(merge.joined(separator: " ")))")
            } else {
                var single = ["--job-name=\(shellQuote("wordmill:\(spec.name):\(stage.name)"))", "--output=\"$LOGS/\(stage.name).out\""]
                single += dependency(after) + resources
                single.append("--wrap=" + shellQuote(base))
                lines.append("\(variable)=$(submit \(single.joined(separator: " ")))")
            }
            lines.append("echo \"\(stage.name) $\(variable)\"")
            job[stage.name] = "$" + variable
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `--dependency=afterok:…` on the given job variables, or nothing.
    static func dependency(_ jobs: [String]) -> [String] {
        jobs.isEmpty ? [] : ["--dependency=afterok:" + jobs.map { "\"\($0)\"" }.joined(separator: ":")]
    }

    /// `text` in single quotes for the shell (a quote inside becomes `'\''`).
    public static func shellQuote(_ text: String) -> String {
        if !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/._-+=:,@".contains($0)) }) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func absolute(_ path: String, in directory: String) -> String {
        let joined = path.hasPrefix("/") ? path : directory + "/" + path
        return (joined as NSString).standardizingPath
    }
}

extension PipelineSpec {
    /// wordmill's Slurm files: the submission script, the submitted jobs, the jobs' logs.
    public var slurmDirectory: String { stateDirectory + "/slurm" }
}
