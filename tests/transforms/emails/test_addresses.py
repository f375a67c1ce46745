"""Senders and recipients as printed in the dev corpus -> (name, address); the raw form is kept.
Addresses are repaired only where one reading exists; otherwise `address` is None."""
import pytest

from transforms.emails.addresses import parse_addressee, split_addressees

CASES = [
    pytest.param("Abedin, Huma <abedinh@state.gov>", ("Abedin, Huma", "abedinh@state.gov"), id="seed001-clean-case-kept"),
    pytest.param("Sullivan, Jacob J <Sullivan11@state.gov >", ("Sullivan, Jacob J", "SullivanJJ@state.gov"),
                 id="C05739545-space-and-ocr-jj"),
    pytest.param("Brose, Christian (Armed Services) (mailto:Christian_Brose@armed-servic,essenate.govi",
                 ("Brose, Christian (Armed Services)", "Christian_Brose@armed-services.senate.gov"),
                 id="C05739545-mailto-comma-domain-bracket-read-as-i"),
    pytest.param("Sullivan, Jacobi <Sullivaniiestate.gov>", ("Sullivan, Jacobi", "SullivanJJ@state.gov"),
                 id="C05739614-at-read-as-e"),
    pytest.param("Hanley, Monica R <HanleyMRstate.gov>", ("Hanley, Monica R", "HanleyMR@state.gov"),
                 id="C05794611-at-lost"),
    pytest.param("Mills, Cheryl D <MillsCD©state.gova", ("Mills, Cheryl D", "MillsCD@state.gov"),
                 id="C05739714-copyright-sign-for-at"),
    pytest.param("H ehrod17@clintonemail.com", ("H", "hrod17@clintonemail.com"), id="C05739882-angle-read-as-e"),
    pytest.param("H <hrod17@clintoneniail.com >", ("H", "hrod17@clintonemail.com"), id="C05739897-m-read-as-ni"),
    pytest.param("'sulliyanij@state.goy'", (None, "SullivanJJ@state.gov"), id="C05739897-v-read-as-y"),
    pytest.param("H <hrod17@clintonemailcom>", ("H", "hrod17@clintonemail.com"), id="C05776032-dot-lost"),
    pytest.param("PA Clips jrnailto:paclips@state.govi", ("PA Clips", "paclips@state.gov"), id="C05739714-rn-for-m"),
    pytest.param("'Jilot LC@state. ov'", (None, "JilotyLC@state.gov"), id="C05759566-gaps-fit-a-known-address"),
    pytest.param("'Russory@state.clov.", (None, "RussoRV@state.gov"), id="C05796718-g-read-as-cl"),
    pytest.param("Whitehouse, Sheldon (Whitehouse) <Sheldon_Whitehouse2@whitehouse.senate.gov>",
                 ("Whitehouse, Sheldon (Whitehouse)", "Sheldon_Whitehouse2@whitehouse.senate.gov"),
                 id="C05789785-parenthesis-in-name"),
    pytest.param("OpsNewsTicker@state.gov <OpsNewsTicker@state.gov>", (None, "OpsNewsTicker@state.gov"),
                 id="C05778233-name-is-the-address"),
    pytest.param("'ValmoroLl@state.gov.", (None, "ValmoroLl@state.gov"), id="C05758447-unknown-address-kept"),
    pytest.param("Valmoro, Lona J <ValmoroU@state.gov>", ("Valmoro, Lona J", "ValmoroU@state.gov"),
                 id="C05766213-not-repaired-without-a-known-address"),
    pytest.param("Jake Sullivan <jake.sullivan", ("Jake Sullivan", None), id="C05761164-domain-redacted"),
    pytest.param("Huma Abedin <                            >", ("Huma Abedin", None), id="C05771822-address-redacted"),
    pytest.param("H [mallto:HDR22eclintonemall.cornj", ("H", None), id="C05739614-too-mangled"),
    pytest.param("'rsloan", ("rsloan", None), id="C05758739-only-a-local-part"),
    pytest.param("Hanley, Monica R", ("Hanley, Monica R", None), id="name-only"),
]


@pytest.mark.parametrize("raw,expected", CASES)
def test_parse_addressee(raw, expected):
    a = parse_addressee(raw)
    assert (a.name, a.address) == expected
    assert a.raw == raw.strip()


SPLITS = [
    pytest.param("Feltman, Jeffrey D; Burns, William J; Sullivan, Jacob",
                 ["Feltman, Jeffrey D", "Burns, William J", "Sullivan, Jacob"], id="C05739617-semicolons"),
    pytest.param("'cheryl.mills            'millscd@state.gov'", ["'cheryl.mills", "'millscd@state.gov'"],
                 id="C05775279-redaction-gap"),
    pytest.param("Laurenjilo                Klevorick, Caitlin B", ["Laurenjilo", "Klevorick, Caitlin B"],
                 id="C05771904-gap-between-names"),
    pytest.param("Sullivan, Jacob J", ["Sullivan, Jacob J"], id="comma-does-not-split"),
    pytest.param("", [], id="empty-to"),
]


@pytest.mark.parametrize("value,raws", SPLITS)
def test_split_addressees(value, raws):
    assert [a.raw for a in split_addressees(value)] == raws
