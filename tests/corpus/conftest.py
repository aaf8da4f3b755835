from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "sample"
    / "khrushchev-the-stalinist-who-denounced-stalin.txt"
)
CORPUS = {
    "essay": DATA / "office-of-the-historian-1956.md",
    "abstract": DATA / "hungarian-revolution-1956.md",
    "scripts": DATA / "event-name-in-fifteen-languages.md",
    "frus": DATA / "frus-1955-57v25-poznan.md",
}
