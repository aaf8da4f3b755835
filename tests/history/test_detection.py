"""Concepts are found in texts by their term and aliases, as whole words."""

from history import detection


def matcher(*terms):
    return detection.TermMatcher(terms)


def found(m, text):
    return [(f.key, f.surface) for f in m.find(text)]


def test_whole_words_only():
    m = matcher(("stalin", "Stalin"), ("stalinism", "Stalinism"))
    text = "Stalinist regimes followed Stalin; Stalinism outlived him. Destalinisation came."
    assert found(m, text) == [("stalin", "Stalin"), ("stalinism", "Stalinism")]


def test_case_plural_and_possessive_tolerance():
    m = matcher(("wc", "workers’ council"), ("stalin", "Stalin"), ("bur", "bureaucracy"))
    text = "WORKERS' COUNCILS met; Stalin’s police and the bureaucracies of the East."
    assert found(m, text) == [
        ("wc", "WORKERS' COUNCILS"),
        ("stalin", "Stalin’s"),
        ("bur", "bureaucracies"),
    ]


def test_diacritics_and_typographic_quotes_are_ignored_for_matching():
    m = matcher(("petofi", "Petőfi Circle"), ("pf", "'popular front'"))
    text = "the ‘Petofi circle’ and the Petőfi Circle; a ‘popular front’"
    result = found(m, text)
    assert result[0] == ("petofi", "Petofi circle")
    assert result[1] == ("petofi", "Petőfi Circle")


def test_longer_terms_win_over_the_shorter_ones_inside_them():
    m = matcher(("rev", "revolution"), ("pr", "political revolution"))
    assert found(m, "a political revolution, then a revolution") == [
        ("pr", "political revolution"),
        ("rev", "revolution"),
    ]


def test_offsets_are_offsets_of_the_original_text():
    text = "Straße – Poznań’s workers in Poznań"
    m = matcher(("poz", "Poznan"))
    for f in m.find(text):
        assert text[f.start : f.end] == f.surface
    assert [f.surface for f in m.find(text)] == ["Poznań’s", "Poznań"]


def test_no_terms_finds_nothing():
    assert matcher().find("anything") == []


def test_a_plural_alias_does_not_match_the_singular_word():
    m = matcher(("wc", "soviets"), ("su", "Soviet Union"))
    assert found(m, "Soviet troops; the soviets; the Soviet Union") == [
        ("wc", "soviets"),
        ("su", "Soviet Union"),
    ]


def test_closing_quotes_stay_outside_the_match():
    m = matcher(("pf", "popular front"))
    assert found(m, "a series of ‘popular front’ governments") == [("pf", "popular front")]


def test_punctuation_inside_a_term_must_match_and_terms_do_not_span_paragraphs():
    m = matcher(("lenin", "V. I. Lenin"), ("ac", "army police"))
    assert found(m, "V. I. Lenin wrote; the army, police and the army\n\npolice") == [
        ("lenin", "V. I. Lenin")
    ]
