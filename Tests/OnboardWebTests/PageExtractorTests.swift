import Foundation
import Testing

@testable import OnboardWeb

@Suite("Reading a page as a visitor does, on libxml2's HTML4-era tree")
struct PageExtractorTests {
    static func read(_ html: String, url: String = "https://acme.example/") -> PageContent {
        PageExtractor.extract(HTMLDocument.parse(utf8: html, url: url), url: url)
    }

    static let page = """
        <!doctype html>
        <html lang="en-AU"><head><title> Acme  Dental Marketing </title>
        <meta name="description" content="Marketing for dental practices.">
        <meta property="og:site_name" content="Acme">
        <script type="application/ld+json">{"@type": "Organization", "name": "Acme"}</script>
        <style>.x { color: red }</style></head>
        <body>
        <header class="site-header"><nav><a href="/about">About us</a> <a href="services.html">Services</a></nav></header>
        <div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
        <main>
          <header class="hero"><h1>More patients for dental practices</h1><p>We fill empty chairs.</p></header>
          <h2>What we do</h2>
          <ul><li>Local SEO</li><li>Google Ads</li><li>Patient recall campaigns</li></ul>
          <div class="card"><h3>Reputation</h3><p>Reviews that win trust &mdash; and new patients.</p></div>
          <form><label>Email</label><input name="e"><p>Subscribe to our newsletter</p></form>
          <template><p>Hidden template text</p></template>
          <p>Trusted by 140+ practices over 12 years, with 38% more new patients.</p>
          <blockquote><p>“Our books are full for the first time in years.”</p><cite>— Dr. Priya Nair, Practice Owner, Bondi Smiles Dental</cite></blockquote>
          <div class="testimonial"><p>"They answer the phone and they deliver every single month."</p><p class="author">Tom Reyes | Practice Manager at Coastal Dental Group</p></div>
        </main>
        <aside>Related posts</aside>
        <footer><p>Call (02) 9000 1111</p><a href="mailto:hello@acme.example?subject=Hi">Email</a>
        <a href="https://www.linkedin.com/company/acme-dental/">LinkedIn</a><address>12 Harbour St, Sydney NSW 2000</address></footer>
        </body></html>
        """

    @Test func titleDescriptionLanguageAndOpenGraph() {
        let content = Self.read(Self.page)
        #expect(content.title == "Acme Dental Marketing")
        #expect(content.description == "Marketing for dental practices.")
        #expect(content.lang == "en-au")
        #expect(content.openGraph["site_name"] == "Acme")
    }

    @Test func mainTextKeepsContentAndLeavesOutBoilerplate() {
        let main = Self.read(Self.page).mainText
        #expect(main.contains("More patients for dental practices"), "a hero header without navigation is content")
        #expect(main.contains("We fill empty chairs."))
        #expect(main.contains("Local SEO"))
        #expect(main.contains("Reviews that win trust — and new patients."), "entities decoded")
        #expect(main.contains("Trusted by 140+ practices over 12 years"))
        for absent in ["About us", "We use cookies", "Subscribe", "Hidden template text", "Related posts", "9000 1111", "color: red"] {
            #expect(!main.contains(absent), "\(absent) is not content")
        }
        #expect(main.split(separator: "\n").contains("What we do"), "blocks are lines")
    }

    @Test func headingsListsAndLinks() {
        let content = Self.read(Self.page)
        #expect(content.headings.map(\.text) == ["More patients for dental practices", "What we do", "Reputation"])
        #expect(content.headings.map(\.level) == [1, 2, 3])
        #expect(content.lists == [["Local SEO", "Google Ads", "Patient recall campaigns"]])
        let about = content.links.first { $0.url == "https://acme.example/about" }
        #expect(about?.internal == true && about?.text == "About us")
        #expect(content.links.contains { $0.url == "https://acme.example/services.html" })
        #expect(content.links.contains { $0.url == "https://www.linkedin.com/company/acme-dental/" && !$0.internal })
        #expect(content.contactLinks == ["mailto:hello@acme.example?subject=Hi"])
        #expect(content.fullText.contains("(02) 9000 1111"), "contacts are read from the whole page")
        #expect(content.addresses == ["12 Harbour St, Sydney NSW 2000"])
        #expect(content.jsonLD.first?.contains("\"Organization\"") == true)
    }

    @Test func testimonialsWithTheirAttribution() {
        let testimonials = Self.read(Self.page).testimonials
        let priya = testimonials.first { $0.name == "Dr. Priya Nair" }
        #expect(priya?.quote == "Our books are full for the first time in years.")
        #expect(priya?.title == "Practice Owner")
        #expect(priya?.company == "Bondi Smiles Dental")
        let tom = testimonials.first { $0.name == "Tom Reyes" }
        #expect(tom?.title == "Practice Manager")
        #expect(tom?.company == "Coastal Dental Group")
        #expect(tom?.quote == "They answer the phone and they deliver every single month.")
    }

    @Test func proofPointsAreNumericClaimsKeptVerbatim() {
        let claims = ProofPoints.find(in: Self.read(Self.page).mainText)
        #expect(claims.contains("140+ practices"))
        #expect(claims.contains("12 years"))
        #expect(claims.contains { $0.hasPrefix("38% more") })
        #expect(ProofPoints.find(in: "Founded in 2009. Call 555 0100.").isEmpty, "years and phone fragments are not claims")
    }

    @Test func sectionsInsideAnOpenParagraphAreStillRead() {
        // libxml2 2.9 keeps <section> inside an unclosed <p>; the text must come out all the same.
        let content = Self.read("<body><p>Intro<section><h2>Services</h2><p>Plumbing for restaurants</p></section><nav>Menu</nav></body>")
        #expect(content.mainText.contains("Plumbing for restaurants"))
        #expect(content.headings.map(\.text) == ["Services"])
        #expect(!content.mainText.contains("Menu"))
    }

    @Test func withoutMainTheBodyMinusBoilerplateIsTheContent() {
        let content = Self.read("""
            <body><div id="nav" class="navbar"><a href="/">Home</a></div><div class="content"><h1>Freight for Midwest brands</h1></div>
            <div role="contentinfo">© 2024 Summit</div></body>
            """)
        #expect(content.mainText == "Freight for Midwest brands")
    }

    @Test func aScriptShellLooksScriptRendered() {
        let shell = Self.read(#"<html><body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div><script src="/app.js"></script></body></html>"#)
        #expect(shell.looksScriptRendered)
        #expect(!Self.read(Self.page).looksScriptRendered)
    }

    @Test func aBaseElementChangesWhereRelativeLinksPoint() {
        let content = Self.read(#"<head><base href="https://acme.example/en/"></head><body><a href="team">Team</a></body>"#, url: "https://acme.example/")
        #expect(content.links.first?.url == "https://acme.example/en/team")
    }
}
