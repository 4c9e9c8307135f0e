import WordmillSupport

/// What a stage's Slurm jobs ask for (`"slurm"` on the pipeline, overridden key by key on a
/// stage): sbatch's `--partition`, `--account`, `--qos`, `--cpus-per-task`, `--mem` and
/// `--time`. Not part of any fingerprint: where a stage runs does not change its bytes.
public struct SlurmResources: Sendable, Equatable {
    public var partition: String?
    public var account: String?
    public var qos: String?
    public var cpus: Int?
    /// Slurm's memory syntax: `4G`, `500M`.
    public var mem: String?
    /// Slurm's time syntax: `90`, `1:30:00`, `2-00:00:00`.
    public var time: String?

    public init(partition: String? = nil, account: String? = nil, qos: String? = nil, cpus: Int? = nil, mem: String? = nil, time: String? = nil) {
        self.partition = partition
        self.account = account
        self.qos = qos
        self.cpus = cpus
        self.mem = mem
        self.time = time
    }

    /// The keys a `"slurm"` object may hold.
    static let keys = ["partition", "account", "qos", "cpus", "mem", "time"]

    /// Reads a `"slurm"` object at JSON path `path`, adding what is wrong to `issues`.
    static func parse(_ value: JSONValue, path: String, issues: inout [SpecIssue]) -> SlurmResources {
        guard let object = value.objectValue else {
            issues.append(SpecIssue(path: path, message: "expected an object with some of \(keys.joined(separator: ", "))"))
            return SlurmResources()
        }
        for key in object.keys.sorted() where !keys.contains(key) {
            issues.append(SpecIssue(path: "\(path).\(key)", message: "unknown key '\(key)'\(NameSuggestion.hint(for: key, in: keys)); \"slurm\" takes \(keys.joined(separator: ", "))"))
        }
        func text(_ key: String, pattern: (Character) -> Bool, example: String) -> String? {
            guard let v = object[key] else { return nil }
            if let s = v.stringValue, !s.isEmpty, s.allSatisfy(pattern) { return s }
            issues.append(SpecIssue(path: "\(path).\(key)", message: "expected \(example), got \(v.canonicalText)"))
            return nil
        }
        let name: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber || "_-.,".contains($0)) }
        var r = SlurmResources()
        r.partition = text("partition", pattern: name, example: "a partition name")
        r.account = text("account", pattern: name, example: "an account name")
        r.qos = text("qos", pattern: name, example: "a QOS name")
        r.mem = text("mem", pattern: { $0.isASCII && ($0.isNumber || "KMGTkmgt".contains($0)) }, example: "Slurm's memory syntax such as \"4G\"")
        r.time = text("time", pattern: { $0.isASCII && ($0.isNumber || ":-".contains($0)) }, example: "Slurm's time syntax such as \"1:30:00\"")
        if let v = object["cpus"] {
            if let n = v.intValue, n >= 1 { r.cpus = n } else { issues.append(SpecIssue(path: "\(path).cpus", message: "expected a whole number of CPUs ≥ 1, got \(v.canonicalText)")) }
        }
        return r
    }

    /// These resources with `stage`'s keys taking precedence.
    public func overridden(by stage: SlurmResources?) -> SlurmResources {
        guard let stage else { return self }
        return SlurmResources(partition: stage.partition ?? partition, account: stage.account ?? account, qos: stage.qos ?? qos,
                              cpus: stage.cpus ?? cpus, mem: stage.mem ?? mem, time: stage.time ?? time)
    }

    /// The sbatch options these resources give.
    public var sbatchOptions: [String] {
        var out: [String] = []
        if let partition { out.append("--partition=\(partition)") }
        if let account { out.append("--account=\(account)") }
        if let qos { out.append("--qos=\(qos)") }
        if let cpus { out.append("--cpus-per-task=\(cpus)") }
        if let mem { out.append("--mem=\(mem)") }
        if let time { out.append("--time=\(time)") }
        return out
    }
}
