import Foundation
import OnboardEngine

/// The onboarding pipeline on top of the generic engine: its sections of pipeline.json,
/// its stages, how a request becomes a job, and its time budgets.
public struct OnboardingProfile: PipelineProfile {
    public static let stageNames = [
        "intake", "scrape", "parse", "icp", "enrich", "apply", "confirm", "allocate", "campaigns", "leads",
        "assign", "complete",
    ]
    static let icpPhase: Set<String> = ["intake", "scrape", "parse", "icp", "enrich", "apply"]
    static let postOnboardingPhase: Set<String> = ["campaigns", "leads", "assign", "complete"]

    private static let parsedDefaults: JSONValue = {
        guard let value = try? JSONValue.parse(BundledData.defaultPipeline) else {
            fatalError("the bundled default pipeline.json is not valid JSON")
        }
        return value
    }()

    private let stages: [String: any StageImplementation]

    public init() {
        stages = [
            "intake": IntakeStage(), "scrape": ScrapeStage(), "parse": ParseStage(), "icp": ICPStage(),
            "enrich": EnrichStage(), "apply": ApplyStage(), "confirm": ConfirmStage(),
            "allocate": AllocateStage(), "leads": LeadsStage(), "campaigns": CampaignsStage(), "assign": AssignStage(),
            "complete": CompleteStage(),
        ]
    }

    public var defaults: JSONValue { Self.parsedDefaults }
    public var sections: Set<String> { ["settings", "tiers", "fetch", "providers"] }
    public var mergedSections: Set<String> { ["paths", "settings", "fetch", "providers"] }
    public var builtinStages: Set<String> { Set(Self.stageNames) }

    public func check(_ document: JSONValue, into checker: inout ConfigChecker) {
        PipelineSettingsCheck.check(document, into: &checker)
    }

    public func implementation(of stage: String) -> (any StageImplementation)? { stages[stage] }

    public func admit(_ request: Data, pipeline: PipelineDefinition) -> Result<AdmittedRequest, RequestRejection> {
        RequestNormaliser(tiers: Self.tierNames(pipeline.document)).admit(request)
    }

    public func phases(_ pipeline: PipelineDefinition) -> [PhaseBudget] {
        let settings = pipeline.document["settings"]
        return [
            PhaseBudget(
                name: "ICP extraction", stages: Self.icpPhase,
                seconds: settings?["icp_timeout_seconds"]?.doubleValue ?? 900),
            PhaseBudget(
                name: "post-onboarding", stages: Self.postOnboardingPhase,
                seconds: settings?["post_onboarding_timeout_seconds"]?.doubleValue ?? 600),
        ]
    }

    public func pollInterval(_ pipeline: PipelineDefinition) -> Double {
        pipeline.document.value(at: "settings.watch_poll_seconds")?.doubleValue ?? 2
    }

    public func waitingHint(stage: String, input: String, job: String) -> String {
        switch input {
        case "confirm.json": return "inputs/confirm.json: a reviewer confirms the ICP (onboard confirm \(job))"
        case "payment.json": return "inputs/payment.json: billing confirms payment (onboard pay \(job) --event FILE)"
        default: return "inputs/\(input)"
        }
    }

    /// A job that turns completed (every stage committed, `complete` included) gets its report;
    /// every status change is copied to the client record.
    public func jobStatusChanged(_ record: JobRecord, job: JobFolder, tree: Tree, at time: Date) {
        do {
            if record.status == .completed { _ = try ReportPage.write(job: job.url, stages: tree.pipeline.order) }
            if let client = record.fields["client_id"]?.stringValue {
                try ClientStore(stateDirectory: tree.state).setOnboardingStatus(
                    client: client, job: record.jobID, status: record.status.rawValue, now: RFC3339.format(time))
            }
        } catch {
            FileHandle.standardError.write(Data("onboard: \(record.jobID): status \(record.status.rawValue) not carried to the report and client record: \(error)\n".utf8))
        }
    }

    static func tierNames(_ document: JSONValue) -> Set<String> {
        Set(document["tiers"]?.objectValue?.keys.map { $0 } ?? [])
    }

    /// Keys a configured provider needs from the environment; `validate` reports each missing one.
    public func missingSecrets(_ pipeline: PipelineDefinition, environment: [String: String]) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        let providers = pipeline.document["providers"]
        let needs: [(String, String?, [String: String])] = [
            ("$.providers.icp", providers?["icp"]?.stringValue, ["anthropic": "ANTHROPIC_API_KEY", "openai": "OPENAI_API_KEY"]),
            ("$.providers.leads", providers?["leads"]?.stringValue, ["apollo": "APOLLO_API_KEY"]),
        ]
        for (path, chosen, keys) in needs {
            guard let chosen, let variable = keys[chosen] else { continue }
            if (environment[variable] ?? "").isEmpty {
                problems.append(ConfigProblem(path: path, message: "\"\(chosen)\" needs \(variable) set in the environment"))
            }
        }
        return problems
    }
}
