import Foundation
import WordmillArtifacts

/// Reads a spec file and validates it completely before anything runs: syntax, version,
/// stage names, ops, parameters, `from` references and their kinds, and cycles. Every
/// problem found is reported at once, each with its JSON path.
public enum SpecLoader {
    /// The spec format version this build understands (`"wordmill": 1`).
    public static let specVersion = 1
    static let topLevelKeys = ["wordmill", "name", "description", "artifacts", "stages"]

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
        let directory = FileSystem.parent(of: path)
        let artifactsDirectory = artifacts.hasPrefix("/") ? artifacts : (directory == "." ? artifacts : directory + "/" + artifacts)

        var stages: [StageSpec] = []
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
            var given = object
            for k in ["name", "op", "from"] { given[k] = nil }
            var specs = op.parameters
            if let key = op.variantKey {
                let choices = op.variants.keys.sorted()
                if let variant = given[key]?.stringValue, let extra = op.variants[variant] {
                    specs += extra
                } else {
                    let got = given[key].map { $0.canonicalText } ?? "nothing"
                    let hint = given[key]?.stringValue.map { NameSuggestion.hint(for: $0, in: choices) } ?? ""
                    issues.append(SpecIssue(path: "\(label).\(key)", message: "expected one of \(choices.map { "\"\($0)\"" }.joined(separator: ", ")), got \(got)\(hint)"))
                    continue
                }
                specs.append(ParameterSpec(key, .string(choices: choices), doc: "which \(key)"))
            }
            let parameters = ParameterResolver.resolve(given, specs: specs, path: label, issues: &issues)
            let slots = matchSlots(from: from, op: op, stageValues: stageValues, names: names, catalog: catalog, label: label, issues: &issues)
            stages.append(StageSpec(name: names[i], op: opName, from: from, slots: slots, parameters: parameters, index: i))
        }
        if issues.isEmpty, let cycle = findCycle(stages) {
            issues.append(SpecIssue(path: "stages", message: "the stages form a cycle: \(cycle.joined(separator: " → "))"))
        }
        if !issues.isEmpty { throw .invalidSpec(file: path, issues: issues.map { SpecLoader.name(stageOf: $0, names: names) }) }
        return PipelineSpec(path: path, directory: directory, name: name, artifactsDirectory: artifactsDirectory, stages: stages)
    }

    /// Adds the stage's name to an issue whose path starts with `stages[i]`.
    static func name(stageOf issue: SpecIssue, names: [String]) -> SpecIssue {
        guard issue.path.hasPrefix("stages["), let close = issue.path.firstIndex(of: "]"),
            let i = Int(issue.path[issue.path.index(issue.path.startIndex, offsetBy: 7)..<close]), i < names.count, !names[i].isEmpty
        else { return issue }
        var named = issue
        named.stage = names[i]
        return named
    }

    static func isValidName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || ("0"..."9").contains(first) else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0)) }
    }

    /// Assigns each `from` stage to one of the op's input slots by the kind it produces.
    private static func matchSlots(
        from: [String], op: OperationDefinition, stageValues: [JSONValue], names: [String],
        catalog: OperationCatalog, label: String, issues: inout [SpecIssue]
    ) -> [String: String] {
        let need = op.inputs.map { "\($0.optional ? "optionally " : "")a '\($0.kinds.joined(separator: "' or '"))' stage" }.joined(separator: " and ")
        if from.isEmpty {
            if op.inputs.contains(where: { !$0.optional }) { issues.append(SpecIssue(path: "\(label).from", message: "missing \"from\": op '\(op.name)' reads \(need)")) }
            return [:]
        }
        if op.inputs.isEmpty {
            issues.append(SpecIssue(path: "\(label).from", message: "op '\(op.name)' reads no stage; remove \"from\""))
            return [:]
        }
        var slots: [String: String] = [:]
        for (n, upstream) in from.enumerated() {
            let p = from.count == 1 ? "\(label).from" : "\(label).from[\(n)]"
            guard let j = names.firstIndex(of: upstream) else {
                issues.append(SpecIssue(path: p, message: "no stage named '\(upstream)'\(NameSuggestion.hint(for: upstream, in: names.filter { !$0.isEmpty }))"))
                continue
            }
            guard let kind = producedKind(stageValues[j], catalog: catalog) else { continue }  // its own errors are reported
            guard let slot = op.inputs.first(where: { $0.kinds.contains(kind) && slots[$0.name] == nil }) else {
                issues.append(SpecIssue(path: p, message: "stage '\(upstream)' produces '\(kind)', but op '\(op.name)' reads \(need)"))
                continue
            }
            slots[slot.name] = upstream
        }
        if slots.count == from.count {
            for slot in op.inputs where slots[slot.name] == nil && !slot.optional {
                issues.append(SpecIssue(path: "\(label).from", message: "op '\(op.name)' also needs a '\(slot.kinds.joined(separator: "' or '"))' stage in \"from\""))
            }
        }
        return slots
    }

    private static func producedKind(_ stage: JSONValue, catalog: OperationCatalog) -> String? {
        guard let opName = stage["op"]?.stringValue, let op = catalog[opName], let object = stage.objectValue else { return nil }
        if let key = op.variantKey, let v = object[key]?.stringValue, op.variants[v] == nil { return nil }
        return op.outputKind(object)
    }

    private static func findCycle(_ stages: [StageSpec]) -> [String]? {
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
