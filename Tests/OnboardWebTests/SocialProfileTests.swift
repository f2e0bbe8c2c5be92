import Foundation
import Testing

@testable import OnboardWeb

@Suite("Social profiles: which links name a company's own profile, and its canonical URL")
struct SocialProfileTests {
    struct ProfileLink: Sendable, CustomTestStringConvertible {
        let link: String
        let network: String
        let url: String

        init(_ link: String, _ network: String, _ url: String) {
            self.link = link
            self.network = network
            self.url = url
        }

        var testDescription: String { link }
    }

    static let accepted: [ProfileLink] = [
        // LinkedIn
        ProfileLink("https://www.linkedin.com/company/acme", "linkedin", "https://www.linkedin.com/company/acme"),
        ProfileLink("https://www.linkedin.com/company/acme/posts/?feedView=all", "linkedin",
                    "https://www.linkedin.com/company/acme"),
        ProfileLink("http://linkedin.com/company/76079383/", "linkedin", "https://www.linkedin.com/company/76079383"),
        ProfileLink("https://uk.linkedin.com/company/Acme-Widgets?trk=public_profile", "linkedin",
                    "https://www.linkedin.com/company/acme-widgets"),
        ProfileLink("https://www.linkedin.com/school/stanford-university/", "linkedin",
                    "https://www.linkedin.com/school/stanford-university"),
        ProfileLink("HTTPS://WWW.LINKEDIN.COM/company/acme#about", "linkedin", "https://www.linkedin.com/company/acme"),
        ProfileLink("https://de.linkedin.com/showcase/acme-cloud/about/", "linkedin",
                    "https://www.linkedin.com/showcase/acme-cloud"),
        ProfileLink("linkedin.com/company/acme", "linkedin", "https://www.linkedin.com/company/acme"),
        // X / Twitter
        ProfileLink("https://twitter.com/acme", "x", "https://x.com/acme"),
        ProfileLink("https://x.com/ibm", "x", "https://x.com/ibm"),
        ProfileLink("https://x.com/@homedepot", "x", "https://x.com/homedepot"),
        ProfileLink("https://mobile.twitter.com/toshiba?lang=en", "x", "https://x.com/toshiba"),
        ProfileLink("https://x.com/acme?lang=en#top", "x", "https://x.com/acme"),
        ProfileLink("http://www.twitter.com/#!/acme_corp", "x", "https://x.com/acme_corp"),
        ProfileLink("https://x.com/Acme/", "x", "https://x.com/Acme"),
        ProfileLink("https://x.com/shareholders", "x", "https://x.com/shareholders"),
        ProfileLink("https://twitter.com/intelligence", "x", "https://x.com/intelligence"),
        ProfileLink("https://twitter.com/acme/media", "x", "https://x.com/acme"),
        ProfileLink("https://twitter.com/%40acme", "x", "https://x.com/acme"),
        ProfileLink("  https://x.com/acme  ", "x", "https://x.com/acme"),
        // Facebook
        ProfileLink("https://www.facebook.com/meridian-co", "facebook", "https://www.facebook.com/meridian-co"),
        ProfileLink("https://fb.com/acme", "facebook", "https://www.facebook.com/acme"),
        ProfileLink("https://m.facebook.com/acme/?ref=page_internal", "facebook", "https://www.facebook.com/acme"),
        ProfileLink("https://www.facebook.com/101238165526118", "facebook", "https://www.facebook.com/101238165526118"),
        ProfileLink("https://www.facebook.com/profile.php?id=100064123456789&sk=about", "facebook",
                    "https://www.facebook.com/100064123456789"),
        ProfileLink("https://www.facebook.com/pages/Acme-Widgets/123456789012345", "facebook",
                    "https://www.facebook.com/123456789012345"),
        ProfileLink("https://www.facebook.com/helpscout", "facebook", "https://www.facebook.com/helpscout"),
        ProfileLink("https://www.facebook.com/messagebird", "facebook", "https://www.facebook.com/messagebird"),
        ProfileLink("https://www.facebook.com/acme/about/", "facebook", "https://www.facebook.com/acme"),
        ProfileLink("https://en-gb.facebook.com/acme", "facebook", "https://www.facebook.com/acme"),
        ProfileLink("https://www.facebook.com:443/acme", "facebook", "https://www.facebook.com/acme"),
        // Instagram
        ProfileLink("https://www.instagram.com/acme.co/", "instagram", "https://www.instagram.com/acme.co"),
        ProfileLink("https://instagram.com/Acme_Widgets?igshid=abc123", "instagram",
                    "https://www.instagram.com/acme_widgets"),
        ProfileLink("https://www.instagram.com/explorers_club", "instagram", "https://www.instagram.com/explorers_club"),
        ProfileLink("https://www.instagram.com/acme/reels/", "instagram", "https://www.instagram.com/acme"),
        ProfileLink("//www.instagram.com/acme", "instagram", "https://www.instagram.com/acme"),
        // YouTube
        ProfileLink("https://www.youtube.com/channel/UCK8sQmJBp8GCxrOtXWBpyEA", "youtube",
                    "https://www.youtube.com/channel/UCK8sQmJBp8GCxrOtXWBpyEA"),
        ProfileLink("https://youtube.com/@AcmeWidgets/videos", "youtube", "https://www.youtube.com/@AcmeWidgets"),
        ProfileLink("https://m.youtube.com/c/AcmeTV", "youtube", "https://www.youtube.com/c/AcmeTV"),
        ProfileLink("https://www.youtube.com/user/acmecorp?sub_confirmation=1", "youtube",
                    "https://www.youtube.com/user/acmecorp"),
        ProfileLink("https://www.youtube.com/GoogleDevelopers", "youtube", "https://www.youtube.com/GoogleDevelopers"),
        ProfileLink("https://www.youtube.com/watchmojo", "youtube", "https://www.youtube.com/watchmojo"),
        // TikTok
        ProfileLink("https://www.tiktok.com/@acme.widgets?lang=en", "tiktok", "https://www.tiktok.com/@acme.widgets"),
        ProfileLink("https://tiktok.com/@Acme/", "tiktok", "https://www.tiktok.com/@acme"),
        ProfileLink("https://m.tiktok.com/@acme", "tiktok", "https://www.tiktok.com/@acme"),
    ]

    static let rejected: [String] = [
        // LinkedIn people, posts and share links
        "https://www.linkedin.com/in/jane-doe",
        "https://www.linkedin.com/pub/jane-doe/1/2/3",
        "https://www.linkedin.com/feed/update/urn:li:activity:7123456789012345678",
        "https://www.linkedin.com/shareArticle?mini=true&url=https://acme.com",
        "https://www.linkedin.com/sharing/share-offsite/?url=https://acme.com",
        "https://www.linkedin.com/company/",
        "https://www.linkedin.com.evil.example/company/acme",
        // X / Twitter
        "https://twitter.com/intent/tweet?text=hello",
        "https://twitter.com/share?url=https://acme.com",
        "https://x.com/acme/status/1780000000000000000",
        "https://x.com/i/web/status/1780000000000000000",
        "https://twitter.com/home",
        "https://x.com/search?q=acme",
        "https://x.com/this_handle_is_too_long",
        "https://developer.x.com/acme",
        // Facebook
        "https://www.facebook.com/sharer/sharer.php?u=https://acme.com",
        "https://www.facebook.com/sharer.php?u=https://acme.com",
        "https://www.facebook.com/dialog/share?app_id=1&href=https://acme.com",
        "https://www.facebook.com/acme/posts/pfbid02abcdef",
        "https://www.facebook.com/groups/acmeusers",
        "https://www.facebook.com/marketplace",
        "https://www.facebook.com/me",
        "https://www.facebook.com/watch/?v=1234567890",
        "https://www.facebook.com/plugins/page.php?href=https://www.facebook.com/acme",
        "https://www.facebook.com/profile.php",
        "https://business.facebook.com/acme",
        // Instagram
        "https://www.instagram.com/p/CxYz123abc/",
        "https://www.instagram.com/reel/CxYz123abc/",
        "https://www.instagram.com/explore/tags/acme/",
        "https://www.instagram.com/acme/p/CxYz123abc/",
        // YouTube
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://www.youtube.com/shorts/abc123",
        "https://www.youtube.com/playlist?list=PL1234567890",
        "https://www.youtube.com/channel/not-a-channel-id",
        // TikTok
        "https://www.tiktok.com/@acme/video/7300000000000000000",
        "https://www.tiktok.com/acme",
        "https://vm.tiktok.com/ZMabc123/",
        // Not a social link at all
        "https://acme.com/linkedin.com/company/acme",
        "https://notlinkedin.com/company/acme",
        "mailto:info@x.com",
        "ftp://x.com/acme",
        "javascript:void(0)",
        "",
    ]

    @Test(arguments: accepted)
    func companyProfilesNormaliseToTheirCanonicalURL(_ example: ProfileLink) {
        let profile = SocialProfile.recognise(example.link)
        #expect(profile?.network == example.network)
        #expect(profile?.url == example.url)
    }

    @Test(arguments: rejected)
    func postsSharesPeopleAndVideosAreNotProfiles(_ link: String) {
        #expect(SocialProfile.recognise(link) == nil)
    }

    @Test func spellingsOfTheSameProfileAreEqual() {
        let spellings = [
            "https://twitter.com/acme", "http://mobile.twitter.com/acme/", "https://x.com/@acme?s=20",
            "https://www.x.com/acme#tweets",
        ]
        #expect(Set(spellings.compactMap(SocialProfile.recognise)).count == 1)
    }

    @Test func roundTripsThroughJSON() throws {
        let profile = try #require(SocialProfile.recognise("https://www.linkedin.com/company/acme/"))
        let decoded = try JSONDecoder().decode(SocialProfile.self, from: JSONEncoder().encode(profile))
        #expect(decoded == profile)
    }
}
