/// The stage graph drawn for people: Graphviz DOT and Mermaid. Input files a person provides
/// are drawn as notes so the waiting points are visible.
public enum StageGraph {
    public static func dot(_ pipeline: PipelineDefinition) -> String {
        var lines = ["digraph pipeline {", "  rankdir=LR;", "  node [shape=box, style=rounded];"]
        for name in pipeline.order {
            guard let stage = pipeline.stage(name) else { continue }
            let label = stage.command == nil ? name : "\(name)\\n(command)"
            lines.append("  \"\(name)\" [label=\"\(label)\"];")
            for input in stage.inputs {
                lines.append("  \"inputs/\(input)\" [shape=note];")
                lines.append("  \"inputs/\(input)\" -> \"\(name)\" [style=dashed];")
            }
            for need in stage.needs { lines.append("  \"\(need)\" -> \"\(name)\";") }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    public static func mermaid(_ pipeline: PipelineDefinition) -> String {
        var lines = ["flowchart LR"]
        for name in pipeline.order {
            guard let stage = pipeline.stage(name) else { continue }
            lines.append("  \(name)[\"\(name)\(stage.command == nil ? "" : " (command)")\"]")
            for input in stage.inputs {
                let node = "input_" + input.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
                lines.append("  \(node)>\"inputs/\(input)\"] -.-> \(name)")
            }
            for need in stage.needs { lines.append("  \(need) --> \(name)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
