import Foundation
import OnboardEngine
import Testing

@testable import OnboardStages

@Suite("reading pool files")
struct PoolFileTests {
    static func domains(_ text: String) throws -> [PoolDomain] {
        guard case .domains(let rows) = try PoolFile.read(Data(text.utf8), kind: .domains) else { return [] }
        return rows.map(\.row)
    }

    @Test func windowsLineEndingsAByteOrderMarkQuotesAndColumnOrderAreRead() throws {
        let text = "\u{FEFF}Domain,Status,warmup_days,health_score,blacklisted,spf,dkim,dmarc\r\n"
            + "\"Mail-Harbor.example\", available ,21,95,FALSE,yes,1,True\r\n\r\n"
        let rows = try Self.domains(text)
        #expect(rows == [PoolDomain(domain: "mail-harbor.example", status: "available", warmupDays: 21, healthScore: 95,
                                    spf: true, dkim: true, dmarc: true, blacklisted: false)])
        guard case .phones(let phones) = try PoolFile.read(Data("number,country,status,health_score\n+61255501000,au,warming,7\n".utf8), kind: .phones) else {
            Issue.record("phones expected")
            return
        }
        #expect(phones.first?.row == PoolPhone(number: "+61255501000", country: "AU", status: "warming", healthScore: 7))
        #expect(phones.first?.line == 2)
    }

    @Test(arguments: [
        ("domain,status,warmup_days,health_score,spf,dkim,dmarc,blacklisted,notes\n", "line 1: unknown column \"notes\""),
        ("domain,status,warmup_days,health_score,spf,dkim,dmarc\n", "line 1: missing column \"blacklisted\""),
        ("domain,status,warmup_days,health_score,spf,dkim,dmarc,blacklisted,domain\n", "line 1: a column is named twice"),
        ("domain,status,warmup_days,health_score,spf,dkim,dmarc,blacklisted\n\"open.example,available,1,1,true,true,true,false\n",
         "line 2: a quoted field is not closed"),
        ("domain,status,warmup_days,health_score,spf,dkim,dmarc,blacklisted\nmail-.example,available,1,1,true,true,true,false\n", "line 2: domain"),
        ("domain,status,warmup_days,health_score,spf,dkim,dmarc,blacklisted\nlocalhost,available,1,1,true,true,true,false\n", "line 2: domain"),
        ("domain,status,warmup_days,health_score,spf,dkim,dmarc,blacklisted\nmail.example,available,1.5,1,true,true,true,false\n", "line 2: warmup_days"),
        ("domain,status,warmup_days,health_score,spf,dkim,dmarc,blacklisted\nmail.example,avail\"able,1,1,true,true,true,false\n",
         "line 2: a quote inside an unquoted field (field 2)"),
        // A quoted line break belongs to its field: the record is one row of line 2, and the lines after it keep their numbers.
        ("domain,status,warmup_days,health_score,spf,dkim,dmarc,blacklisted\n\"mail\nharbor.example\",available,1,1,true,true,true,false\n",
         "line 2: domain"),
        ("domain,status,warmup_days,health_score,spf,dkim,dmarc,blacklisted\nok.example,\"avail\nable\",1,1,true,true,true,false\n\nbad,available,1,1,true,true,true\n",
         "line 5: has 7 fields; the header has 8"),
        ("domain,status,warmup_days,health_score,spf,dkim,dmarc,blacklisted\nok.example,available,1,1,true,true,true,\"fal\r\nse\"\nbad,available,1,1,true,true,true\n",
         "line 4: has 7 fields; the header has 8"),
        ("domain,status,warmup_days,health_score,spf,dkim,dmarc,blacklisted\nok.example,available,1,1,true,true,true,\"false\"\n\n\"x\ny\",1\n",
         "line 4: has 2 fields; the header has 8"),
    ])
    func badFilesAreNamedByLine(_ text: String, _ message: String) {
        do {
            _ = try PoolFile.read(Data(text.utf8), kind: .domains)
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }

    @Test func aFileThatIsNotUTF8IsRefused() {
        #expect(throws: PoolFile.Problem.self) { try PoolFile.read(Data([0x64, 0xff, 0xfe, 0x0a]), kind: .phones) }
    }
}
