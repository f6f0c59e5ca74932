"""Names as people type them: older, local, transliterated and adjectival names of states and
organisations, for search only.

A dataset's own ``aliases`` hold the names its sources use (the spun "Collective Safety Treaty
Group" included); this table holds what an analyst may type although no source writes it:
a Soviet-era or older transliteration ("Kirgizia", "Byelorussia"), the local name ("Qazaqstan",
"Hayastan"), a demonym or adjective ("Kazakh", "Belarusian"), a short or foreign-language
abbreviation ("USSR", "ODKB", the CSTO's Russian initials). Keys are canonical names; a record
whose name or alias is a key (case and accents aside) is also found by the key's variants, as if
they were aliases (a hit shows which: "aka Kirgizia"). Nothing here names a record id, and
nothing is shown as a record's alias outside search.

Misspellings need no entry: one or two typing errors are forgiven anyway (``typos.py``). Add a
variant here when it is further than that from every name of the record ("Kirgizia" is four
edits from "Kyrgyzstan"), or when it is a different word ("Byelorussia").
"""

from __future__ import annotations

from .text import normalize

__all__ = ["NAME_VARIANTS", "variants_of"]

#: canonical name -> names people also type for it
NAME_VARIANTS: dict[str, tuple[str, ...]] = {
    # CSTO members, past and present
    "Armenia": ("Hayastan", "Armenian", "Armenian SSR"),
    "Azerbaijan": ("Azerbaidjan", "Azerbaidzhan", "Azerbaijani", "Azeri", "Azerbaijan SSR"),
    "Belarus": ("Byelorussia", "Belorussia", "Bielorussia", "White Russia", "Belarusian",
                "Byelorussian", "Belorussian", "Belarusian SSR", "Byelorussian SSR"),
    "Georgia": ("Sakartvelo", "Georgian", "Georgian SSR"),
    "Kazakhstan": ("Kazakstan", "Qazaqstan", "Kazakhia", "Kazakh", "Kazakhstani",
                   "Kazakh SSR"),
    "Kyrgyzstan": ("Kirgizia", "Kirghizia", "Kirgiziya", "Kirgizstan", "Kirghizstan",
                   "Kyrgyz Republic", "Kyrgyz", "Kirghiz", "Kirgiz", "Kirghiz SSR"),
    "Russia": ("Russian Federation", "Rossiya", "Rossiia", "Russian"),
    "Tajikistan": ("Tadjikistan", "Tadzhikistan", "Tojikiston", "Tajik", "Tadjik", "Tadzhik",
                   "Tajik SSR"),
    "Uzbekistan": ("O'zbekiston", "Ozbekiston", "Uzbek", "Uzbek SSR"),
    # neighbours and others
    "Afghanistan": ("Afghan",),
    "China": ("People's Republic of China", "PRC", "Chinese"),
    "Moldova": ("Moldavia", "Moldovan", "Moldavian"),
    "Serbia": ("Srbija", "Serbian"),
    "Syria": ("Syrian Arab Republic", "Syrian"),
    "Turkey": ("Turkiye", "Türkiye", "Turkish"),
    "Turkmenistan": ("Turkmenia", "Turkmen"),
    "Ukraine": ("the Ukraine", "Ukrainian", "Ukrainian SSR"),
    "United States": ("United States of America", "USA", "America", "American"),
    "Soviet Union": ("USSR", "Union of Soviet Socialist Republics", "SSSR", "Soviet"),
    # organisations
    "Collective Security Treaty Organization": (
        "Collective Security Treaty Organisation", "ODKB", "ОДКБ", "Tashkent Pact",
    ),
    "Collective Security Treaty": ("Tashkent Treaty", "Tashkent Pact", "DKB"),
    "Collective Rapid Reaction Force": ("CRRF", "KSOR", "rapid reaction force",
                                        "rapid reaction forces"),
    "Commonwealth of Independent States": ("SNG", "СНГ"),
    "Eurasian Economic Union": ("EEU", "EAEU", "Eurasian Union", "EAES"),
    "North Atlantic Treaty Organization": ("North Atlantic Treaty Organisation", "OTAN",
                                           "North Atlantic Alliance"),
    "Shanghai Cooperation Organisation": ("Shanghai Cooperation Organization", "SCO", "ShOS",
                                          "Shanghai Five"),
    "United Nations": ("UN", "U.N.", "United Nations Organization"),
    "European Union": ("EU", "E.U."),
}

_BY_NAME: dict[str, tuple[str, ...]] = {normalize(k): v for k, v in NAME_VARIANTS.items()}


def variants_of(names: tuple[str, ...]) -> tuple[str, ...]:
    """The variants of any of ``names`` (a record's name and aliases) not already among
    them, in table order."""
    norms = [normalize(n) for n in names]
    if _BY_NAME.keys().isdisjoint(norms):  # most names have none
        return ()
    have = set(norms)
    out: list[str] = []
    for n in norms:
        for v in _BY_NAME.get(n, ()):
            nv = normalize(v)
            if nv not in have:
                have.add(nv)
                out.append(v)
    return tuple(out)
