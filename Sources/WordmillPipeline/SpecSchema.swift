import WordmillSupport

/// The JSON Schema (draft 2020-12) of pipeline specs, generated from the op and variant
/// declarations, so editors validate and complete specs (`wordmill schema`). It says every
/// parameter's type, default, allowed values and meaning, which parameters each variant takes
/// and the only-with conditions between them. Rules that need the stages read (input kinds,
/// a default that follows an upstream stage) are beyond a schema; `wordmill validate` checks them.
public enum SpecSchema {
    public static let id = "https://wordmill.invalid/schema/spec-v\(SpecLoader.specVersion).json"

    public static func document(catalog: OperationCatalog) -> JSONValue {
        let ops = catalog.operations.keys.sorted()
        var defs: [String: JSONValue] = [:]
        var branches: [JSONValue] = []
        for name in ops {
            let op = catalog[name]!
            defs["op-\(name)"] = operation(op)
            branches.append([
                "if": ["properties": ["op": ["const": .string(name)]], "required": ["op"]],
                "then": ["$ref": .string("#/$defs/op-\(name)")],
            ])
        }
        defs["slurm"] = [
            "type": "object", "additionalProperties": false,
            "description": "resources of the Slurm jobs (wordmill plan --emit slurm, run --executor slurm); a stage's keys override the pipeline's",
            "properties": [
                "partition": ["type": "string", "description": "sbatch --partition"],
                "account": ["type": "string", "description": "sbatch --account"],
                "qos": ["type": "string", "description": "sbatch --qos"],
                "cpus": ["type": "integer", "minimum": 1, "description": "sbatch --cpus-per-task"],
                "mem": ["type": "string", "pattern": "^[0-9]+[KMGTkmgt]?$", "description": "sbatch --mem, e.g. 4G"],
                "time": ["type": "string", "pattern": "^[0-9:-]+$", "description": "sbatch --time, e.g. 1:30:00"],
            ],
        ]
        defs["stage"] = [
            "type": "object",
            "description": "a stage: its name, its op, the stages it reads and the op's parameters",
            "required": ["name", "op"],
            "properties": [
                "op": ["enum": .array(ops.map { .string($0) }), "description": "what the stage does"],
            ],
            "allOf": .array(branches),
        ]
        return [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": .string(id),
            "title": "wordmill pipeline spec",
            "type": "object",
            "required": ["wordmill", "name", "stages"],
            "additionalProperties": false,
            "properties": [
                "wordmill": ["const": .integer(SpecLoader.specVersion), "description": "the spec format version"],
                "name": ["type": "string", "description": "the pipeline's name"],
                "description": ["type": "string"],
                "artifacts": ["type": "string", "minLength": 1, "description": "folder for the stages' artifacts, relative to the spec", "default": "artifacts"],
                "slurm": ["$ref": "#/$defs/slurm"],
                "stages": ["type": "array", "minItems": 1, "items": ["$ref": "#/$defs/stage"]],
            ],
            "$defs": .object(defs),
        ]
    }

    /// One op: one closed object per variant. A variant named by a parameter is told apart by
    /// that parameter's value (exactly one matches); variants chosen by the kind read accept
    /// any of their parameter sets.
    static func operation(_ op: OperationDefinition) -> JSONValue {
        let variants = op.variants.map { variant($0, of: op) }
        switch op.selector {
        case .single: return variants[0]
        case .parameter: return ["description": .string(op.summary), "oneOf": .array(variants)]
        case .inputKind: return ["description": .string(op.summary), "anyOf": .array(variants)]
        }
    }

    static func variant(_ variant: VariantDeclaration, of op: OperationDefinition) -> JSONValue {
        var properties: [String: JSONValue] = [
            "name": ["type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]*$", "description": "the stage's name"],
            "op": ["const": .string(op.name)],
            "from": [
                "description": "the stages read",
                "oneOf": [["type": "string"], ["type": "array", "items": ["type": "string"], "minItems": 1]],
            ],
            "slurm": ["$ref": "#/$defs/slurm"],
        ]
        if let sharding = variant.sharding {
            properties["shards"] = ["type": "integer", "minimum": 1, "maximum": .integer(Sharding.maximumShards),
                                    "description": .string("split the stage into this many shards, each \(sharding.unit), merged exactly")]
        }
        var required: [JSONValue] = ["name", "op"]
        if variant.inputs.contains(where: { !$0.optional }) { required.append("from") }
        var rules: [JSONValue] = []
        let parameters = op.parameters(of: variant)
        for spec in parameters {
            if let key = op.selectorParameter?.name, spec.name == key {
                properties[key] = ["const": .string(variant.name), "description": .string(variant.summary)]
                required.append(.string(key))
                continue
            }
            properties[spec.name] = parameter(spec)
            if case .required = spec.defaultValue, spec.onlyWith == nil { required.append(.string(spec.name)) }
            if let condition = spec.onlyWith, let rule = onlyWithRule(spec, condition, in: parameters) { rules.append(rule) }
        }
        var schema: [String: JSONValue] = [
            "type": "object", "title": .string(variant.name == op.name ? op.name : "\(op.name) \(variant.name)"),
            "description": .string(variant.summary), "required": .array(required), "properties": .object(properties), "additionalProperties": false,
        ]
        if !rules.isEmpty { schema["allOf"] = .array(rules) }
        return .object(schema)
    }

    /// "Only with": when the condition does not hold, the parameter must be absent. A
    /// condition parameter left out takes its default, which the rule accounts for.
    static func onlyWithRule(_ spec: ParameterSpec, _ condition: ParameterCondition, in parameters: [ParameterSpec]) -> JSONValue? {
        let holds: JSONValue = ["properties": .object([condition.parameter: ["enum": .array(condition.values.map { .string($0) })]])]
        let defaultHolds = parameters.first { $0.name == condition.parameter }?.defaultValue.fixedValue?.stringValue.map(condition.values.contains) ?? false
        let when: JSONValue = defaultHolds ? holds : ["allOf": [holds, ["required": .array([.string(condition.parameter)])]]]
        return ["if": ["not": when], "then": ["not": ["required": .array([.string(spec.name)])]]]
    }

    static func parameter(_ spec: ParameterSpec) -> JSONValue {
        guard case .object(var schema) = type(spec.type) else { return type(spec.type) }
        var description = spec.doc
        switch spec.defaultValue {
        case .value(let v): schema["default"] = v
        case .derived(let doc, _): description += " (default: \(doc))"
        case .required, .absent: break
        }
        if let condition = spec.onlyWith { description += "; only with \(condition.phrase)" }
        schema["description"] = .string(description)
        return .object(schema)
    }

    static func type(_ type: ParameterType) -> JSONValue {
        switch type {
        case .integer(let lo, let hi):
            var s: [String: JSONValue] = ["type": "integer"]
            if let lo { s["minimum"] = .integer(lo) }
            if let hi { s["maximum"] = .integer(hi) }
            return .object(s)
        case .number(let lo, let hi, let positive):
            var s: [String: JSONValue] = ["type": "number"]
            if positive { s["exclusiveMinimum"] = 0 }
            if let lo { s["minimum"] = .double(lo) }
            if let hi { s["maximum"] = .double(hi) }
            return .object(s)
        case .boolean: return ["type": "boolean"]
        case .string(let choices):
            if let choices { return ["enum": .array(choices.map { .string($0) })] }
            return ["type": "string"]
        case .paths:
            return ["oneOf": [["type": "string", "minLength": 1], ["type": "array", "minItems": 1, "items": ["type": "string", "minLength": 1]]]]
        case .stringList: return ["type": "array", "items": ["type": "string"]]
        case .choiceList(let choices):
            return ["type": "array", "uniqueItems": true, "items": ["enum": .array(choices.map { .string($0) })]]
        case .numberList: return ["type": "array", "minItems": 1, "items": ["type": "number", "minimum": 0]]
        case .options(let kinds):
            var forms: [JSONValue] = [["enum": .array(kinds.keys.sorted().map { .string($0) })]]
            for kind in kinds.keys.sorted() {
                var properties: [String: JSONValue] = ["kind": ["const": .string(kind)]]
                var required: [JSONValue] = ["kind"]
                var rules: [JSONValue] = []
                for spec in kinds[kind]! {
                    properties[spec.name] = parameter(spec)
                    if case .required = spec.defaultValue, spec.onlyWith == nil { required.append(.string(spec.name)) }
                    if let condition = spec.onlyWith, let rule = onlyWithRule(spec, condition, in: kinds[kind]!) { rules.append(rule) }
                }
                var form: [String: JSONValue] = ["type": "object", "required": .array(required), "properties": .object(properties), "additionalProperties": false]
                if !rules.isEmpty { form["allOf"] = .array(rules) }
                forms.append(.object(form))
            }
            return ["oneOf": .array(forms)]
        case .object(let fields):
            var properties: [String: JSONValue] = [:]
            var required: [JSONValue] = []
            for spec in fields {
                properties[spec.name] = parameter(spec)
                if case .required = spec.defaultValue { required.append(.string(spec.name)) }
            }
            return ["type": "object", "required": .array(required), "properties": .object(properties), "additionalProperties": false]
        case .countOrFraction:
            return ["anyOf": [["type": "integer", "minimum": 0], ["type": "number", "minimum": 0, "maximum": 1]]]
        case .integerPair(let lo, let hi):
            return ["type": "array", "minItems": 2, "maxItems": 2, "items": ["type": "integer", "minimum": .integer(lo), "maximum": .integer(hi)]]
        }
    }
}
