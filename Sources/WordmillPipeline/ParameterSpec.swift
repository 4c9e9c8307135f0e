import WordmillSupport

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
    /// An array of distinct strings, each one of `choices`.
    case choiceList([String])
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
        case .choiceList(let choices): return "an array of " + choices.map { "\"\($0)\"" }.joined(separator: ", ")
        case .numberList: return "a non-empty array of numbers ≥ 0"
        case .options(let kinds): return "one of " + kinds.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ") + " or an object with \"kind\""
        case .object(let fields): return "an object with " + fields.map { "\"\($0.name)\"" }.joined(separator: ", ")
        case .countOrFraction: return "an integer count ≥ 0 or a proportion from 0.0 to 1.0"
        case .integerPair(let lo, let hi): return "[low, high] with \(lo) ≤ low ≤ high ≤ \(hi)"
        }
    }
}

/// What a parameter's value is when the spec leaves it out. Written once, here, in the
/// declaration: nothing in a stage's code supplies a default of its own.
public enum ParameterDefault: Sendable {
    /// The spec must give it.
    case required
    /// It stays unset (the stage treats "not given" as a setting of its own, e.g. no limit).
    case absent
    /// This value.
    case value(JSONValue)
    /// Computed from the parameters declared before it and from the stages it reads; `doc`
    /// says how, for the schema and docs/spec.md.
    case derived(doc: String, @Sendable (DefaultScope) -> JSONValue?)

    /// Spelled `.null` in declarations: the parameter stays unset.
    public static var null: ParameterDefault { .absent }

    /// The value for the schema and docs, when it does not depend on anything.
    public var fixedValue: JSONValue? { if case .value(let v) = self { v } else { nil } }
}

extension ParameterDefault: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral
{
    public init(stringLiteral value: String) { self = .value(.string(value)) }
    public init(integerLiteral value: Int) { self = .value(.integer(value)) }
    public init(floatLiteral value: Double) { self = .value(.double(value)) }
    public init(booleanLiteral value: Bool) { self = .value(.bool(value)) }
    public init(arrayLiteral elements: JSONValue...) { self = .value(.array(elements)) }
}

/// What a derived default may look at: the stage's parameters resolved so far (those declared
/// before it) and the stages it reads, by input slot.
public struct DefaultScope: Sendable {
    public let parameters: [String: JSONValue]
    public let upstream: [String: StageSpec]
    public init(parameters: [String: JSONValue], upstream: [String: StageSpec]) {
        self.parameters = parameters
        self.upstream = upstream
    }
    public subscript(key: String) -> JSONValue? { parameters[key] }
}

/// "Only with": a parameter that applies only when an earlier string parameter has one of
/// `values` (e.g. `negative` only with `objective: "negative"`). Given otherwise, it is an
/// error; left out otherwise, it stays unset and takes no default.
public struct ParameterCondition: Sendable {
    public let parameter: String
    public let values: [String]
    public init(_ parameter: String, _ values: [String]) {
        self.parameter = parameter
        self.values = values
    }
    /// A condition on a choice declared from an enum.
    public init<Choice: RawRepresentable>(_ parameter: String, _ values: [Choice]) where Choice.RawValue == String {
        self.init(parameter, values.map(\.rawValue))
    }
    func holds(in resolved: [String: JSONValue]) -> Bool { resolved[parameter]?.stringValue.map(values.contains) ?? false }
    var phrase: String { "\(parameter) " + values.map { "\"\($0)\"" }.joined(separator: " or ") }
}

/// One parameter an op accepts: its name, type, default, the condition it applies under and
/// a line of documentation.
public struct ParameterSpec: Sendable {
    public let name: String
    public let type: ParameterType
    public let defaultValue: ParameterDefault
    public let onlyWith: ParameterCondition?
    public let doc: String

    public init(_ name: String, _ type: ParameterType, default defaultValue: ParameterDefault = .required, onlyWith: ParameterCondition? = nil, doc: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.onlyWith = onlyWith
        self.doc = doc
    }
}

/// Checks given parameters against specs, fills in defaults and reports every problem with its JSON path.
public enum ParameterResolver {
    /// Resolves `given` (the stage object minus name/op/from) against `specs`. Problems are
    /// appended to `issues`; the result holds every parameter with defaults filled in.
    public static func resolve(
        _ given: [String: JSONValue], specs: [ParameterSpec], path: String, upstream: [String: StageSpec] = [:], issues: inout [SpecIssue]
    ) -> [String: JSONValue] {
        var resolved: [String: JSONValue] = [:]
        let known = Dictionary(specs.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for key in given.keys.sorted() where known[key] == nil {
            issues.append(SpecIssue(path: join(path, key), message: "unknown parameter '\(key)'\(NameSuggestion.hint(for: key, in: known.keys))"))
        }
        for spec in specs {
            let p = join(path, spec.name)
            if let condition = spec.onlyWith, !condition.holds(in: resolved) {
                if given[spec.name] != nil {
                    let actual = resolved[condition.parameter].map { $0.stringValue.map { "\"\($0)\"" } ?? $0.canonicalText } ?? "unset"
                    issues.append(SpecIssue(path: p, message: "'\(spec.name)' applies only with \(condition.phrase), not \(condition.parameter) \(actual)"))
                }
                continue
            }
            guard let value = given[spec.name] else {
                switch spec.defaultValue {
                case .required:
                    issues.append(SpecIssue(path: p, message: "required parameter '\(spec.name)' is missing (\(spec.doc))"))
                case .absent: break
                case .value(let d): resolved[spec.name] = defaultValue(d, type: spec.type)
                case .derived(_, let derive): resolved[spec.name] = derive(DefaultScope(parameters: resolved, upstream: upstream))
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
        case .choiceList(let choices):
            guard let a = value.arrayValue, a.allSatisfy({ $0.stringValue != nil }) else { return bad() }
            for (n, item) in a.enumerated() {
                let s = item.stringValue!
                if !choices.contains(s) {
                    issues.append(SpecIssue(path: "\(path)[\(n)]", message: "expected one of \(choices.map { "\"\($0)\"" }.joined(separator: ", ")), got \"\(s)\"\(NameSuggestion.hint(for: s, in: choices))"))
                } else if a[..<n].contains(item) {
                    issues.append(SpecIssue(path: "\(path)[\(n)]", message: "\"\(s)\" is listed twice"))
                }
            }
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
