import Testing

@testable import OnboardWeb

@Suite("Contacts: emails and phone numbers from a page's links and text")
struct ContactExtractorTests {
    struct EmailExample: Sendable, CustomTestStringConvertible {
        let links: [String]
        let text: String
        let expected: [String]

        init(links: [String] = [], text: String = "", _ expected: [String]) {
            self.links = links
            self.text = text
            self.expected = expected
        }

        var testDescription: String { (links + [text]).filter { !$0.isEmpty }.joined(separator: " | ") }
    }

    struct PhoneExample: Sendable, CustomTestStringConvertible {
        let links: [String]
        let text: String
        let country: String?
        let expected: [String]

        init(links: [String] = [], text: String = "", country: String?, _ expected: [String]) {
            self.links = links
            self.text = text
            self.country = country
            self.expected = expected
        }

        var testDescription: String {
            (links + [text]).filter { !$0.isEmpty }.joined(separator: " | ") + " [\(country ?? "no country")]"
        }
    }

    static let emailExamples: [EmailExample] = [
        // mailto: links
        EmailExample(links: ["mailto:info@acme.com?subject=Hello%20there"], ["info@acme.com"]),
        EmailExample(links: ["mailto:Sales%40Acme.COM?subject=Quote&body=Hi"], ["Sales@acme.com"]),
        EmailExample(links: ["MAILTO:help@acme.com"], ["help@acme.com"]),
        EmailExample(links: ["mailto:a@acme.com,b@acme.com"], ["a@acme.com", "b@acme.com"]),
        EmailExample(links: ["https://acme.com/contact", "tel:+14155550132"], []),
        // Plain and obfuscated text
        EmailExample(text: "Email us at hello@acme.com.", ["hello@acme.com"]),
        EmailExample(text: "Write to info@ACME.COM.AU today", ["info@acme.com.au"]),
        EmailExample(text: "sales [at] acme [dot] com", ["sales@acme.com"]),
        EmailExample(text: "sales (at) acme (dot) com", ["sales@acme.com"]),
        EmailExample(text: "sales(at)acme(dot)co(dot)uk", ["sales@acme.co.uk"]),
        EmailExample(text: "jobs [AT] acme.com", ["jobs@acme.com"]),
        EmailExample(text: "press{at}acme{dot}com", ["press@acme.com"]),
        EmailExample(text: "press&#64;acme.com", ["press@acme.com"]),
        // Not addresses
        EmailExample(text: "reach sales at acme dot com for a quote", []),
        EmailExample(text: "Meet us (at) the expo in hall 3", []),
        EmailExample(text: "<img src=\"logo@2x.png\"> icon@3x.webp", []),
        EmailExample(text: "you@example.com name@domain.com email@example.com", []),
        EmailExample(text: "605a7baede844d278b89dc95ae0a9123@sentry.wixpress.com", []),
        EmailExample(text: "user@localhost and a@b", []),
        // Links and text together
        EmailExample(links: ["mailto:info@acme.com"], text: "info@ACME.com or careers@acme.com",
                     ["careers@acme.com", "info@acme.com"]),
    ]

    static let phoneExamples: [PhoneExample] = [
        // tel: and callto: links
        PhoneExample(links: ["tel:+1-415-555-0132"], country: nil, ["+14155550132"]),
        PhoneExample(links: ["tel:(415) 555.0132"], country: "US", ["+14155550132"]),
        PhoneExample(links: ["tel:+61 2 9000 1111"], country: "US", ["+61290001111"]),
        PhoneExample(links: ["tel:02.9000.1111"], country: "AU", ["+61290001111"]),
        PhoneExample(links: ["callto:+442079460958"], country: nil, ["+442079460958"]),
        PhoneExample(links: ["tel:%2B33%201%2023%2045%2067%2089"], country: nil, ["+33123456789"]),
        PhoneExample(links: ["tel:+1-415-555-0132;ext=22"], country: "US", ["+14155550132"]),
        PhoneExample(links: ["tel:+1 415 555 0132 ext. 5", "tel:(415) 555-0133 x12"], country: "US",
                     ["+14155550132", "+14155550133"]),
        PhoneExample(links: ["callto:acme.support", "tel:1-800-FLOWERS"], country: "US", []),
        // National numbers in text, completed with the site's country
        PhoneExample(text: "Call (415) 555-0132 today", country: "US", ["+14155550132"]),
        PhoneExample(text: "1 (415) 555-0132", country: "US", ["+14155550132"]),
        PhoneExample(text: "415.555.0132", country: "us", ["+14155550132"]),
        PhoneExample(text: "Toll free 1-800-555-0199", country: "US", ["+18005550199"]),
        PhoneExample(text: "(416) 555-0199", country: "CA", ["+14165550199"]),
        PhoneExample(text: "Phone (02) 9000 1111", country: "AU", ["+61290001111"]),
        PhoneExample(text: "0412 345 678", country: "AU", ["+61412345678"]),
        PhoneExample(text: "1300 123 456", country: "AU", ["+611300123456"]),
        PhoneExample(text: "020 7946 0958", country: "GB", ["+442079460958"]),
        PhoneExample(text: "030 1234567", country: "DE", ["+49301234567"]),
        PhoneExample(text: "01 23 45 67 89", country: "FR", ["+33123456789"]),
        PhoneExample(text: "09 123 4567", country: "NZ", ["+6491234567"]),
        PhoneExample(text: "01 234 5678", country: "IE", ["+35312345678"]),
        PhoneExample(text: "(415) 555-0132", country: nil, []),
        // Already international
        PhoneExample(text: "+61 2 9000 1111", country: "US", ["+61290001111"]),
        PhoneExample(text: "0061 2 9000 1111", country: "AU", ["+61290001111"]),
        PhoneExample(text: "+44 (0)20 7946 0958", country: nil, ["+442079460958"]),
        PhoneExample(text: "011 44 20 7946 0958", country: "US", ["+442079460958"]),
        PhoneExample(text: "+1 (415) 555-0132", country: "GB", ["+14155550132"]),
        // Several numbers, duplicates across links and text
        PhoneExample(text: "Phone: (415) 555-0132 Fax: (415) 555-0133", country: "US",
                     ["+14155550132", "+14155550133"]),
        PhoneExample(text: "02 9000 1111 / 02 9000 2222", country: "AU", ["+61290001111", "+61290002222"]),
        PhoneExample(text: "San Francisco, CA 94103 (415) 555-0132", country: "US", ["+14155550132"]),
        PhoneExample(links: ["tel:+14155550132"], text: "(415) 555-0132", country: "US", ["+14155550132"]),
        // Not phone numbers
        PhoneExample(text: "Updated 2024-01-05", country: "US", []),
        PhoneExample(text: "Posted 05/01/2024 and 05.01.2024", country: "GB", []),
        PhoneExample(text: "© 2019-2024 Acme Inc. Since 1998.", country: "US", []),
        PhoneExample(text: "Only $1,299,000 or $ 2 499 000", country: "US", []),
        PhoneExample(text: "1 234 567 € and 02 345 678,50", country: "FR", []),
        PhoneExample(text: "San Francisco, CA 94103-1234", country: "US", []),
        PhoneExample(text: "Version 10.0.19045.2965 on 192.168.100.200", country: "US", []),
        PhoneExample(text: "ABN 51 824 753 556, postcode 2000", country: "AU", []),
        PhoneExample(text: "Call 123 or +1234 5678 9012 3456 78", country: "US", []),
        PhoneExample(text: "Order #02079460958, ref=02079460958, 12.5% growth", country: "GB", []),
    ]

    @Test(arguments: emailExamples)
    func emailsAreFoundInLinksAndText(_ example: EmailExample) {
        #expect(ContactExtractor.emails(links: example.links, text: example.text) == example.expected)
    }

    @Test(arguments: phoneExamples)
    func phonesAreNormalisedToE164(_ example: PhoneExample) {
        let phones = ContactExtractor.phones(links: example.links, text: example.text, country: example.country)
        #expect(phones == example.expected)
    }
}
