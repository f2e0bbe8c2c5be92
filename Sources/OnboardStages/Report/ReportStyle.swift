/// The report's stylesheet, inline so the page is one file that reads the same offline.
enum ReportStyle {
    static let css = """
        :root { --ink: #1d2733; --muted: #5b6673; --line: #d8dee6; --accent: #2f6fb5; --ok: #2e7d4f; --bad: #b3261e; --wait: #a06500; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f8fa; }
        header, nav, main { max-width: 1100px; margin: 0 auto; padding: 0 24px; }
        header { padding-top: 24px; }
        h1 { font-size: 26px; margin: 0 0 12px; }
        h1 .job { font-family: ui-monospace, Menlo, monospace; font-size: 20px; color: var(--muted); }
        h2 { font-size: 20px; margin: 0 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
        h3 { font-size: 16px; margin: 18px 0 6px; }
        nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 8px 0; margin: 0; border-bottom: 1px solid var(--line); }
        a { color: var(--accent); }
        section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin: 18px 0; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
        dl.facts dt, dl.nested dt { color: var(--muted); }
        dl.facts dd, dl.nested dd { margin: 0; overflow-wrap: anywhere; }
        dl.nested { display: grid; grid-template-columns: max-content 1fr; gap: 0 12px; margin: 0; }
        table { border-collapse: collapse; width: 100%; margin: 6px 0; }
        th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
        th { color: var(--muted); font-weight: 600; white-space: nowrap; }
        td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        tfoot td { font-weight: 600; border-bottom: none; }
        .status { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 13px; background: #e9edf2; color: var(--muted); }
        .status.ok { background: #e3f3e9; color: var(--ok); }
        .status.bad { background: #fbe4e2; color: var(--bad); }
        .status.wait { background: #fdf0dc; color: var(--wait); }
        .note { color: var(--muted); font-size: 13px; }
        .not-yet, .empty { color: var(--muted); font-style: italic; }
        .tag { display: inline-block; font-size: 12px; padding: 0 6px; margin-left: 4px; border-radius: 4px; background: #e9edf2; color: var(--muted); }
        ul.items, ul.plain, ul.alerts { padding-left: 18px; }
        ul.items > li { margin: 6px 0; }
        .item { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
        .item .value { font-weight: 600; }
        .item .conf { color: var(--muted); font-size: 13px; font-variant-numeric: tabular-nums; }
        ul.evidence { margin: 2px 0 0; padding-left: 18px; color: var(--muted); font-size: 14px; }
        q { font-style: italic; color: var(--ink); }
        .from { font-size: 13px; }
        .score { margin: 8px 0; }
        ul.breakdown { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; padding: 0; color: var(--muted); font-size: 13px; }
        ul.alerts li { color: var(--bad); }
        svg { display: block; max-width: 100%; height: auto; }
        svg.meter { display: inline-block; vertical-align: middle; }
        svg .track { fill: #e6ebf1; }
        svg .fill, svg .bar { fill: var(--accent); }
        svg text { font: 12px system-ui, sans-serif; fill: var(--ink); }
        svg text.title { font-weight: 600; font-size: 13px; }
        svg text.value { fill: var(--muted); }
        svg text.inside { fill: #fff; }
        svg .part0 { fill: #2f6fb5; } svg .part1 { fill: #3f9a6b; } svg .part2 { fill: #c7842d; } svg .part3 { fill: #8a5cb8; } svg .part4 { fill: #c2505a; }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 18px; margin: 12px 0; }
        article.campaign { border-top: 1px solid var(--line); margin-top: 14px; padding-top: 4px; }
        table.sequence .subject { font-weight: 600; }
        table.sequence .body { white-space: pre-wrap; color: var(--muted); font-size: 14px; }
        details { margin: 8px 0; }
        summary { cursor: pointer; color: var(--muted); }

        """
}
