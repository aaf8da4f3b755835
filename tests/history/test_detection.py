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


def test_a_lower_case_alias_does_not_match_a_capitalised_word_mid_sentence():
    m = matcher(("wc", "soviets"), ("su", "Soviet Union"))
    text = "The Soviets sent tanks; workers formed soviets. Soviets of workers spread."
    assert [(f.key, f.start) for f in m.find(text)] == [("wc", 39), ("wc", 48)]


def test_capitals_only_forms_and_exact_forms_keep_their_case():
    m = matcher(("nsc", "NSC"), ("may", "=May Day"))
    assert found(m, "The NSC met; nsc is a typo; may day; May Day.") == [
        ("nsc", "NSC"),
        ("may", "May Day"),
    ]


def test_letters_beyond_combining_marks_are_folded():
    m = matcher(("g", "Władysław Gomułka"), ("s", "Straße"), ("o", "Øresund"), ("ae", "Æsir"))
    text = "Wladyslaw Gomulka crossed the Strasse to Oresund with the Aesir."
    assert [f.key for f in m.find(text)] == ["g", "s", "o", "ae"]
    for f in m.find(text):
        assert text[f.start : f.end] == f.surface


def test_a_name_inside_a_longer_proper_name_is_not_linked():
    m = matcher(("stalin", "Stalin"), ("k", "Khrushchev"))
    text = (
        "Zispo (Stalin Works) and the J. Stalin Metal Factory; Stalin’s police; Stalin Khrushchev."
    )
    assert found(m, text) == [("stalin", "Stalin’s"), ("stalin", "Stalin"), ("k", "Khrushchev")]


def test_dates_without_a_year_take_it_from_the_context_and_say_so():
    from history.detection import find_dates

    text = "On June 28, 1956, 5:55 p.m. they called. Demonstration began about 0800 June 29."
    found_ = find_dates(text)
    assert [(f.surface, f.edtf) for f in found_] == [
        ("June 28, 1956, 5:55 p.m.", "1956-06-28"),
        ("0800 June 29", "1956-06-29"),
    ]
    assert "1956 from “June 28, 1956, 5:55 p.m.” before it" in found_[1].reasoning
    assert "at 0800" in found_[1].reasoning


def test_ranges_stay_whole_and_file_numbers_are_not_dates():
    from history.detection import find_dates

    text = (
        "From 23 October – 4 November 1956, late 1957 or 1958, the 1957–1988 period; "
        "Central Files, 748.00/6–2856 and 611.66/11–1456; pages 1063–1070."
    )
    assert [(f.surface, f.edtf) for f in find_dates(text)] == [
        ("23 October – 4 November 1956", "1956-10-23/1956-11-04"),
        ("late 1957 or 1958", "1957/1958"),
        ("1957–1988", "1957/1988"),
    ]


def test_years_in_other_scripts_and_digits_are_read():
    from history.detection import find_dates

    text = "انقلاب ۱۹۵۶ مجارستان. พ.ศ. ๒๔๙๙. ឆ្នាំ១៩៥៦. Венгерское восстание 1956 года. 1956年."
    assert [f.edtf for f in find_dates(text)] == ["1956"] * 5
