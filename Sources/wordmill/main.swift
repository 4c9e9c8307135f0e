import ArgumentParser

/// `--wait` may stand alone (wait as long as it takes) or take seconds; ArgumentParser
/// options need a value, so a bare `--wait` becomes `--wait=1e9` here.
var arguments = Array(CommandLine.arguments.dropFirst())
for (i, a) in arguments.enumerated() where a == "--wait" && (i + 1 == arguments.count || Double(arguments[i + 1]) == nil) {
    arguments[i] = "--wait=1e9"
}
WordmillCommand.main(arguments)
