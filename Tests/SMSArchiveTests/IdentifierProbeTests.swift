import Testing
@testable import SMSArchiveC
@testable import SMSFormat

/// `IdentifierProbe` rules a block out for a MessageId, correlationId or RecordId from the raw chunk: it
/// must never rule out a chunk that holds the value (whatever its kind: literal, GUID of either case,
/// MessageId, base64 id, repeat), in either form (identifiers, rowIdentifiers), and it should rule out
/// chunks that do not hold it.
@Suite struct IdentifierProbeTests {
    static func hex(_ rng: inout SeededGenerator, _ count: Int) -> String {
        String((0..<count).map { _ in Array("0123456789abcdef")[Int(rng.next() % 16)] })
    }

    /// A random GUID: version 4 (the packed form's 123 bits) or not (129 bits).
    static func guid(_ rng: inout SeededGenerator, version4: Bool) -> String {
        let third = version4 ? "4" + hex(&rng, 3) : "1" + hex(&rng, 3)
        let fourth = (version4 ? "a" : "c") + hex(&rng, 3)
        return "\(hex(&rng, 8))-\(hex(&rng, 4))-\(third)-\(fourth)-\(hex(&rng, 12))"
    }

    static func base64(_ rng: inout SeededGenerator) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        return String((0..<22).map { _ in alphabet[Int(rng.next() % 64)] }) + ".0"
    }

    /// Values of every kind: MessageIds, GUIDs (both cases, version 4 or not), base64 ids, literals.
    static func values(_ rng: inout SeededGenerator, _ count: Int) -> [String] {
        (0..<count).map { i in
            switch i % 6 {
            case 0: return "Outgoing_202610\(String(10_000_000 + Int(rng.next() % 9_000_000)))" + guid(&rng, version4: true) + "_noam"
            case 1: return "Incoming_202610\(String(10_000_000 + Int(rng.next() % 9_000_000)))" + guid(&rng, version4: false) + "_eur"
            case 2: return guid(&rng, version4: i % 4 == 2)
            case 3: return guid(&rng, version4: true).uppercased()
            case 4: return base64(&rng)
            default: return "r-\(rng.next() % 1_000_000)"
            }
        }
    }

    /// Both stored forms of `values` (the row form with made-up times and groups).
    static func forms(_ values: [String]) -> [[UInt8]] {
        let rows = IdentifierEncoding.Rows(times: values.indices.map { 17_908_128_000_000_000 + Int64($0) * 10_000_000 },
                                           groups: values.indices.map { Int32($0 % 3) })
        let (identifiers, rowIdentifiers) = IdentifierEncoding.encodeForms(values, repeats: IdentifierEncoding.repeatSources(values), rows: rows)
        return [identifiers, rowIdentifiers!]
    }

    @Test func aChunkHoldingTheValueIsNeverRuledOut() {
        var rng = SeededGenerator(seed: 15)
        var values = Self.values(&rng, 600) + EncodingRoundTripTests.identifierCases
        values += values.prefix(50)   // repeats
        for form in Self.forms(values) {
            for value in Set(values) where !value.isEmpty {
                #expect(IdentifierProbe(values: [value]).mayContain(form), "\(value) ruled out")
            }
        }
    }

    @Test func aChunkWithoutTheValueIsRuledOut() {
        var rng = SeededGenerator(seed: 16)
        let stored = Self.values(&rng, 600) + EncodingRoundTripTests.identifierCases
        let absent = Self.values(&rng, 300)
        for form in Self.forms(stored) {
            let maybes = absent.filter { IdentifierProbe(values: [$0]).mayContain(form) }
            #expect(maybes.isEmpty, "\(maybes.prefix(3)) not ruled out")
            #expect(!IdentifierProbe(values: Array(absent.prefix(5))).mayContain(form))
            #expect(IdentifierProbe(values: Array(absent.prefix(5)) + [stored[7]]).mayContain(form))
        }
        // A value of one byte cannot be looked for in the chunk: it is never ruled out.
        #expect(IdentifierProbe(values: ["x"]).mayContain(Self.forms(["y"])[0]))
    }

    @Test func aStringChunkIsProbedForTheValuesBytes() {
        var rng = SeededGenerator(seed: 17)
        let phones = (0..<400).map { _ in "+1\(2_000_000_000 + rng.next() % 7_000_000_000)" }
        let stored = phones + phones.prefix(100)
        // Each value after the first 400 is linked to its earlier occurrence: a flag bit, no entry of its own.
        let links = stored.indices.map { $0 < 400 ? Int32(-1) : Int32($0 - 400) }
        let chunks = [PlainStringEncoding.encode(stored), DictionaryStringEncoding.encode(stored),
                      LinkedStringEncoding.encode(stored, links: links)]
        let absent = (0..<200).map { _ in "+1\(2_000_000_000 + rng.next() % 7_000_000_000)" }.filter { !phones.contains($0) }
        for chunk in chunks {
            #expect(phones.allSatisfy { IdentifierProbe(values: [$0]).mayContain(chunk) })
            #expect(absent.filter { IdentifierProbe(values: [$0]).mayContain(chunk) }.isEmpty)
        }
    }
}
