"""Detection speed: one compiled matcher over 2,000 concepts (3 forms each) on 10 KB of real
text, and the dates in it. Run: .venv/bin/python bench/detection_speed.py

Not part of `make test`: timings depend on the machine.
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from history import detection, text

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def main(concepts: int = 2000, size: int = 10_240, runs: int = 50) -> None:
    random.seed(1)
    source = "\n\n".join(
        text.parse(text.read(p.read_bytes()).text, markdown=True).body
        for p in sorted(DATA.glob("*.md"))
        if p.name != "README.md"
    )
    words = [w for w in source.split() if w.isalpha() and len(w) > 3]
    terms = [
        (i, " ".join(random.sample(words, random.randint(1, 3))) + f" n{i}")  # noqa: S311
        for i in range(concepts * 3)
    ]
    started = time.perf_counter()
    matcher = detection.TermMatcher(terms)
    built = time.perf_counter() - started
    sample = (source * (size // len(source) + 1))[:size]
    matcher.find(sample)
    started = time.perf_counter()
    for _ in range(runs):
        matcher.find(sample)
    terms_ms = (time.perf_counter() - started) / runs * 1000
    started = time.perf_counter()
    for _ in range(runs):
        detection.find_dates(sample)
    dates_ms = (time.perf_counter() - started) / runs * 1000
    print(
        f"{concepts} concepts ({len(terms)} forms): matcher built in {built * 1000:.0f} ms; "
        f"per {size // 1024} KB: terms {terms_ms:.1f} ms, dates {dates_ms:.1f} ms"
    )


if __name__ == "__main__":
    main()
