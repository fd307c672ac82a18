"""Scale benchmark: one deployment for every EST group in Sweden, on PostgreSQL.

    .venv/bin/python bench/scale_bench.py --postgres postgresql://postgres@127.0.0.1:5432/test
        [--factor 0.01] [--sweep-groups 10,100,1000] [--sweep-incidents 200] [--repeat 5]
        [--meeting-groups 200] [--meeting-requests 3] [--per-second 1] [--burst 3]
        [--workspace-messages 100] [--no-charts]
        [--only data,largest,chart,sweep,burst,meeting] [--json FILE]
        [--keep [--name NAME] | --reuse NAME]

The data set (bench/scale_data.py; deterministic): at ``--factor 1`` 1 000 groups in 300
workspaces, 20 000 members, 25 million incidents over five years; group 1 is the largest. Two
databases are made on the server of ``--postgres`` (``est_scale_<random>_all`` and ``…_alone``,
the largest group by itself, the same rows and ids), and one per ``--sweep-groups`` size (that
many groups, ``--sweep-incidents`` incidents each); all are dropped at the end unless ``--keep``
(their names are printed; ``--name`` chooses the prefix). ``--reuse NAME`` measures on the
databases ``NAME_*`` an earlier run kept, without loading them: each is first brought back to the
state of its load (every table the loader does not fill emptied: the outbox, summaries, audit
trail; the incidents past the loaded ones deleted), and the missing ones are made and loaded.
Factor 1 loads in about 5 minutes on two cores (the incidents' secondary indexes and keys are
made after the rows, two connections insert at once).

Measured, each beside its baseline in the same run:

- **largest**: the largest group's lägesbild (last week), weekly summary (``compute``) and
  period analysis (this quarter), in-process, interleaved, medians of ``--repeat``: with every
  group's rows in the database against the same group alone (goal ≤ 1.3×).
- **chart**: ``render_chart`` of that summary, per chart (goal ≤ 150 ms), beside a bare
  matplotlib figure of the same size saved as PNG.
- **sweep**: the clock's planning (each feature's ``plan`` at Monday 08:00) and the outbox
  sender (claim, prepare, send to a transport that only counts) per group, at each
  ``--sweep-groups`` size, after one warm-up per size (it pays for what a process does once)
  ``--sweep-rounds`` times with the sizes interleaved, the median reported; the slope is the
  per-group cost at the largest size over that at the smallest (goal flat: 0.8–1.2). The
  chart rows are left out here (they are the chart figure above, per row).
- **burst**: the Monday burst on the national database: every summary with its chart, every
  call for reports and every reminder, planned and sent by the real ``python app.py clock``
  (bot time started at Monday 07:59:59) in OAuth mode, one installation (bot token) per
  workspace, against the fake Slack with Slack's limits (bench/scale_burst.py): per channel for
  chat.postMessage (``--per-second``, ``--burst``) and per workspace per method (the tiers, and
  ``--workspace-messages`` a minute for chat.postMessage): with one clock and with two, beside
  one clock without a limit. The floor is the slowest bucket's (a channel's, or a workspace's
  for a method): what did not fit in its burst, at its rate; where it does not bind (a few
  messages per bucket) the figure to read is two clocks against one (goal ≥ 1.7×).
- **meeting**: the meeting hour: ``--meeting-groups`` groups' members at once (32 threads)
  send ``--meeting-requests`` commands each (lägesbild, händelser, an incident by quick syntax,
  hjälp) to two ``python app.py serve`` processes; p99 time to the acknowledgement and to the
  answer (the acknowledgement's own text, or what came to the response_url), per kind; beside
  ``hjälp`` alone (the lightest command) in the same run: as many again, from the same members,
  to the same processes, right after the mix.
- **memory**: peak resident memory (VmHWM) of each clock process in the burst and of each serve
  worker in the meeting hour (goals 500 and 300 MB).

Loopback only; every subprocess is stopped in ``finally``. Exits 0 on FAIL (it is a report);
non-zero when something crashed or a count is wrong (a message lost or sent twice).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `bot`, `handlers` and `storage` importable
    sys.path.insert(0, str(ROOT))

from bench import scale_burst as sb  # noqa: E402
from bench import scale_data as sd  # noqa: E402
from bench import scale_parts as sp  # noqa: E402

PHASES = ("largest", "chart", "sweep", "burst", "meeting")


def load_all(
    urls: dict[str, str], made: set[str], plan: sd.Plan, sizes: list[int], per_group: int
) -> dict:
    """Load the databases made in this run; bring the kept ones back to their loaded state."""
    loaded: dict[str, Any] = {}
    parts = {"all": plan, "alone": plan.only_largest()}
    parts |= {f"s{n}": sd.Plan(n, max(3, round(n * 0.3)), n * per_group, per_group) for n in sizes}
    for name, part in parts.items():
        began = time.monotonic()
        if name in made:
            sd.load(sp.conninfo(urls[name]), part, progress=part.incidents > 2_000_000)
        else:
            sd.reset(sp.conninfo(urls[name]), part)
        seconds = time.monotonic() - began
        loaded[name] = {"seconds": seconds, "reused": name not in made}
        loaded[name] |= sd.counts(sp.conninfo(urls[name]))
        done = "loaded" if name in made else "reset"
        print(f"  {done} {name}: {loaded[name]} (load {sp.load_text()})", flush=True)
        want = (part.groups, part.big if part.alone else part.incidents)
        if (loaded[name]["est_group"], loaded[name]["incident"]) != want:
            raise SystemExit(f"{urls[name]} does not hold {part} (--factor, --sweep-*?)")
    return loaded


def report(result: dict[str, Any]) -> str:
    lines = [f"factor {result['factor']}: {result['plan']}", ""]
    if "largest" in result:
        lines += [
            "| the largest group | everyone's rows ms | alone ms | ratio | goal |",
            "|---|---:|---:|---:|---|",
        ]
        for label, r in result["largest"].items():
            verdict = "PASS" if r["ratio"] <= 1.3 else "FAIL"
            lines.append(
                f"| {label} | {r['all_ms']:.1f} | {r['alone_ms']:.1f} | {r['ratio']:.2f}× | ≤ 1.3× {verdict} |"  # noqa: E501
            )
        lines.append("")
    if "chart" in result:
        c = result["chart"]
        verdict = "PASS" if c["chart_ms"] <= 150 else "FAIL"
        lines += [
            f"chart: {c['chart_ms']:.0f} ms per chart (bare figure {c['bare_ms']:.0f} ms, {c['ratio']:.1f}×; {c['png_bytes']} bytes); goal ≤ 150 ms {verdict}",  # noqa: E501
            "",
        ]
    if "sweep" in result:
        lines += [
            "| groups | rows planned | plan ms/group | send ms/group | rounds (plan, send) |",
            "|---:|---:|---:|---:|---|",
        ]
        for r in result["sweep"]:
            lines.append(
                f"| {r['groups']} | {r['planned']} | {r['plan_ms_per_group']:.2f} | {r['send_ms_per_group']:.2f} | {r['rounds']} |"  # noqa: E501
            )
        first, last = result["sweep"][0], result["sweep"][-1]
        for part in ("plan", "send"):
            slope = last[f"{part}_ms_per_group"] / first[f"{part}_ms_per_group"]
            verdict = "PASS" if 0.8 <= slope <= 1.2 else "FAIL"
            lines.append(
                f"{part} slope {first['groups']}→{last['groups']} groups: {slope:.2f} (goal 0.8–1.2) {verdict}"  # noqa: E501
            )
        lines.append("")
    if "burst" in result:
        lines += [
            "| Monday burst | workspaces/tokens | messages | rows sent | 429s | busiest channel | window s | floor s (bucket) | window/floor | clock peak RSS MB | load |",  # noqa: E501
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for r in result["burst"]:
            label = f"{r['clocks']} clock{'s' if r['clocks'] > 1 else ''}, {'limited' if r['limited'] else 'no limit'}"  # noqa: E501
            rss = "/".join(f"{m:.0f}" for m in r["clock_rss_mb"])
            share = f"{r['window_s'] / r['floor_s']:.2f}×" if r["floor_s"] else "–"
            lines.append(
                f"| {label}{' ' + r['error'] if r['error'] else ''} | {r['workspaces']}/{r['tokens']} | {r['messages']} | {r['sent_rows']} | {r['limited_answers']} | {r['busiest_channel']} | {r['window_s']:.1f} | {r['floor_s']:.1f} ({r['floor_bucket'] or '–'}) | {share} | {rss} | {r['load']} |"  # noqa: E501
            )
        runs = {(r["clocks"], r["limited"]): r for r in result["burst"]}
        for limited in (False, True):
            if (1, limited) in runs and (2, limited) in runs:
                speed = runs[(1, limited)]["window_s"] / max(runs[(2, limited)]["window_s"], 1e-9)
                lines.append(
                    f"two clocks against one{', limited' if limited else ', no limit'}: {speed:.2f}× as fast (goal ≥ 1.7× where the floor does not bind)"  # noqa: E501
                )
        lines.append("")
    if "meeting" in result:
        m = result["meeting"]
        lines += [
            f"meeting hour: {m['groups']} groups, two serve processes (load {m['load']})",
            "",
            "| kind | requests | errors | answered | p99 ack s | p99 answer s | ack ÷ alone |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        alone = m["help_alone"]
        rows = [*m["kinds"].items(), (f"hjälp alone, after (load {m['load_help_alone']})", alone)]
        for kind, r in rows:
            lines.append(
                f"| {kind} | {r['requests']} | {r['errors']} | {r['answered']} | {r['ack_p99_s']:.2f} | {r['answer_p99_s']:.2f} | {r['ack_p99_s'] / max(alone['ack_p99_s'], 1e-9):.1f}× |"  # noqa: E501
            )
        rss = "/".join(f"{x:.0f}" for x in m["serve_rss_mb"])
        lines.append(f"serve workers' peak RSS MB: {rss} (goal < 300)")
    return "\n".join(lines)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="the scale benchmark")
    parser.add_argument("--postgres", required=True, help="a PostgreSQL server's URL")
    parser.add_argument("--factor", type=float, default=0.01)
    parser.add_argument("--groups", type=int, default=None, help="override the factor's groups")
    parser.add_argument("--sweep-groups", default="10,100,1000")
    parser.add_argument("--sweep-incidents", type=int, default=200, help="per group")
    parser.add_argument("--sweep-rounds", type=int, default=3, help="interleaved, median")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--meeting-groups", type=int, default=200)
    parser.add_argument("--meeting-requests", type=int, default=3)
    sb.add_arguments(parser)  # Slack's limits in the Monday burst
    parser.add_argument("--burst-runs", default="1:0,1:1,2:1", help="clocks:limited, …")
    parser.add_argument("--timeout", type=float, default=900.0, help="per Monday burst run")
    parser.add_argument("--only", default=",".join(PHASES))
    parser.add_argument("--json", default=None, help="also write the figures here")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--name", default=None, help="the databases' prefix (default random)")
    parser.add_argument(
        "--reuse",
        default=None,
        metavar="NAME",
        help="use the databases NAME_* kept by an earlier run (reset to their load); "
        "make and load the missing ones; keep them all",
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    only = set(args.only.split(","))
    sizes = [int(n) for n in args.sweep_groups.split(",") if n]
    plan = sd.Plan.of(args.factor, groups=args.groups)
    result: dict[str, Any] = {
        "factor": args.factor,
        "plan": plan.__dict__,
        "load_start": sp.load_text(),
    }
    print(f"scale benchmark: {plan} (load {sp.load_text()})", flush=True)
    names = ["all", "alone", *(f"s{n}" for n in sizes)]
    with (
        sp.databases(
            args.postgres, names, args.keep, args.reuse or args.name, bool(args.reuse)
        ) as (urls, made),
        tempfile.TemporaryDirectory() as tmp,
    ):
        result["databases"] = {name: make_url(url).database for name, url in urls.items()}
        result["loaded"] = load_all(urls, made, plan, sizes, args.sweep_incidents)
        if "largest" in only:
            result["largest"] = sp.largest(urls, args.repeat)
        if "chart" in only:
            result["chart"] = sp.chart(urls["all"], args.repeat)
        if "sweep" in only:
            result["sweep"] = sp.warm_sweeps({n: urls[f"s{n}"] for n in sizes}, args.sweep_rounds)
        if "burst" in only:
            result["burst"] = [
                sb.burst_once(urls["all"], clocks, limited, args, Path(tmp))
                for clocks, limited in sb.runs(args.burst_runs)
            ]
        if "meeting" in only:
            result["meeting"] = sp.meeting(urls["all"], args, Path(tmp))
    result["load_end"] = sp.load_text()
    print(report(result), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, default=str))
    lost = [r for r in result.get("burst", []) if r["error"]]
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
