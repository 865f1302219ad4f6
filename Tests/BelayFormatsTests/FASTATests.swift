import BelayFormats
import Foundation
import Testing

@Suite("FASTA")
struct FASTATests {
    @Test func parsesIdsDescriptionsAndWrappedSequences() throws {
        let text = "\u{FEFF};old-style comment\r\n>sp|P9WKJ9|DNAA_MYCTU Chromosomal replication initiator protein DnaA\r\nMTDDP GSGFT\r\nTVWNAVVSEL\r\n\r\n>Rv0002 dnaN\nMKKR\n>empty\n>Rv0003\nM K\tL*\n"
        let records = try FASTA.parse(text, fileName: "mtb.fasta")
        #expect(records == [
            FASTARecord(id: "P9WKJ9", description: "Chromosomal replication initiator protein DnaA", sequence: "MTDDPGSGFTTVWNAVVSEL"),
            FASTARecord(id: "Rv0002", description: "dnaN", sequence: "MKKR"),
            FASTARecord(id: "empty", description: "", sequence: ""),
            FASTARecord(id: "Rv0003", description: "", sequence: "MKL*"),
        ])
    }

    @Test func refusesSequenceBeforeHeaderAndEmptyHeaders() throws {
        let first = try #require(throws: FASTAError.self) { try FASTA.parse("\nMKKR\n>a\nM\n", fileName: "x.fa") }
        #expect(first.description == "x.fa:2: sequence text before the first header line (FASTA records start with \">\")")
        let second = try #require(throws: FASTAError.self) { try FASTA.parse(">a\nM\n>  \nK\n", fileName: "x.fa") }
        #expect(second.line == 3)
        #expect(try FASTA.parse("", fileName: "x.fa").isEmpty)
    }

    @Test func rendersWrappedAndRoundTrips() throws {
        let records = [FASTARecord(id: "Rv0001", description: "dnaA", sequence: String(repeating: "ACDEFGHIKL", count: 13)),
                       FASTARecord(id: "Rv0002", sequence: "MK")]
        let text = FASTA.render(records)
        let lines = text.split(separator: "\n")
        #expect(lines[0] == ">Rv0001 dnaA")
        #expect(lines[1].count == 60 && lines[2].count == 60 && lines[3].count == 10)
        #expect(lines[4] == ">Rv0002" && lines[5] == "MK")
        #expect(try FASTA.parse(text, fileName: "rt.fa") == records)
        #expect(FASTA.render(records, lineWidth: 0).split(separator: "\n")[1].count == 130)
    }
}
