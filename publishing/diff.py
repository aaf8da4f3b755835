"""What changed between a live version and its working copy, in words an editor can read."""

from __future__ import annotations

import difflib

from publishing import live

# Bookkeeping in content that is not something an editor changed.
IGNORED = {"version"}


def lines(content, prefix: str = "") -> list[tuple[str, str]]:
    """(path, value) for every leaf of a content dict: "sections.2.heading", "…"."""
    out: list[tuple[str, str]] = []
    if isinstance(content, dict):
        for key, value in content.items():
            if key in IGNORED:
                continue
            out += lines(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(content, list) and any(isinstance(v, dict | list) for v in content):
        for number, value in enumerate(content, 1):
            out += lines(value, f"{prefix}.{number}")
    else:
        value = "; ".join(map(str, content)) if isinstance(content, list) else content
        out.append((prefix, "" if value is None else str(value)))
    return out


def against_live(obj) -> dict:
    """The working copy of ``obj`` compared with its live version (empty when not live)."""
    row = obj.live_version
    working = live.working_content(obj)
    if row is None:
        return {"live": False, "has_unpublished_changes": False, "changes": [], "diff": ""}
    old, new = dict(lines(row.content)), dict(lines(working))
    changes = [
        {"field": path, "live": old.get(path), "working": new.get(path)}
        for path in sorted(set(old) | set(new))
        if old.get(path) != new.get(path)
    ]
    diff = "\n".join(
        difflib.unified_diff(
            [f"{p}: {v}" for p, v in lines(row.content)],
            [f"{p}: {v}" for p, v in lines(working)],
            fromfile="live",
            tofile="working copy",
            lineterm="",
        )
    )
    return {
        "live": row.is_public,
        "has_unpublished_changes": bool(changes),
        "changes": changes,
        "diff": diff,
    }


def html_table(obj) -> str:
    """The same comparison as a side-by-side HTML table (difflib escapes the text)."""
    row = obj.live_version
    if row is None:
        return ""
    return difflib.HtmlDiff(wrapcolumn=60).make_table(
        [f"{p}: {v}" for p, v in lines(row.content)],
        [f"{p}: {v}" for p, v in lines(live.working_content(obj))],
        fromdesc="Live version",
        todesc="Working copy",
        context=True,
        numlines=2,
    )
