#!/usr/bin/env python3
"""Writes a realistic contacts CSV for import benchmarks and load tests.

Usage: scripts/gen-contacts.py ROWS [SEED] > contacts.csv

Names from Spanish, Portuguese, Arabic and English; phones of Mexico, Brazil, Spain, Argentina,
the US, the UAE and Germany, written the ways people and exports write them (international with
spaces, national with the trunk prefix, WhatsApp ids without "+", Mexico's old 521, Brazil
without the ninth digit, "00" prefixes, dots and brackets). About 5 % of rows repeat an earlier
person with the number written differently; about 2 % are invalid (spreadsheet notation, too
short, letters). Deterministic for a given seed. Default country for the national forms: MX.
"""
import random
import sys

FIRST = ["Ana", "Luis", "María", "José", "Carmen", "Javier", "Lucía", "Diego", "Sofía", "Pedro", "João",
         "Beatriz", "Thiago", "Camila", "Rafael", "Fernanda", "Ahmed", "Fatima", "Omar", "Layla", "Yusuf",
         "Mariam", "John", "Emily", "Michael", "Sarah", "David", "Laura", "Klaus", "Anna", "Jürgen", "Sabine"]
LAST = ["García", "Martínez", "López", "Hernández", "González", "Pérez", "Silva", "Santos", "Oliveira",
        "Souza", "Fernández", "Rodríguez", "Al-Mansouri", "Haddad", "Khalil", "Nasser", "Smith", "Johnson",
        "Brown", "Müller", "Schmidt", "Schneider", "Romero", "Torres", "Ruiz", "Costa", "Gómez", "Díaz"]
CITIES = ["CDMX", "Monterrey", "São Paulo", "Rio de Janeiro", "Madrid", "Barcelona", "Buenos Aires",
          "Córdoba", "Dubai", "Abu Dhabi", "Berlin", "München", "Austin", "Miami"]
TAGS = ["vip", "lead", "cliente", "mayorista", "feria", "newsletter", "wholesale", "retail"]


def phone(rng, n):
    """A unique number for person n, as (E.164 digits, ways to write it)."""
    kind = n % 7
    sub = 10_000_000 + (n * 7919) % 89_999_999  # 8 digits, unique per n within a country
    s = f"{sub:08d}"
    if kind == 0:  # Mexico, mobile, CDMX (55) + 8
        e = f"52{55}{s}"
        forms = [f"+52 55 {s[:4]} {s[4:]}", f"55 {s[:4]} {s[4:]}", f"+52 1 55 {s[:4]} {s[4:]}", f"5215{5}{s}", f"(55) {s[:4]}-{s[4:]}"]
    elif kind == 1:  # Brazil, mobile São Paulo 11 9XXXX-XXXX
        e = f"5511 9{s}".replace(" ", "")
        forms = [f"+55 11 9{s[:4]}-{s[4:]}", f"5511{s}", f"+55 (11) 9{s[:4]} {s[4:]}", f"0055 11 9{s}"]
    elif kind == 2:  # Spain, mobile 6XX XXX XXX
        e = f"346{s}"
        forms = [f"+34 6{s[:2]} {s[2:5]} {s[5:]}", f"346{s}", f"0034 6{s}", f"+34.6{s[:2]}.{s[2:5]}.{s[5:]}"]
    elif kind == 3:  # Argentina, mobile Buenos Aires 9 11 XXXX-XXXX
        e = f"54911{s}"
        forms = [f"+54 9 11 {s[:4]}-{s[4:]}", f"54911{s}", f"+54 11 15 {s[:4]}-{s[4:]}"]
    elif kind == 4:  # US, (2XX) XXX-XXXX with a valid area code
        area = 200 + (n % 7) * 100 + 12  # 212, 312, 412, …
        line = f"{(n * 31) % 10_000:04d}"
        ex = 200 + (n // 7) % 700
        e = f"1{area}{ex}{line}"
        forms = [f"+1 {area} {ex} {line}", f"+1 ({area}) {ex}-{line}", f"1{area}{ex}{line}"]
    elif kind == 5:  # UAE, mobile 50 XXX XXXX
        t = s[1:]
        e = f"97150{t}"
        forms = [f"+971 50 {t[:3]} {t[3:]}", f"97150{t}", f"00971 50 {t}"]
    else:  # Germany, mobile 151 XXXXXXXX
        e = f"49151{s}"
        forms = [f"+49 151 {s}", f"0049 151 {s[:4]} {s[4:]}", f"49151{s}"]
    return e, forms


def invalid(rng):
    return rng.choice(["4.91512E+11", "5.21551E+12", "12345", "call me", "+99 123", "000", "55-12"])


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 42)
    out = sys.stdout
    out.write("First name,Last name,Phone,Email,Tags,City\n")
    people = []
    for i in range(rows):
        roll = rng.random()
        if people and roll < 0.05:
            first, last, e, forms, email = rng.choice(people)
            number = rng.choice(forms)
        else:
            n = len(people)
            first, last = rng.choice(FIRST), rng.choice(LAST)
            e, forms = phone(rng, n)
            email = f"{first.lower()}.{n}@example.com".replace("í", "i").replace("é", "e").replace("á", "a").replace("ü", "u").replace("ã", "a").replace("ã", "a").replace("ó", "o").replace("ú", "u")
            people.append((first, last, e, forms, email))
            number = rng.choice(forms)
        if rng.random() < 0.02:
            number = invalid(rng)
        tags = ",".join(rng.sample(TAGS, rng.randint(0, 2)))
        city = rng.choice(CITIES)
        out.write(f'{first},{last},{number},{email if rng.random() < 0.6 else ""},"{tags}",{city}\n')


if __name__ == "__main__":
    main()
