import Foundation

/// The columns of Apollo's people export that the lead database keeps in columns of its own, in the
/// order `leads/leads.csv` writes them, under the names Apollo's export uses. Headers are matched by
/// name, case- and space-insensitively, with the names later exports renamed them to
/// (`Company` → `Company Name`). Every other column is kept as it came.
enum ApolloColumn: Int, CaseIterable, Sendable {
    case firstName, lastName, title, company, companyForEmails, email, emailStatus, seniority, departments
    case employees, industry, keywords, linkedinURL, website, city, state, country
    case companyCity, companyState, companyCountry, contactID, accountID

    /// The header `leads/leads.csv` writes.
    var header: String {
        switch self {
        case .firstName: "First Name"
        case .lastName: "Last Name"
        case .title: "Title"
        case .company: "Company"
        case .companyForEmails: "Company Name for Emails"
        case .email: "Email"
        case .emailStatus: "Email Status"
        case .seniority: "Seniority"
        case .departments: "Departments"
        case .employees: "# Employees"
        case .industry: "Industry"
        case .keywords: "Keywords"
        case .linkedinURL: "Person Linkedin Url"
        case .website: "Website"
        case .city: "City"
        case .state: "State"
        case .country: "Country"
        case .companyCity: "Company City"
        case .companyState: "Company State"
        case .companyCountry: "Company Country"
        case .contactID: "Apollo Contact Id"
        case .accountID: "Apollo Account Id"
        }
    }

    /// The table column that holds it.
    var column: String {
        switch self {
        case .firstName: "first_name"
        case .lastName: "last_name"
        case .title: "title"
        case .company: "company"
        case .companyForEmails: "company_for_emails"
        case .email: "email"
        case .emailStatus: "email_status"
        case .seniority: "seniority"
        case .departments: "departments"
        case .employees: "employees"
        case .industry: "industry"
        case .keywords: "keywords"
        case .linkedinURL: "linkedin_url"
        case .website: "website"
        case .city: "city"
        case .state: "state"
        case .country: "country"
        case .companyCity: "company_city"
        case .companyState: "company_state"
        case .companyCountry: "company_country"
        case .contactID: "apollo_contact_id"
        case .accountID: "apollo_account_id"
        }
    }

    /// Header names (folded by `headerKey`) that mean this column, across export versions.
    var names: [String] {
        switch self {
        case .firstName: ["firstname"]
        case .lastName: ["lastname"]
        case .title: ["title", "jobtitle"]
        case .company: ["company", "companyname", "organization", "organizationname", "account", "accountname"]
        case .companyForEmails: ["companynameforemails"]
        case .email: ["email", "emailaddress", "workemail"]
        case .emailStatus: ["emailstatus"]
        case .seniority: ["seniority"]
        case .departments: ["departments", "department"]
        case .employees: ["#employees", "employees", "numberofemployees", "#ofemployees", "employeecount", "estimatednumemployees"]
        case .industry: ["industry"]
        case .keywords: ["keywords"]
        case .linkedinURL: ["personlinkedinurl", "linkedinurl", "linkedin", "linkedinprofile", "personlinkedin"]
        case .website: ["website", "companywebsite", "websiteurl", "companywebsiteurl"]
        case .city: ["city"]
        case .state: ["state", "region"]
        case .country: ["country"]
        case .companyCity: ["companycity"]
        case .companyState: ["companystate"]
        case .companyCountry: ["companycountry"]
        case .contactID: ["apollocontactid", "contactid"]
        case .accountID: ["apolloaccountid", "accountid"]
        }
    }

    /// A header as it is compared: lowercase letters, digits and `#`, nothing else.
    static func headerKey(_ header: String) -> String {
        String(header.lowercased().unicodeScalars.filter { ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "#") }.map(Character.init))
    }

    static let byName: [String: ApolloColumn] = {
        var map: [String: ApolloColumn] = [:]
        for column in allCases { for name in column.names { map[name] = column } }
        return map
    }()

    /// Headers of phone columns carry a leading apostrophe (a spreadsheet guard) that is not part of the number.
    static func isPhone(_ headerKey: String) -> Bool { headerKey.hasSuffix("phone") || headerKey.hasSuffix("phonenumber") }
}
