import WordmillArtifacts

/// The type of one stage parameter, as the spec validator checks it.
public indirect enum ParameterType: Sendable {
    case integer(min: Int? = nil, max: Int? = nil)
    /// A number; `positive` rejects zero and negatives.
    case number(min: Double? = nil, max: Double? = nil, positive: Bool = false)
    case boolean
    /// A string, optionally restricted to `choices`.
    case string(choices: [String]? = nil)
    /// One path or glob, or an array of them; relative ones resolve against the spec's folder.
    case paths
    /// An array of strings.
    case stringList
    /// A non-empty array of numbers ≥ 0.
    case numberList
    /// An option set: a bare kind name (`"words"`) or an object with `kind` and that
    /// kind's options (`{"kind": "words", "lowercase": true}`); resolved to the object form.
    case options(kinds: [String: [ParameterSpec]])
    /// An object with the given fields (defaults filled in like a stage's own parameters).
    case object(fields: [ParameterSpec])
    /// scikit-learn's `min_df`/`max_df` convention: an integer is a count of documents, a
    /// number written with a fraction or exponent (`0.5`, `1.0`) is a proportion in [0, 1].
    case countOrFraction
    /// Two integers `[low, high]` with min ≤ low ≤ high ≤ max (e.g. an n-gram range).
    case integerPair(min: Int, max: Int)

    var expectation: String {
        switch self {
        case .integer(let lo, let hi):
            switch (lo, hi) {
            case let (lo?, hi?): return "an integer from \(lo) to \(hi)"
            case let (lo?, nil): return "an integer ≥ \(lo)"
            case let (nil, hi?): return "an integer ≤ \(hi)"
            default: return "an integer"
            }
        case .number(let lo, let hi, let positive):
            if positive { return "a number > 0" }
            switch (lo, hi) {
            case let (lo?, hi?): return "a number from \(lo) to \(hi)"
            case let (lo?, nil): return "a number ≥ \(lo)"
            default: return "a number"
            }
        case .boolean: return "true or false"
        case .string(let choices):
            if let choices { return "one of " + choices.map { "\"\($0)\"" }.joined(separator: ", ") }
            return "a string"
        case .paths: return "a path or an array of paths"
        case .stringList: return "an array of strings"
        case .numberList: return "a non-empty array of numbers ≥ 0"
        case .options(let kinds): return "one of " + kinds.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ") + " or an object with \"kind\""
        case .object(let fields): return "an object with " + fields.map { "\"\($0.name)\"" }.joined(separator: ", ")
        case .countOrFraction: return "an integer count ≥ 0 or a proportion from 0.0 to 1.0"
        case .integerPair(let lo, let hi): return "[low, high] with \(lo) ≤ low ≤ high ≤ \(hi)"
        }
    }
}

/// One parameter an op accepts: its name, type, default (nil means required) and a line of documentation.
public struct ParameterSpec: Sendable {
    public let name: String
    public let type: ParameterType
    public let defaultValue: JSONValue?
    public let doc: String

    public init(_ name: String, _ type: ParameterType, default defaultValue: JSONValue? = nil, doc: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.doc = doc
    }
}

/// Checks given parameters against specs, fills in defaults and reports every problem with its JSON path.
public enum ParameterResolver {
    /// Resolves `given` (the stage object minus name/op/from) against `specs`. Problems are
    /// appended to `issues`; the result holds every parameter with defaults filled in.
    public static func resolve(
        _ given: [String: JSONValue], specs: [ParameterSpec], path: String, issues: inout [SpecIssue]
    ) -> [String: JSONValue] {
        var resolved: [String: JSONValue] = [:]
        let known = Dictionary(specs.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for key in given.keys.sorted() where known[key] == nil {
            issues.append(SpecIssue(path: join(path, key), message: "unknown parameter '\(key)'\(NameSuggestion.hint(for: key, in: known.keys))"))
        }
        for spec in specs {
            let p = join(path, spec.name)
            guard let value = given[spec.name] else {
                if let d = spec.defaultValue {
                    resolved[spec.name] = d == .null ? nil : defaultValue(d, type: spec.type)
                } else {
                    issues.append(SpecIssue(path: p, message: "required parameter '\(spec.name)' is missing (\(spec.doc))"))
                }
                continue
            }
            if let v = check(value, type: spec.type, path: p, issues: &issues) { resolved[spec.name] = v }
        }
        return resolved
    }

    private static func defaultValue(_ d: JSONValue, type: ParameterType) -> JSONValue {
        if case .options = type, case .string = d {
            var ignored: [SpecIssue] = []
            return check(d, type: type, path: "", issues: &ignored) ?? d
        }
        return d
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private static func check(_ value: JSONValue, type: ParameterType, path: String, issues: inout [SpecIssue]) -> JSONValue? {
        func bad() -> JSONValue? {
            issues.append(SpecIssue(path: path, message: "expected \(type.expectation), got \(describe(value))"))
            return nil
        }
        switch type {
        case .integer(let lo, let hi):
            guard let i = value.intValue else { return bad() }
            if let lo, i < lo { return bad() }
            if let hi, i > hi { return bad() }
            return .integer(i)
        case .number(let lo, let hi, let positive):
            guard let d = value.doubleValue else { return bad() }
            if positive, d <= 0 { return bad() }
            if let lo, d < lo { return bad() }
            if let hi, d > hi { return bad() }
            return .double(d)
        case .boolean:
            guard case .bool = value else { return bad() }
            return value
        case .string(let choices):
            guard let s = value.stringValue else { return bad() }
            if let choices, !choices.contains(s) {
                issues.append(SpecIssue(path: path, message: "expected \(type.expectation), got \"\(s)\"\(NameSuggestion.hint(for: s, in: choices))"))
                return nil
            }
            return value
        case .paths:
            if let s = value.stringValue { return s.isEmpty ? bad() : .array([value]) }
            guard let a = value.arrayValue, !a.isEmpty, a.allSatisfy({ ($0.stringValue ?? "").isEmpty == false }) else { return bad() }
            return value
        case .stringList:
            guard let a = value.arrayValue, a.allSatisfy({ $0.stringValue != nil }) else { return bad() }
            return value
        case .numberList:
            guard let a = value.arrayValue, !a.isEmpty, a.allSatisfy({ ($0.doubleValue ?? -1) >= 0 }) else { return bad() }
            return .array(a.map { .double($0.doubleValue!) })
        case .options(let kinds):
            var object: [String: JSONValue]
            if let name = value.stringValue {
                object = ["kind": .string(name)]
            } else if let o = value.objectValue {
                object = o
            } else {
                return bad()
            }
            guard let kind = object["kind"]?.stringValue else {
                issues.append(SpecIssue(path: join(path, "kind"), message: "missing \"kind\": expected \(type.expectation)"))
                return nil
            }
            guard let specs = kinds[kind] else {
                issues.append(SpecIssue(path: value.stringValue != nil ? path : join(path, "kind"),
                    message: "unknown kind \"\(kind)\"; expected \(type.expectation)\(NameSuggestion.hint(for: kind, in: kinds.keys))"))
                return nil
            }
            object["kind"] = nil
            var resolved = resolve(object, specs: specs, path: path, issues: &issues)
            resolved["kind"] = .string(kind)
            return .object(resolved)
        case .object(let fields):
            guard let object = value.objectValue else { return bad() }
            return .object(resolve(object, specs: fields, path: path, issues: &issues))
        case .integerPair(let lo, let hi):
            guard let a = value.arrayValue, a.count == 2, let low = a[0].intValue, let high = a[1].intValue,
                  lo <= low, low <= high, high <= hi else { return bad() }
            return [.integer(low), .integer(high)]
        case .countOrFraction:
            switch value {
            case .int(let i): return i >= 0 ? value : bad()
            case .double(let d): return (0...1).contains(d) ? value : bad()
            default: return bad()
            }
        }
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return "string \"\(s)\""
        case .int(let i): return "integer \(i)"
        case .double(let d): return "number \(d)"
        case .bool(let b): return "boolean \(b)"
        default: return value.typeName
        }
    }
}
