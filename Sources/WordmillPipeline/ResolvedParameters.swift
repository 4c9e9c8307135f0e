import WordmillSupport

/// Typed access to resolved parameters. The validator has already checked types and
/// filled defaults, so a missing value here is a bug in an op's schema.
extension Dictionary where Key == String, Value == JSONValue {
    public func int(_ key: String) -> Int { self[key]!.intValue! }
    public func optionalInt(_ key: String) -> Int? { self[key]?.intValue }
    public func double(_ key: String) -> Double { self[key]!.doubleValue! }
    public func string(_ key: String) -> String { self[key]!.stringValue! }
    public func optionalString(_ key: String) -> String? { self[key]?.stringValue }
    public func bool(_ key: String) -> Bool { self[key]!.boolValue! }
    public func strings(_ key: String) -> [String] { (self[key]?.arrayValue ?? []).compactMap(\.stringValue) }
    public func object(_ key: String) -> [String: JSONValue] { self[key]?.objectValue ?? [:] }
    /// A choice parameter as the enum its choices were declared from (the loader has
    /// checked the value is one of them): the one place a choice's string becomes typed.
    public func choice<Choice: RawRepresentable>(_ key: String, as type: Choice.Type = Choice.self) -> Choice where Choice.RawValue == String {
        Choice(rawValue: string(key))!
    }
    /// Whether a choice parameter is set to `value` (false when it is unset).
    public func isChoice<Choice: RawRepresentable>(_ key: String, _ value: Choice) -> Bool where Choice.RawValue == String {
        self[key]?.stringValue == value.rawValue
    }
}
