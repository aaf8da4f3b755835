"""What the generated corpus says: names in several scripts, dates, and article text.

Pure and deterministic: every function takes a ``random.Random`` and gives the same output for
the same seed, whatever else changes (no Faker: its output changes between its versions). The
loader (``bench.corpus``) puts what these make through the project's services.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


def _w(text: str) -> list[str]:
    """The words of a string: the lists below read as prose."""
    return text.split()


# --- names --------------------------------------------------------------------------------

# (language tag, given names, family names): people as texts name them, in their own script.
PEOPLE = [
    ("hu", _w("Imre János István László Ferenc Zoltán Sándor Gábor Péter Erzsébet Katalin Ilona "
         "Mária Zsuzsanna Géza Árpád Ödön Tünde"),
     _w("Nagy Kovács Tóth Szabó Horváth Varga Kiss Molnár Németh Farkas Balogh Papp Takács "
         "Juhász Lakatos Mészáros Oláh Rácz Fekete Szűcs Bíró Győri Hegedűs Pálffy Rákosi")),
    ("pl", _w("Władysław Stanisław Józef Jerzy Małgorzata Zofia Krzysztof Bolesław Jadwiga "
         "Wacław Grażyna Łukasz Bożena Zbigniew"),
     _w("Gomułka Wyszyński Kowalski Wiśniewski Wójcik Kamiński Lewandowski Zieliński Szymański "
         "Woźniak Dąbrowski Kozłowski Jankowski Mazur Krawczyk Piątek Grabowski Pawłowski")),
    ("cs", _w("Jiří Václav Tomáš Jaroslav Zdeněk Božena Růžena Přemysl Dušan Květa"),
     _w("Dvořák Novák Svoboda Černý Procházka Kučera Veselý Horák Němec Pokorný Růžička "
         "Beneš Šťastný Kříž")),
    ("de", _w("Jürgen Günter Käthe Jörg Björn Hans Ursula Dietrich Grete"),
     _w("Müller Schröder Weiß Groß Bräuer Köhler Schäfer Krüger Böhm Fuchs Voß")),
    ("fr", _w("François Hélène Jérôme Benoît Célestine Gaëlle Stéphane Noël"),
     _w("Lefèvre Giraud Mercier Dupré Lemaître Fénelon Bérenger Chénier")),
    ("tr", _w("Ahmet Şükrü Gülşen Çağlar Müfide İsmet Özlem"),
     _w("Öztürk Yılmaz Çelik Şahin Doğan Aydın Erdoğdu Kılıç")),
    ("ru", _w("Никита Георгий Вячеслав Лаврентий Анастас Екатерина Ольга Михаил Андрей Юрий "
         "Фёдор Надежда"),
     _w("Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров "
         "Морозов Волков Алексеев Лебедев Семёнов Егоров")),
    ("uk", _w("Тарас Олександр Ганна Богдан Оксана"),
     _w("Шевченко Коваленко Бондаренко Ткаченко Кравченко")),
    ("el", _w("Γεώργιος Κωνσταντίνος Ελευθέριος Μαρία Ελένη Δημήτριος"),
     _w("Παπαδόπουλος Καραμανλής Βενιζέλος Παπανδρέου Οικονόμου Γεωργίου")),
    ("he", _w("דוד משה גולדה לוי חיים שרה יצחק"),
     _w("שרת מאיר דיין אשכול ויצמן כהן לוי ברק")),
    ("ar", _w("جمال أنور محمد فاطمة عبدالكريم خالد ليلى"),
     _w("ناصر عامر السادات قاسم الخوري حداد منصور")),
    ("zh", _w("泽东 恩来 少奇 小平 德怀 云 彪 明 华 国锋"),
     _w("毛 周 刘 邓 朱 陈 林 王 张 李 彭 胡")),
    ("ko", _w("일성 정희 대중 영삼 순자"), _w("김 이 박 최 정 강")),
]  # fmt: skip

# Places: (language tag, stems, endings) joined into names that sound like the language's.
PLACES = [
    ("hu", _w("Győr Pécs Szeged Eger Sopron Debrecen Kecskemét Szolnok Miskolc Tatabánya Ózd "
         "Vác Esztergom Siófok"), ["", "vár", "falva", "háza", "újhely"]),
    ("pl", _w("Poznań Łódź Gdańsk Kraków Wrocław Toruń Radom Kielce Płock Białystok"),
     ["", "ów", "ice", "owo", " Wielki"]),
    ("cs", _w("Plzeň Brno Ostrava Třebíč Jihlava Kladno"), ["", " nad Labem", "ice"]),
    ("de", _w("München Köln Düsseldorf Lübeck Würzburg Görlitz"), ["", "-Süd", "er Land"]),
    ("ru", _w("Москва Ленинград Горький Куйбышев Свердловск Новгород Тверь"),
     ["", "ск", "град", "ово"]),
    ("he", _w("ירושלים חיפה צפת טבריה עכו"), [""]),
    ("ar", _w("القاهرة دمشق بغداد عمان حلب"), [""]),
    ("zh", _w("北京 上海 南京 武汉 延安 重庆"), ["", "市"]),
    ("el", _w("Αθήνα Θεσσαλονίκη Πάτρα Λάρισα"), [""]),
]  # fmt: skip

IDEA_FIRST = _w(
    "agrarian collective national workers’ peasant federal secret revolutionary popular "
    "socialist liberal constitutional economic cultural industrial democratic military "
    "religious monetary colonial civic provisional reformist radical conservative urban"
)
IDEA_SECOND = _w(
    "reform council committee front doctrine movement pact treaty policy planning "
    "censorship nationalism self-management thaw emigration resistance collectivisation "
    "rationing literacy suffrage federalism neutrality purge amnesty uprising"
)
ORG_FIRST = _w("National United Central Free Democratic People’s Workers’ Independent Popular")
ORG_SECOND = _w("Peasant Socialist Radical Christian Agrarian Smallholders’ Youth Writers’")
ORG_LAST = _w("Party Union League Association Front Council Federation Alliance")
EVENT_NOUNS = _w(
    "Uprising Strike Treaty Congress Conference Founding Siege Election Trial Rally "
    "Declaration Occupation Liberation Famine Flood Reform Purge Amnesty Coup Blockade"
)


@dataclass
class Name:
    """A concept as the generator makes it: its term, other forms, kind and language."""

    term: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    language: str = ""
    sort_name: str = ""


def person(rng: random.Random) -> Name:
    language, given, family = rng.choice(PEOPLE)
    first, last = rng.choice(given), rng.choice(family)
    if language in ("zh", "ko"):
        return Name(term=last + first, kind="person", language=language)
    if language in ("he", "ar"):
        return Name(term=f"{first} {last}", kind="person", aliases=[last], language=language)
    return Name(
        term=f"{first} {last}",
        kind="person",
        aliases=[last],
        language="" if language in ("hu", "pl", "cs", "de", "fr", "tr") else language,
    )


def place(rng: random.Random) -> Name:
    language, stems, endings = rng.choice(PLACES)
    name = rng.choice(stems) + rng.choice(endings)
    latin = language in ("hu", "pl", "cs", "de")
    return Name(term=name, kind="place", language="" if latin else language)


def organisation(rng: random.Random) -> Name:
    words = [rng.choice(ORG_FIRST), rng.choice(ORG_SECOND), rng.choice(ORG_LAST)]
    acronym = "".join(w[0] for w in words).upper()
    return Name(term=" ".join(words), kind="organisation", aliases=[acronym])


def idea(rng: random.Random) -> Name:
    term = f"{rng.choice(IDEA_FIRST)} {rng.choice(IDEA_SECOND)}"
    kind = rng.choice(["idea", "movement", "policy"])
    return Name(term=term, kind=kind)


def names(rng: random.Random, count: int) -> list[Name]:
    """``count`` distinct concepts: people, places, bodies and ideas in several scripts.

    Forms are never shared: an alias another concept already uses is dropped, so that each
    form in a text names one concept."""
    makers = [(person, 40), (place, 20), (organisation, 15), (idea, 25)]
    weights = [w for _m, w in makers]
    out, taken, attempts = [], set(), 0
    while len(out) < count:
        attempts += 1
        maker = rng.choices([m for m, _w in makers], weights)[0]
        made = maker(rng)
        if attempts > count * 20:  # the lists ran dry: number the rest
            made.term = f"{made.term} {len(out)}"
        if made.term.casefold() in taken:
            continue
        made.aliases = [a for a in made.aliases if a.casefold() not in taken and a != made.term]
        taken.add(made.term.casefold())
        taken.update(a.casefold() for a in made.aliases)
        out.append(made)
    return out


# --- dates --------------------------------------------------------------------------------

MONTHS = _w("January February March April May June July August September October November December")
MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def year(rng: random.Random) -> int:
    """Mostly the modern age, the 20th century most of all; now and then antiquity."""
    roll = rng.random()
    if roll < 0.04:
        return -rng.randint(1, 800)  # BCE
    if roll < 0.10:
        return rng.randint(400, 1799)
    if roll < 0.30:
        return rng.randint(1800, 1913)
    return rng.randint(1914, 1991)


def edtf(rng: random.Random) -> str:
    """An event's date as EDTF: a day, a month, a year, a span, an approximate year, a decade."""
    y = year(rng)
    if y < 1:
        return f"-{abs(y) - 1:04d}" if rng.random() < 0.8 else f"-{abs(y) - 1:04d}~"
    month = rng.randint(1, 12)
    day = rng.randint(1, MONTH_DAYS[month - 1])
    roll = rng.random()
    if roll < 0.40:
        return f"{y:04d}-{month:02d}-{day:02d}"
    if roll < 0.60:
        return f"{y:04d}-{month:02d}"
    if roll < 0.78:
        return f"{y:04d}"
    if roll < 0.90:
        end_month = min(12, month + rng.randint(0, 2))
        end_day = rng.randint(1, MONTH_DAYS[end_month - 1])
        if (end_month, end_day) <= (month, day):
            end_month, end_day = month, min(MONTH_DAYS[month - 1], day + 1)
        if (end_month, end_day) == (month, day):
            return f"{y:04d}-{month:02d}-{day:02d}"
        return f"{y:04d}-{month:02d}-{day:02d}/{y:04d}-{end_month:02d}-{end_day:02d}"
    if roll < 0.95:
        return f"{y:04d}~"
    if roll < 0.98 and y >= 1000:
        return f"{str(y)[:3]}X"
    return f"{y:04d}/{y + rng.randint(1, 12):04d}"


def date_words(rng: random.Random) -> str:
    """A date as prose names it ("23 October 1956", "February 1956", "1919", "the 1950s")."""
    y = rng.randint(1848, 1991)
    month = rng.randint(1, 12)
    roll = rng.random()
    if roll < 0.35:
        return f"{rng.randint(1, MONTH_DAYS[month - 1])} {MONTHS[month - 1]} {y}"
    if roll < 0.65:
        return f"{MONTHS[month - 1]} {y}"
    if roll < 0.9:
        return str(y)
    return f"the {y // 10 * 10}s"


# --- text ---------------------------------------------------------------------------------

ENGLISH = _w(
    "the of and to in a was that for on as with by at from his her their its which were had "
    "been government party leaders workers people country city state new first after years "
    "against power years later former policy time during other would against under "
    "soldiers students crowd square radio speech letter archive report ministry committee "
    "villages factories border capital negotiations delegation demands newspaper censors "
    "prisoners officials historians witnesses memory reforms elections strikes famine "
    "harvest railway bridge cathedral parliament embassy army police winter spring summer "
    "autumn morning evening crowds slogans banners church peasants miners teachers writers "
    "years decades month week days hours long short quiet violent sudden gradual open "
    "secret public private local national foreign official unofficial early late "
    "remembered recorded described wrote said announced demanded refused accepted signed "
    "returned arrived left fled joined opposed supported feared hoped believed argued"
)
VERB_LIST = [
    "met",
    "denounced",
    "visited",
    "opposed",
    "praised",
    "negotiated with",
    "wrote to",
    "defended",
    "criticised",
    "addressed",
]
OTHER_WORDS = {
    "ru": _w(
        "и в не на что он с как это по но они к у же вы за бы только её мне было вот от "
        "меня ещё нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до "
        "вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней "
        "для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто "
        "этот народ партия рабочие город страна власть год"
    ),
    "hu": _w(
        "a az és hogy nem is egy de ez meg már volt csak mint még van ki el vagy ha fel "
        "ezt azt után mert amikor pedig nagyon ő lesz minden sok akkor vissza ember város "
        "ország kormány párt munkások nép forradalom tüntetés gyár"
    ),
    "he": _w(
        "של את על עם זה לא הוא היא הם כל גם אבל או כי אם יש אין היה הייתה העם העיר "
        "המדינה הממשלה המפלגה הפועלים השנה"
    ),
    "ar": _w(
        "في من على إلى عن مع هذا هذه كان كانت التي الذي لم لا قد بين بعد قبل الشعب "
        "المدينة الدولة الحكومة الحزب العمال السنة"
    ),
    "zh": list(
        "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动"
        "同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自"
        "二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日"
        "那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变"
        "条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总"
        "次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
        "几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器"
        "压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安"
        "场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集"
        "温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连"
        "断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精"
        "值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属"
        "圆包火住调满县局照参红细引听该铁价严"
    ),
}


def sentence(rng: random.Random, words: list[str], *, low=8, high=24, joiner=" ") -> str:
    chosen = [rng.choice(words) for _ in range(rng.randint(low, high))]
    text = joiner.join(chosen)
    return text[:1].upper() + text[1:]


@dataclass
class ArticleText:
    """One generated source text, as a file the importer reads."""

    name: str
    title: str
    language: str
    data: bytes
    # The concept forms and event titles it names (so a lesson can quote passages about them).
    names: list[str]


def article(
    rng: random.Random,
    number: int,
    *,
    size: int,
    concepts: list[Name],
    events: list[str],
    seed: int,
) -> ArticleText:
    """A source text of about ``size`` characters: Markdown with front matter (title, author,
    date, source, language), headings now and then, paragraphs of sentences that name people,
    places, bodies, ideas, events and dates."""
    language = rng.choices(["en", "ru", "hu", "he", "ar", "zh"], [85, 5, 4, 2, 2, 2])[0]
    words = ENGLISH if language == "en" else OTHER_WORDS[language]
    joiner, stop = ("", "。") if language == "zh" else (" ", ".")
    author = person(rng).term
    subject = rng.choice(concepts).term if concepts else "the past"
    title = f"{rng.choice(['On', 'Notes on', 'Remembering', 'The year of', 'Letters about'])} " \
            f"{subject} ({number})"  # fmt: skip
    named: list[str] = []
    paragraphs: list[str] = []
    length = 0
    while length < size:
        if paragraphs and rng.random() < 0.12:
            heading = "## " + sentence(rng, words, low=2, high=6, joiner=joiner)
            paragraphs.append(heading)
            length += len(heading)
        parts = []
        for _ in range(rng.randint(3, 8)):
            roll = rng.random()
            if roll < 0.45 and concepts:
                who, what = rng.choice(concepts), rng.choice(concepts)
                form = rng.choice([who.term, *who.aliases])
                named.append(form)
                parts.append(
                    f"In {date_words(rng)}, {form} {rng.choice(VERB_LIST)} "
                    f"{what.term if what.kind != 'idea' else 'the ' + what.term} "
                    + sentence(rng, words, low=4, high=12, joiner=joiner).lower()
                    + stop
                )
            elif roll < 0.55 and events:
                title_ = rng.choice(events)
                named.append(title_)
                parts.append(
                    f"The {title_} followed in {date_words(rng)}, and "
                    + sentence(rng, words, low=4, high=10, joiner=joiner).lower()
                    + stop
                )
            else:
                parts.append(sentence(rng, words, joiner=joiner) + stop)
        paragraph = " ".join(parts)
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    front = "\n".join(
        [
            "---",
            f'title: "{title}"',
            f'author: "{author}"',
            f'publication: "{rng.choice(["Népszabadság", "Trybuna Ludu", "Правда", "Le Monde", "The Observer", "Davar", "Al-Ahram", "人民日报"])}"',  # noqa: E501
            f"publication_date: {rng.randint(1950, 2020)}",
            f"source_url: https://corpus.example.org/{seed}/{number}",
            f"language: {language}",
            "rights: Generated text for benchmarks; no rights reserved.",
            "---",
        ]
    )
    body = front + "\n\n# " + title + "\n\n" + "\n\n".join(paragraphs) + "\n"
    return ArticleText(
        name=f"corpus-{seed}-{number:05d}.md",
        title=title,
        language=language,
        data=body.encode(),
        names=named,
    )


def size(rng: random.Random, *, low: int = 2_000, high: int = 30_000) -> int:
    """An article's length: 2–30 KB, shorter ones more common (log-uniform)."""
    import math

    return int(math.exp(rng.uniform(math.log(low), math.log(high))))
