"""Names in any script: slugs, collation, sort names and the glossary's letters."""

import pytest

from history import names
from history.models import Concept, Kind
from history.services import concept_save
from publishing.services import publish


def test_slugs_are_transliterated_and_never_untitled():
    assert names.slug("Władysław Gomułka") == "wladyslaw-gomulka"
    assert names.slug("Венгерское восстание") == "vengerskoe-vosstanie"
    assert names.slug("匈牙利十月事件") == "xiong-ya-li-shi-yue-shi-jian"
    assert names.slug("🙂", fallback="concept").startswith("concept-")


def test_collation_puts_accented_letters_and_scripts_where_readers_expect():
    ordered = names.sorted_by_name(
        ["Zhukov", "Ουγγρική", "ÁVH", "apple", "Banana", "Венгрия", "Łódź", "Lenin"]
    )
    assert ordered == ["apple", "ÁVH", "Banana", "Lenin", "Łódź", "Zhukov", "Ουγγρική", "Венгрия"]


def test_people_are_filed_by_their_last_name():
    assert names.person_sort_name("Imre Nagy") == "Nagy, Imre"
    assert names.person_sort_name("Charles de Gaulle") == "de Gaulle, Charles"


def test_letters_of_each_script_are_groups_of_their_own():
    assert names.letter("Ουγγρική")[1:] == ("Greek", "Ο")
    assert names.letter("Ostpolitik")[1:] == ("Latin", "O")
    assert names.letter("ÁVH")[2] == "A"


@pytest.mark.django_db
def test_concepts_in_any_script_get_slugs_and_sort_by_collation(client):
    for term, kind in [("Imre Nagy", Kind.PERSON), ("ÁVH", Kind.ORGANISATION),
                       ("Венгерское восстание", Kind.EVENT_TYPE), ("Ostpolitik", Kind.IDEA),
                       ("Ουγγρική Επανάσταση", Kind.EVENT_TYPE)]:  # fmt: skip
        concept = concept_save(concept=Concept(term=term, kind=kind, definition="d"))
        publish(obj=concept, user=None)
    assert list(Concept.objects.values_list("term", flat=True)) == [
        "ÁVH", "Imre Nagy", "Ostpolitik", "Ουγγρική Επανάσταση", "Венгерское восстание"
    ]  # fmt: skip
    assert Concept.objects.get(term="Венгерское восстание").slug == "vengerskoe-vosstanie"
    html = client.get("/glossary/").content.decode()
    letters = [html.index(f">{letter}</a></li>") for letter in ("A", "N", "O", "Ο", "В")]
    assert letters == sorted(letters)
