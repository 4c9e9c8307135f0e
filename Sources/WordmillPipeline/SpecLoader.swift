import Foundation
import WordmillArtifacts
import WordmillSupport

/// Reads a spec file and validates it completely before anything runs: syntax, version,
/// stage names, ops, parameters, `from` references and their kinds, and cycles. Every
/// problem found is reported at once, each with its JSON path.
public enum SpecLoader {
    /// The spec format version this build understands (`"wordmill": 1`).
    public static let specVersion = 1
    static let topLevelKeys = ["wordmill", "name", "description", "artifacts", "slurm", "stages"]

    /// Loads and validates the spec at `path`.
    public static func load(path: String, catalog: OperationCatalog) throws(PipelineError) -> PipelineSpec {
        let bytes: [UInt8]
        do { bytes = try FileSystem.readFile(path) } catch {
            throw .inputError("\(path): cannot read spec: \(error)")
        }
        let json: JSONValue
        do { json = try JSONParser.parse(bytes) } catch {
            throw .invalidSpec(file: path, issues: [SpecIssue(path: "", message: "not valid JSON: \(error)")])
        }
        return try validate(json, path: path, catalog: catalog)
    }

    /// Validates an already parsed spec (tests use this directly).
    public static func validate(_ json: JSONValue, path: String, catalog: OperationCatalog) throws(PipelineError) -> PipelineSpec {
        var issues: [SpecIssue] = []
        guard let top = json.objectValue else {
            throw .invalidSpec(file: path, issues: [SpecIssue(path: "", message: "a spec is a JSON object, got \(json.typeName)")])
        }
        for key in top.keys.sorted() where !topLevelKeys.contains(key) {
            issues.append(SpecIssue(path: key, message: "unknown key '\(key)'\(NameSuggestion.hint(for: key, in: topLevelKeys))"))
        }
        switch top["wordmill"] {
        case nil: issues.append(SpecIssue(path: "wordmill", message: "missing spec version; add \"wordmill\": \(specVersion)"))
        case .some(let v) where v.intValue == specVersion: break
        case .some(let v): issues.append(SpecIssue(path: "wordmill", message: "unsupported spec version \(v.canonicalText); this wordmill reads version \(specVersion)"))
        }
        let name = top["name"]?.stringValue ?? ""
        if top["name"] != nil, top["name"]?.stringValue == nil { issues.append(SpecIssue(path: "name", message: "expected a string")) }
        if top["name"] == nil { issues.append(SpecIssue(path: "name", message: "missing pipeline name")) }
        var artifacts = "artifacts"
        if let a = top["artifacts"] {
            if let s = a.stringValue, !s.isEmpty { artifacts = s } else { issues.append(SpecIssue(path: "artifacts", message: "expected a folder path string")) }
        }
        let slurm = top["slurm"].map { SlurmResources.parse($0, path: "slurm", issues: &issues) } ?? SlurmResources()
        let directory = FileSystem.parent(of: path)
        let artifactsDirectory = artifacts.hasPrefix("/") ? artifacts : (directory == "." ? artifacts : directory + "/" + artifacts)

        guard let stageValues = top["stages"]?.arrayValue else {
            issues.append(SpecIssue(path: "stages", message: top["stages"] == nil ? "missing \"stages\"" : "expected an array of stages"))
            throw .invalidSpec(file: path, issues: issues)
        }
        if stageValues.isEmpty { issues.append(SpecIssue(path: "stages", message: "no stages")) }

        // First pass: names, so `from` can be checked against all of them.
        var names: [String] = []
        for (i, v) in stageValues.enumerated() {
            let n = v["name"]?.stringValue ?? ""
            names.append(n)
            if v.objectValue == nil { issues.append(SpecIssue(path: "stages[\(i)]", message: "expected an object")); continue }
            if v["name"] == nil { issues.append(SpecIssue(path: "stages[\(i)].name", message: "missing stage name")) } else if !isValidName(n) {
                issues.append(SpecIssue(path: "stages[\(i)].name", message: "stage name \(v["name"]!.canonicalText) must be letters, digits, '_', '-' or '.', starting with a letter or digit"))
            } else if let first = names.firstIndex(of: n), first < i {
                issues.append(SpecIssue(path: "stages[\(i)].name", message: "duplicate stage name '\(n)' (also stages[\(first)])"))
            }
        }

        // Second pass: each stage's op, `from` and the parameters given; the variant where a
        // parameter names it.
        var drafts: [Draft] = []
        for (i, v) in stageValues.enumerated() {
            guard let object = v.objectValue else { continue }
            let label = "stages[\(i)]"
            guard let opName = object["op"]?.stringValue else {
                issues.append(SpecIssue(path: "\(label).op", message: object["op"] == nil ? "missing op" : "expected an op name string"))
                continue
            }
            guard let op = catalog[opName] else {
                issues.append(SpecIssue(path: "\(label).op", message: "unknown op '\(opName)'\(NameSuggestion.hint(for: opName, in: catalog.operations.keys)); ops: \(catalog.operations.keys.sorted().joined(separator: ", "))"))
                continue
            }
            var from: [String] = []
            switch object["from"] {
            case nil: break
            case .string(let s)?: from = [s]
            case .array(let a)? where a.allSatisfy({ $0.stringValue != nil }): from = a.map { $0.stringValue! }
            default: issues.append(SpecIssue(path: "\(label).from", message: "expected a stage name or an array of stage names"))
            }
            var shards: Int?
            if let value = object["shards"] {
                if let n = value.intValue, (1...Sharding.maximumShards).contains(n) { shards = n } else {
                    issues.append(SpecIssue(path: "\(label).shards", message: "expected a whole number of shards from 1 to \(Sharding.maximumShards), got \(value.canonicalText)"))
                }
            }
            let stageSlurm = object["slurm"].map { SlurmResources.parse($0, path: "\(label).slurm", issues: &issues) }
            var given = object
            for k in ["name", "op", "from", "shards", "slurm"] { given[k] = nil }
            var variant: VariantDeclaration?
            switch op.selector {
            case .single: variant = op.variants[0]
            case .inputKind: break  // chosen below, once every stage's output kind is known
            case .parameter(let key):
                let choices = op.variants.map(\.name)
                if let name = given[key]?.stringValue, let chosen = op.variant(named: name) {
                    variant = chosen
                } else {
                    let got = given[key].map { $0.canonicalText } ?? "nothing"
                    let hint = given[key]?.stringValue.map { NameSuggestion.hint(for: $0, in: choices) } ?? ""
                    issues.append(SpecIssue(path: "\(label).\(key)", message: "expected one of \(choices.map { "\"\($0)\"" }.joined(separator: ", ")), got \(got)\(hint)"))
                    continue
                }
            }
            drafts.append(Draft(index: i, name: names[i], op: op, variant: variant, from: from, given: given, shards: shards, slurm: stageSlurm))
        }

        // Third pass: `from` matched to the variant's input slots by the kinds the upstream
        // stages write (and, for ops chosen by input kind, the variant that reads them).
        let produced = Dictionary(drafts.map { d in (d.name, d.variant?.outputKind ?? d.op.variants[0].outputKind) }, uniquingKeysWith: { a, _ in a })
        let spelled = Set(drafts.filter { d in
            if case .inputKind = d.op.selector { return true }
            return d.variant != nil
        }.map(\.name))
        for n in drafts.indices {
            let label = "stages[\(drafts[n].index)]"
            let kinds = Dictionary(drafts[n].from.compactMap { upstream in spelled.contains(upstream) ? produced[upstream].map { (upstream, $0) } : nil }, uniquingKeysWith: { a, _ in a })
            if let variant = drafts[n].variant {
                let (slots, found) = matchSlots(from: drafts[n].from, variant: variant, op: drafts[n].op, kinds: kinds, names: names, label: label)
                drafts[n].slots = slots
                issues += found
                continue
            }
            var tried: [(variant: VariantDeclaration, issues: [SpecIssue])] = []
            for variant in drafts[n].op.variants {
                let (slots, found) = matchSlots(from: drafts[n].from, variant: variant, op: drafts[n].op, kinds: kinds, names: names, label: label)
                if found.isEmpty {
                    drafts[n].variant = variant
                    drafts[n].slots = slots
                    break
                }
                tried.append((variant, found))
            }
            if drafts[n].variant == nil {
                // The variant whose selecting slot takes what `from` gives says what else it
                // needs; when none does, every variant's inputs are listed.
                guard case .inputKind(let selecting) = drafts[n].op.selector else { continue }
                let given = Set(drafts[n].from.compactMap { kinds[$0] })
                if let closest = tried.first(where: { t in t.variant.inputs.first { $0.name == selecting }.map { !given.isDisjoint(with: $0.kinds) } ?? false }) {
                    issues += closest.issues
                    continue
                }
                let op = drafts[n].op
                let reads = op.variants.map { "\(needs($0)) (\($0.name))" }.joined(separator: "; or ")
                let got = drafts[n].from.compactMap { u in kinds[u].map { "'\(u)' produces '\($0)'" } }.joined(separator: ", ")
                let unknown = (tried.first?.issues ?? []).filter { $0.message.hasPrefix("no stage named") || $0.message.hasPrefix("missing") }
                issues += unknown.isEmpty
                    ? [SpecIssue(path: "\(label).from", message: "op '\(op.name)' reads \(reads)\(got.isEmpty ? "" : "; got \(got)")")] : unknown
            }
        }

        // Fourth pass, in dependency order: parameters resolved (a derived default may look at
        // the stages read) and the variant's rules checked.
        if issues.isEmpty, let cycle = findCycle(drafts) {
            issues.append(SpecIssue(path: "stages", message: "the stages form a cycle: \(cycle.joined(separator: " → "))"))
            throw .invalidSpec(file: path, issues: issues.map { SpecLoader.name(stageOf: $0, names: names) })
        }
        var resolved: [String: StageSpec] = [:]
        for d in dependencyOrder(drafts, name: \.name, reads: \.from) {
            guard let variant = d.variant else { continue }
            let label = "stages[\(d.index)]"
            var upstream: [String: StageSpec] = [:]
            for (slot, name) in d.slots { upstream[slot] = resolved[name] }
            var stageIssues: [SpecIssue] = []
            let parameters = ParameterResolver.resolve(d.given, specs: d.op.parameters(of: variant), path: label, upstream: upstream, issues: &stageIssues)
            // A variant's rules run on a complete resolution whose inputs resolved too.
            if stageIssues.isEmpty, upstream.count == d.slots.count, let check = variant.check {
                stageIssues += check(StageCheck(parameters: parameters, upstream: upstream, path: label, resolved: resolved))
            }
            if d.shards != nil, let why = variant.sharding?.refusal?(parameters) {
                stageIssues.append(SpecIssue(path: "\(label).shards", message: "this stage cannot be sharded: \(why)"))
            }
            if d.shards != nil, variant.sharding == nil {
                stageIssues.append(SpecIssue(path: "\(label).shards", message: "\(variant.name == d.op.name ? "op '\(d.op.name)'" : "\(d.op.name) '\(variant.name)'") runs whole and cannot be sharded; ops that can: \(shardableOps(catalog))"))
            }
            issues += stageIssues
            resolved[d.name] = StageSpec(name: d.name, op: d.op.name, variant: variant, from: d.from, slots: d.slots, parameters: parameters, index: d.index, shards: d.shards, slurm: d.slurm)
        }
        if !issues.isEmpty { throw .invalidSpec(file: path, issues: issues.sorted(by: issueOrder).map { SpecLoader.name(stageOf: $0, names: names) }) }
        let stages = drafts.map { resolved[$0.name]! }
        return PipelineSpec(path: path, directory: directory, name: name, artifactsDirectory: artifactsDirectory, stages: stages, slurm: slurm)
    }

    /// A stage as read from the spec before its parameters are resolved.
    struct Draft {
        let index: Int
        let name: String
        let op: OperationDefinition
        var variant: VariantDeclaration?
        let from: [String]
        let given: [String: JSONValue]
        let shards: Int?
        let slurm: SlurmResources?
        var slots: [String: String] = [:]
    }

    /// The ops with a variant that shards, for messages.
    static func shardableOps(_ catalog: OperationCatalog) -> String {
        catalog.operations.values.filter { $0.variants.contains { $0.sharding != nil } }.map(\.name).sorted().joined(separator: ", ")
    }

    /// Issues by stage index, then in the order found.
    static func issueOrder(_ a: SpecIssue, _ b: SpecIssue) -> Bool { stageIndex(a.path) < stageIndex(b.path) }

    /// The i of a path that starts with `stages[i]`, or −1.
    static func stageIndex(_ path: String) -> Int {
        guard path.hasPrefix("stages["), let close = path.firstIndex(of: "]") else { return -1 }
        return Int(path[path.index(path.startIndex, offsetBy: 7)..<close]) ?? -1
    }

    /// Adds the stage's name to an issue whose path starts with `stages[i]`.
    static func name(stageOf issue: SpecIssue, names: [String]) -> SpecIssue {
        let i = stageIndex(issue.path)
        guard i >= 0, i < names.count, !names[i].isEmpty else { return issue }
        var named = issue
        named.stage = names[i]
        return named
    }

    static func isValidName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || ("0"..."9").contains(first) else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0)) }
    }

    /// What a variant reads, in words.
    static func needs(_ variant: VariantDeclaration) -> String {
        variant.inputs.map { "\($0.optional ? "optionally " : "")a '\($0.kinds.joined(separator: "' or '"))' stage" }.joined(separator: " and ")
    }

    /// Assigns each `from` stage to one of the variant's input slots by the kind it writes
    /// (`kinds`: upstream stage → kind, for those whose kind is known).
    private static func matchSlots(
        from: [String], variant: VariantDeclaration, op: OperationDefinition, kinds: [String: String], names: [String], label: String
    ) -> ([String: String], [SpecIssue]) {
        var issues: [SpecIssue] = []
        let what = variant.name == op.name ? "op '\(op.name)'" : "\(op.name) '\(variant.name)'"
        let need = needs(variant)
        if from.isEmpty {
            if variant.inputs.contains(where: { !$0.optional }) { issues.append(SpecIssue(path: "\(label).from", message: "missing \"from\": \(what) reads \(need)")) }
            return ([:], issues)
        }
        if variant.inputs.isEmpty {
            issues.append(SpecIssue(path: "\(label).from", message: "\(what) reads no stage; remove \"from\""))
            return ([:], issues)
        }
        var slots: [String: String] = [:]
        var matched = 0
        for (n, upstream) in from.enumerated() {
            let p = from.count == 1 ? "\(label).from" : "\(label).from[\(n)]"
            guard names.contains(upstream) else {
                issues.append(SpecIssue(path: p, message: "no stage named '\(upstream)'\(NameSuggestion.hint(for: upstream, in: names.filter { !$0.isEmpty }))"))
                continue
            }
            guard let kind = kinds[upstream] else { continue }  // its own errors are reported
            guard let slot = variant.inputs.first(where: { $0.kinds.contains(kind) && slots[$0.name] == nil }) else {
                issues.append(SpecIssue(path: p, message: "stage '\(upstream)' produces '\(kind)', but \(what) reads \(need)"))
                continue
            }
            slots[slot.name] = upstream
            matched += 1
        }
        if matched == from.count {
            for slot in variant.inputs where slots[slot.name] == nil && !slot.optional {
                issues.append(SpecIssue(path: "\(label).from", message: "\(what) also needs a '\(slot.kinds.joined(separator: "' or '"))' stage in \"from\""))
            }
        }
        return (slots, issues)
    }

    /// `stages` with every stage after the ones it reads (Kahn's algorithm, ties in spec order);
    /// names that are no stage are ignored, and stages on a cycle are left out.
    static func dependencyOrder<Stage>(_ stages: [Stage], name: (Stage) -> String, reads: (Stage) -> [String]) -> [Stage] {
        var remaining = stages
        var done = Set<String>()
        var order: [Stage] = []
        let known = Set(stages.map(name))
        while !remaining.isEmpty {
            guard let i = remaining.firstIndex(where: { reads($0).allSatisfy { done.contains($0) || !known.contains($0) } }) else { break }
            let stage = remaining.remove(at: i)
            done.insert(name(stage))
            order.append(stage)
        }
        return order
    }

    private static func findCycle(_ stages: [Draft]) -> [String]? {
        let byName = Dictionary(stages.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        var stack: [String] = []
        func visit(_ name: String) -> [String]? {
            if state[name] == 2 { return nil }
            if state[name] == 1 {
                let start = stack.firstIndex(of: name)!
                return Array(stack[start...]) + [name]
            }
            state[name] = 1
            stack.append(name)
            for upstream in byName[name]?.from ?? [] {
                if let cycle = visit(upstream) { return cycle }
            }
            stack.removeLast()
            state[name] = 2
            return nil
        }
        for s in stages { if let c = visit(s.name) { return c } }
        return nil
    }
}
