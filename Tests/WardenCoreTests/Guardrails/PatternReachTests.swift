import Testing

@testable import WardenCore

/// `PatternReach` decides how much text around a search range a regex subject must copy; too small a bound would
/// change matches, so unbounded look-arounds must come out as nil.
@Suite("PatternReach")
struct PatternReachTests {
    @Test(arguments: [
        ("abc", 0),
        (#"(?<![A-Za-z0-9_-])x(?![A-Za-z0-9_-])"#, 26),
        (#"\bword\b"#, 2),
        (#"[\b](?=a)"#, 1),
        (#"(?<![0-9][ -])(?:x|y)"#, 9),
    ])
    func boundedLookArounds(_ pattern: String, _ reach: Int) {
        #expect(PatternReach.of(pattern) == reach)
    }

    @Test(arguments: [#"a(?=.*b)"#, #"(?!\d+)x"#, #"(a)(?=\1)"#, #"(?=x{2})"#, #"(?<=a?)b"#, #"(?=\Qab\E)"#])
    func unboundedLookArounds(_ pattern: String) {
        #expect(PatternReach.of(pattern) == nil)
    }

    @Test func builtInPatternsHaveBoundedReach() {
        for rule in SecretDetector.builtinRules {
            #expect(rule.compiled.reach != nil, "\(rule.id)")
        }
    }
}
